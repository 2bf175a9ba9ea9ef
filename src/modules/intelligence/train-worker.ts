// Runs `train` in a worker thread, so that retraining on tens of thousands of closed cases never
// stalls the API process's event loop. The model is plain data (typed arrays, a Set), which
// postMessage copies as it is.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { train, type Example, type Model, type TrainOptions } from './classifier.ts';

interface Job { examples: Example[]; options: TrainOptions }
type Reply = { ok: true; model: Model } | { ok: false; message: string };

export function trainInWorker(examples: Example[], options: TrainOptions = {}): Promise<Model> {
  const worker = new Worker(new URL('./train-worker-entry.mjs', import.meta.url), { workerData: { examples, options } satisfies Job });
  return new Promise<Model>((resolve, reject) => {
    worker.once('message', (reply: Reply) => (reply.ok ? resolve(reply.model) : reject(new Error(reply.message))));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the training worker exited (${code}) without a model`)));
  }).finally(() => void worker.terminate());
}

if (!isMainThread && parentPort && (workerData as Partial<Job>)?.examples) {
  const { examples, options } = workerData as Job;
  let reply: Reply;
  try {
    reply = { ok: true, model: train(examples, options) };
  } catch (err) {
    reply = { ok: false, message: (err as Error).message };
  }
  parentPort.postMessage(reply);
}
