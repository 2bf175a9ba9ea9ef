// `gongzhi classifier train|eval` command bodies (wired into the CLI with commander elsewhere).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { autoCoverageAt, evaluate, formatReport, loadModel, saveModel, train } from './classifier.ts';
import { readLabelledCsv } from './dataset.ts';
import { CliError } from '../../platform/cli-text.ts';

/** Folder where trained models are kept: $GONGZHI_DATA_DIR/models (default ./data/models). */
export function modelsDir(): string {
  return join(process.env.GONGZHI_DATA_DIR ?? './data', 'models');
}

const MODEL_FILE = /^classifier-v.*\.json(\.gz)?$/;

function timestamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z'); // 20260101T120000Z
}

/** The most recently written classifier-v*.json(.gz) in the models folder, if any. */
export function latestModelPath(dir = modelsDir()): string | undefined {
  if (!existsSync(dir)) return undefined;
  const candidates = readdirSync(dir)
    .filter((name) => MODEL_FILE.test(name))
    .map((name) => ({ path: join(dir, name), mtime: statSync(join(dir, name)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime || (a.path < b.path ? 1 : -1));
  return candidates[0]?.path;
}

/**
 * Trains a classifier on a labelled CSV and saves it (gzip-compressed JSON by default; a path
 * ending in .json writes plain JSON); prints the model path, the number of messages and the time.
 */
export async function trainCommand(opts: { data: string; out?: string }): Promise<void> {
  const examples = await readLabelledCsv(opts.data);
  const started = performance.now();
  const model = train(examples);
  const seconds = (performance.now() - started) / 1000;
  const out = resolve(opts.out ?? join(modelsDir(), `classifier-v${timestamp(new Date(model.createdAt))}.json.gz`));
  saveModel(model, out);
  console.log(`model: ${out}`);
  console.log(`trained on n = ${examples.length} messages, ${model.labels.length} labels, ${model.vocabulary.buckets.length} features`);
  console.log(`training time: ${seconds.toFixed(1)} s`);
}

/**
 * Evaluates a model (default: the latest in the models folder) on a labelled CSV. Prints accuracy,
 * macro-F1, per-class precision/recall, the confusion matrix and the coverage/precision table;
 * the last line is one JSON object with the headline numbers.
 */
export async function evalCommand(opts: { data: string; model?: string }): Promise<void> {
  const modelPath = opts.model ?? latestModelPath();
  if (!modelPath) {
    throw new CliError({
      zh: `${resolve(modelsDir())} 中没有分类模型；请先训练一个（gongzhi classifier train --data <csv>）。`,
      en: `no classifier model in ${resolve(modelsDir())}; train one first (gongzhi classifier train --data <csv>)`,
    });
  }
  const model = loadModel(modelPath);
  const examples = await readLabelledCsv(opts.data);
  const report = evaluate(model, examples);
  console.log(`model: ${resolve(modelPath)}`);
  console.log(`data: ${resolve(opts.data)}`);
  console.log(formatReport(report));
  console.log(
    JSON.stringify({
      accuracy: report.accuracy,
      macro_f1: report.macroF1,
      n: report.n,
      auto_coverage_at_98: autoCoverageAt(report, 0.98),
    }),
  );
}
