// The text model in force: the newest versioned file in the data folder's models/ (classifier-v<time>.json.gz).
// A retrain writes a new file and swaps it in; other processes (a CLI retrain, a second API process)
// pick up a newer file within `recheckMs`.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Logger } from 'pino';
import { loadModel, saveModel, type Model } from './classifier.ts';

const MODEL_FILE = /^classifier-v.*\.json(\.gz)?$/;

export interface ModelInfo {
  /** The file's name without extension, e.g. classifier-v20261203T173000Z. */
  version: string;
  file: string;
  sizeBytes: number;
  trainedAt: string;
  trainingSize: number;
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
    labels: model.labels.length,
  };
}
