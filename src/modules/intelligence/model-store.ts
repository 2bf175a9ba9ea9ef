// The text model in force: the newest versioned file in the data folder's models/ (classifier-v<time>.json.gz).
// A retrain writes a new file and swaps it in; other processes (a CLI retrain, a second API process)
// pick up a newer file within `recheckMs`.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Logger } from 'pino';
import { loadModel, saveModel, type Example, type Model } from './classifier.ts';
import { parseLabelledCsv } from './dataset.ts';

const MODEL_FILE = /^classifier-v.*\.json(\.gz)?$/;

/**
 * Seed examples (种子语料): labelled texts a deployment learns from beside its closed cases, e.g. the
 * demo city's generated texts, or an earlier system's tickets. A labelled CSV (title, detail, label).
 */
export const SEED_EXAMPLES_FILE = 'seed-examples.csv';

export interface SeedExample { title: string; detail: string; label: string }

const csvField = (value: string) => `"${value.replace(/"/g, '""')}"`;

export interface ModelInfo {
  /** The file's name without extension, e.g. classifier-v20261203T173000Z. */
  version: string;
  file: string;
  sizeBytes: number;
  trainedAt: string;
  trainingSize: number;
  /** How many of trainingSize were seed examples (the rest are closed cases). */
  seedExamples: number;
  labels: number;
}

export interface LoadedModel { model: Model; info: ModelInfo }

function timestamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.(\d+)Z$/, '$1Z'); // 20260101T120000123Z
}

/** The newest model file in a folder, by name (the names carry the training time). */
export function newestModelFile(dir: string): string | undefined {
  if (!existsSync(dir)) return undefined;
  const names = readdirSync(dir).filter((n) => MODEL_FILE.test(n)).sort();
  return names.length ? join(dir, names[names.length - 1]!) : undefined;
}

export class ModelStore {
  private current: LoadedModel | null = null;
  private checkedAt = 0;
  private seeds: { mtimeMs: number; size: number; examples: Example[] } | null = null;

  constructor(readonly dir: string, private log: Logger, private recheckMs = 30_000) {}

  /** The model in force, or null when none has been trained. */
  get(): LoadedModel | null {
    if (Date.now() - this.checkedAt >= this.recheckMs) this.refresh();
    return this.current;
  }

  /** Loads the newest file if it is not the one in force. A broken file is logged and skipped. */
  refresh(): void {
    this.checkedAt = Date.now();
    const path = newestModelFile(this.dir);
    if (!path || path === this.current?.info.file) return;
    try {
      const model = loadModel(path);
      this.current = { model, info: infoOf(model, path) };
      this.log.info({ model: this.current.info.version }, 'text model loaded');
    } catch (err) {
      this.log.error({ file: basename(path), err: (err as Error).message }, 'text model could not be loaded; keeping the previous one');
    }
  }

  /** The seed examples in the models folder (none without the file); re-read when the file changes. */
  seedExamples(): Example[] {
    const path = join(this.dir, SEED_EXAMPLES_FILE);
    if (!existsSync(path)) return [];
    const { mtimeMs, size } = statSync(path);
    if (this.seeds?.mtimeMs !== mtimeMs || this.seeds.size !== size) {
      this.seeds = { mtimeMs, size, examples: parseLabelledCsv(readFileSync(path), SEED_EXAMPLES_FILE) };
    }
    return this.seeds.examples;
  }

  /** Writes the seed examples (replacing earlier ones); the next retraining learns from them. */
  writeSeedExamples(examples: readonly SeedExample[]): void {
    mkdirSync(this.dir, { recursive: true });
    const lines = ['title,detail,label', ...examples.map((e) => [e.title, e.detail, e.label].map(csvField).join(','))];
    const path = join(this.dir, SEED_EXAMPLES_FILE);
    writeFileSync(`${path}.tmp`, `${lines.join('\n')}\n`);
    renameSync(`${path}.tmp`, path);
  }

  /** Saves a newly trained model as the next version and puts it in force. */
  install(model: Model): ModelInfo {
    const path = join(this.dir, `classifier-v${timestamp(new Date(model.createdAt))}.json.gz`);
    saveModel(model, path);
    this.current = { model, info: infoOf(model, path) };
    this.checkedAt = Date.now();
    return this.current.info;
  }
}

function infoOf(model: Model, path: string): ModelInfo {
  return {
    version: basename(path).replace(/\.json(\.gz)?$/, ''),
    file: path,
    sizeBytes: statSync(path).size,
    trainedAt: model.createdAt,
    trainingSize: model.trainingSize,
    seedExamples: model.seedExamples ?? 0,
    labels: model.labels.length,
  };
}
