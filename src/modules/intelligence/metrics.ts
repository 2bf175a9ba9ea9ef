// Evaluation of a classifier: accuracy, macro-F1, per-class metrics, confusion matrix, and the
// coverage/precision curve of confidence-thresholded automatic dispatch (自动派单).

export interface ScoredPrediction {
  actual: string;
  predicted: string;
  /** Confidence of the predicted (top) label, 0..1. */
  confidence: number;
}

export interface ClassMetrics {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  /** Number of messages whose true label is this one. */
  support: number;
}

/** Dispatch automatically every message whose confidence ≥ threshold. */
export interface ThresholdPoint {
  threshold: number;
  /** Share of all messages dispatched automatically. */
  coverage: number;
  /** Share of the dispatched messages whose predicted label is right (1 when none is dispatched). */
  precision: number;
  /** Number of messages dispatched automatically. */
  dispatched: number;
}

export interface EvalReport {
  n: number;
  accuracy: number;
  macroF1: number;
  /** Label order of perClass and of the confusion matrix rows/columns. */
  labels: string[];
  perClass: ClassMetrics[];
  /** confusion[i][j] = messages of true label labels[i] predicted as labels[j]. */
  confusion: number[][];
  /** One point per distinct confidence value, thresholds descending (coverage ascending). */
  curve: ThresholdPoint[];
  /** The curve read at fixed thresholds, for display. */
  thresholdTable: ThresholdPoint[];
}

export const DISPLAY_THRESHOLDS = [0, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.97, 0.98, 0.99, 0.995, 0.999];

/** Builds the report from scored predictions; `labels` fixes the order (others are appended). */
export function evaluatePredictions(predictions: readonly ScoredPrediction[], labels: readonly string[] = []): EvalReport {
  const labelOrder = [...labels];
  const position = new Map(labelOrder.map((label, i) => [label, i]));
  const indexOf = (label: string): number => {
    let i = position.get(label);
    if (i === undefined) {
      i = labelOrder.length;
      labelOrder.push(label);
      position.set(label, i);
    }
    return i;
  };
  for (const p of predictions) {
    indexOf(p.actual);
    indexOf(p.predicted);
  }
  const L = labelOrder.length;
  const confusion = Array.from({ length: L }, () => new Array<number>(L).fill(0));
  let correct = 0;
  for (const p of predictions) {
    confusion[indexOf(p.actual)]![indexOf(p.predicted)]!++;
    if (p.actual === p.predicted) correct++;
  }
  const perClass = labelOrder.map((label, i): ClassMetrics => {
    const truePositives = confusion[i]![i]!;
    const support = confusion[i]!.reduce((a, b) => a + b, 0);
    const predictedCount = confusion.reduce((sum, row) => sum + row[i]!, 0);
    const precision = predictedCount > 0 ? truePositives / predictedCount : 0;
    const recall = support > 0 ? truePositives / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    return { label, precision, recall, f1, support };
  });
  // Macro-F1 over the classes that occur in the data (true labels), the usual convention.
  const present = perClass.filter((c) => c.support > 0);
  const macroF1 = present.length > 0 ? present.reduce((sum, c) => sum + c.f1, 0) / present.length : 0;
  const curve = coveragePrecisionCurve(predictions);
  return {
    n: predictions.length,
    accuracy: predictions.length > 0 ? correct / predictions.length : 0,
    macroF1,
    labels: labelOrder,
    perClass,
    confusion,
    curve,
    thresholdTable: DISPLAY_THRESHOLDS.map((t) => pointAtThreshold(predictions, t)),
  };
}

/** Coverage and precision when every message with confidence ≥ t is dispatched, for each distinct t. */
export function coveragePrecisionCurve(predictions: readonly ScoredPrediction[]): ThresholdPoint[] {
  const sorted = [...predictions].sort((a, b) => b.confidence - a.confidence);
  const n = sorted.length;
  const curve: ThresholdPoint[] = [];
  let dispatched = 0;
  let correct = 0;
  for (let i = 0; i < n; ) {
    const threshold = sorted[i]!.confidence;
    while (i < n && sorted[i]!.confidence === threshold) {
      dispatched++;
      if (sorted[i]!.actual === sorted[i]!.predicted) correct++;
      i++;
    }
    curve.push({ threshold, coverage: dispatched / n, precision: correct / dispatched, dispatched });
  }
  return curve;
}

export function pointAtThreshold(predictions: readonly ScoredPrediction[], threshold: number): ThresholdPoint {
  let dispatched = 0;
  let correct = 0;
  for (const p of predictions) {
    if (p.confidence >= threshold) {
      dispatched++;
      if (p.actual === p.predicted) correct++;
    }
  }
  return {
    threshold,
    coverage: predictions.length > 0 ? dispatched / predictions.length : 0,
    precision: dispatched > 0 ? correct / dispatched : 1,
    dispatched,
  };
}

/**
 * The largest share of messages that can be dispatched automatically while the precision among
 * them stays ≥ minPrecision (0 when no threshold reaches it).
 */
export function autoCoverageAt(report: Pick<EvalReport, 'curve'>, minPrecision: number): number {
  let best = 0;
  for (const point of report.curve) {
    if (point.precision >= minPrecision && point.coverage > best) best = point.coverage;
  }
  return best;
}

/** The lowest threshold whose precision is ≥ minPrecision at the best coverage (undefined if none). */
export function thresholdForPrecision(report: Pick<EvalReport, 'curve'>, minPrecision: number): number | undefined {
  let best: ThresholdPoint | undefined;
  for (const point of report.curve) {
    if (point.precision >= minPrecision && (!best || point.coverage > best.coverage)) best = point;
  }
  return best?.threshold;
}

const percent = (x: number): string => `${(100 * x).toFixed(1)}%`;

/** Plain-text rendering of a report (per-class table, confusion matrix, coverage/precision table). */
export function formatReport(report: EvalReport): string {
  const lines: string[] = [];
  lines.push(`n = ${report.n}   accuracy = ${percent(report.accuracy)}   macro-F1 = ${percent(report.macroF1)}`);
  lines.push('');
  lines.push('label\tprecision\trecall\tF1\tsupport');
  for (const c of report.perClass) {
    lines.push(`${c.label}\t${percent(c.precision)}\t${percent(c.recall)}\t${percent(c.f1)}\t${c.support}`);
  }
  lines.push('');
  lines.push('confusion matrix (rows = true label, columns = predicted)');
  lines.push(['', ...report.labels.map((_, j) => `[${j}]`)].join('\t'));
  report.confusion.forEach((row, i) => lines.push([`[${i}] ${report.labels[i]}`, ...row].join('\t')));
  lines.push('');
  lines.push('auto-dispatch: confidence threshold → coverage, precision');
  lines.push('threshold\tcoverage\tprecision\tdispatched');
  for (const p of report.thresholdTable) {
    lines.push(`≥ ${p.threshold}\t${percent(p.coverage)}\t${percent(p.precision)}\t${p.dispatched}`);
  }
  for (const target of [0.95, 0.98, 0.99]) {
    const t = thresholdForPrecision(report, target);
    lines.push(
      `precision ≥ ${percent(target)}: coverage ${percent(autoCoverageAt(report, target))}` +
        (t === undefined ? '' : ` (threshold ${t.toFixed(4)})`),
    );
  }
  return lines.join('\n');
}
