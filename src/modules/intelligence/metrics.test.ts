import { describe, expect, it } from 'vitest';
import { autoCoverageAt, evaluatePredictions, thresholdForPrecision, type ScoredPrediction } from './metrics.ts';

const p = (actual: string, predicted: string, confidence: number): ScoredPrediction => ({ actual, predicted, confidence });

describe('evaluatePredictions', () => {
  const predictions = [
    p('A', 'A', 0.99),
    p('A', 'A', 0.95),
    p('A', 'B', 0.9),
    p('B', 'B', 0.9),
    p('B', 'B', 0.8),
    p('B', 'A', 0.6),
    p('C', 'C', 0.7),
    p('C', 'B', 0.5),
  ];
  const report = evaluatePredictions(predictions, ['A', 'B', 'C']);

  it('computes accuracy, per-class metrics, macro-F1 and the confusion matrix', () => {
    expect(report.n).toBe(8);
    expect(report.accuracy).toBeCloseTo(5 / 8);
    expect(report.confusion).toEqual([
      [2, 1, 0],
      [1, 2, 0],
      [0, 1, 1],
    ]);
    const [a, b, c] = report.perClass;
    expect(a).toMatchObject({ label: 'A', precision: 2 / 3, recall: 2 / 3, support: 3 });
    expect(b!.precision).toBeCloseTo(2 / 4);
    expect(b!.recall).toBeCloseTo(2 / 3);
    expect(c).toMatchObject({ precision: 1, recall: 0.5, support: 2 });
    const f1 = (x: number, y: number) => (2 * x * y) / (x + y);
    expect(report.macroF1).toBeCloseTo((f1(2 / 3, 2 / 3) + f1(0.5, 2 / 3) + f1(1, 0.5)) / 3);
  });

  it('builds the coverage/precision curve with ties dispatched together', () => {
    expect(report.curve.map((point) => [point.threshold, point.dispatched])).toEqual([
      [0.99, 1],
      [0.95, 2],
      [0.9, 4],
      [0.8, 5],
      [0.7, 6],
      [0.6, 7],
      [0.5, 8],
    ]);
    expect(report.curve[2]).toMatchObject({ coverage: 0.5, precision: 3 / 4 });
    expect(report.curve[4]).toMatchObject({ coverage: 6 / 8, precision: 5 / 6 });
    const atNinety = report.thresholdTable.find((point) => point.threshold === 0.9)!;
    expect(atNinety).toMatchObject({ dispatched: 4, coverage: 0.5, precision: 0.75 });
    const nothing = report.thresholdTable.find((point) => point.threshold === 0.999)!;
    expect(nothing).toMatchObject({ dispatched: 0, coverage: 0, precision: 1 });
  });

  it('autoCoverageAt picks the largest coverage that keeps the precision', () => {
    expect(autoCoverageAt(report, 0.98)).toBe(2 / 8);
    expect(thresholdForPrecision(report, 0.98)).toBe(0.95);
    expect(autoCoverageAt(report, 0.8)).toBe(6 / 8);
    expect(autoCoverageAt(report, 0.5)).toBe(1);
  });
});

describe('autoCoverageAt on a hand-built report', () => {
  it('uses the best point even when precision is not monotone in coverage', () => {
    const curve = [
      { threshold: 0.99, coverage: 0.1, precision: 0.97, dispatched: 10 },
      { threshold: 0.95, coverage: 0.4, precision: 0.99, dispatched: 40 },
      { threshold: 0.9, coverage: 0.7, precision: 0.981, dispatched: 70 },
      { threshold: 0.8, coverage: 0.8, precision: 0.979, dispatched: 80 },
      { threshold: 0.0, coverage: 1, precision: 0.9, dispatched: 100 },
    ];
    expect(autoCoverageAt({ curve }, 0.98)).toBe(0.7);
    expect(autoCoverageAt({ curve }, 0.995)).toBe(0);
    expect(autoCoverageAt({ curve: [] }, 0.98)).toBe(0);
  });
});
