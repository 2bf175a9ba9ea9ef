// A worker thread that checks, seals and formats import rows (batch.ts), so a two-core machine keeps
// both cores busy beside the database.
import { parentPort, workerData } from 'node:worker_threads';
import { createCipher } from '../../../platform/crypto.ts';
import { batchChecker, checkBatch, type WorkerTask } from './batch.ts';
import type { HeaderMap } from './columns.ts';
import { fastLookupHash } from './lookup-hash.ts';
import type { RowEnvData } from './rows.ts';

interface Init { data: RowEnvData; dataKey: Uint8Array; map: HeaderMap; headerLength: number }
const init = workerData as Init;
const master = Buffer.from(init.dataKey);
const cipher = createCipher(master);
const checker = batchChecker(init.data, { ...cipher, lookupHash: fastLookupHash(master, cipher.lookupHash) }, init.map, init.headerLength);

parentPort!.on('message', (task: WorkerTask) => {
  const out = checkBatch(checker, task);
  parentPort!.postMessage(out, [out.copy, out.rows.buffer as ArrayBuffer]);
});
