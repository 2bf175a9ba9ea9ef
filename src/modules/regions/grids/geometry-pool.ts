// One worker thread for the heavy geometry checks (geometry-checks.ts), so that checking the largest
// allowed polygon against its neighbours never holds up other requests (bench/geometry-loop.ts
// measures /healthz meanwhile). Jobs run one after another; a job that runs longer than JOB_TIMEOUT_MS
// ends the worker (a new one starts for the next job) and is refused as too complex, and a full queue
// is refused as busy, so a flood of polygons cannot pile up without bound.
// The worker's code is the checks bundled by esbuild (a dependency) into one script at the first use,
// so the thread starts in milliseconds without the TypeScript loader.
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { AppError } from '../../../platform/errors.ts';
import { geometryOps, type GeometryOps } from './geometry-checks.ts';

export const JOB_TIMEOUT_MS = 10_000;
export const MAX_QUEUED_JOBS = 32;

interface Job { op: keyof GeometryOps; args: unknown[]; resolve(v: unknown): void; reject(e: unknown): void }

let script: Promise<string | null> | null = null;
/** The worker's source as one CommonJS script, or null when it cannot be built (then the checks run inline). */
function workerScript(): Promise<string | null> {
  script ??= (async () => {
    try {
      const esbuild = createRequire(import.meta.url)('esbuild') as { build(o: Record<string, unknown>): Promise<{ outputFiles: Array<{ text: string }> }> };
      const out = await esbuild.build({
        entryPoints: [fileURLToPath(new URL('./geometry-worker.ts', import.meta.url))],
        bundle: true, platform: 'node', format: 'cjs', target: 'node20', write: false, logLevel: 'silent',
      });
      return out.outputFiles[0].text;
    } catch {
      return null;
    }
  })();
  return script;
}

class GeometryPool {
  private worker: Worker | null = null;
  private queue: Job[] = [];
  private running: (Job & { timer: NodeJS.Timeout }) | null = null;

  run<K extends keyof GeometryOps>(op: K, ...args: Parameters<GeometryOps[K]>): Promise<ReturnType<GeometryOps[K]>> {
    if (this.queue.length >= MAX_QUEUED_JOBS) {
      return Promise.reject(new AppError(503, 'geometry_busy', { zh: `当前正在校验的边界过多，请稍后再试。`, en: 'Too many polygons are being checked right now; try again in a moment.' }, { retryAfter: 5 }));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ op, args, resolve: resolve as (v: unknown) => void, reject });
      void this.next();
    });
  }

  private async next(): Promise<void> {
    if (this.running || !this.queue.length) return;
    const job = this.queue.shift()!;
    const worker = await this.ensureWorker();
    if (!worker) { // no bundle: run here, as before the worker existed
      try { job.resolve((geometryOps[job.op] as (...a: unknown[]) => unknown)(...job.args)); } catch (err) { job.reject(err); }
      void this.next();
      return;
    }
    const timer = setTimeout(() => {
      job.reject(new AppError(422, 'geometry_too_complex', { zh: `校验该边界超过了 ${JOB_TIMEOUT_MS / 1000} 秒，请简化边界（减少坐标点）。`, en: `Checking this geometry took longer than ${JOB_TIMEOUT_MS / 1000} s; simplify it (fewer positions).` }));
      this.stopWorker();
      this.running = null;
      void this.next();
    }, JOB_TIMEOUT_MS);
    this.running = { ...job, timer };
    worker.postMessage({ id: 0, op: job.op, args: job.args });
  }

  private async ensureWorker(): Promise<Worker | null> {
    if (this.worker) return this.worker;
    const code = await workerScript();
    if (!code) return null;
    const w = new Worker(code, { eval: true });
    w.unref(); // an idle geometry worker never keeps the process alive
    w.on('message', (msg: { result?: unknown; error?: string }) => this.settle(msg));
    w.on('error', (err) => this.fail(err));
    w.on('exit', () => { if (this.worker === w) this.worker = null; });
    this.worker = w;
    return w;
  }

  private settle(msg: { result?: unknown; error?: string }): void {
    const job = this.running;
    if (!job) return;
    clearTimeout(job.timer);
    this.running = null;
    if (msg.error) job.reject(new Error(msg.error));
    else job.resolve(msg.result);
    void this.next();
  }

  private fail(err: unknown): void {
    const job = this.running;
    this.stopWorker();
    if (job) { clearTimeout(job.timer); this.running = null; job.reject(err); }
    void this.next();
  }

  private stopWorker(): void {
    const w = this.worker;
    this.worker = null;
    void w?.terminate();
  }
}

const pool = new GeometryPool();

/** The heavy geometry checks, each run in the worker thread. */
export const geometryWorker = {
  validateMany: (...a: Parameters<GeometryOps['validateMany']>) => pool.run('validateMany', ...a),
  validate: async (input: unknown, path: string, opts?: Parameters<GeometryOps['validateMany']>[0][number]['opts']) =>
    (await pool.run('validateMany', [{ input, path, opts }]))[0],
  overlapping: (...a: Parameters<GeometryOps['overlapping']>) => pool.run('overlapping', ...a),
  liesOn: (...a: Parameters<GeometryOps['liesOn']>) => pool.run('liesOn', ...a),
  splitProblem: (...a: Parameters<GeometryOps['splitProblem']>) => pool.run('splitProblem', ...a),
  union: (...a: Parameters<GeometryOps['union']>) => pool.run('union', ...a),
  thread: () => pool.run('thread'),
};
