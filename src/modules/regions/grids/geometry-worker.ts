// The geometry worker thread: runs one of geometry-checks.ts's operations per message.
import { parentPort } from 'node:worker_threads';
import { geometryOps, type GeometryOps } from './geometry-checks.ts';

parentPort!.on('message', (msg: { id: number; op: keyof GeometryOps; args: unknown[] }) => {
  try {
    const result = (geometryOps[msg.op] as (...a: unknown[]) => unknown)(...msg.args);
    parentPort!.postMessage({ id: msg.id, result });
  } catch (err) {
    parentPort!.postMessage({ id: msg.id, error: (err as Error).message });
  }
});
