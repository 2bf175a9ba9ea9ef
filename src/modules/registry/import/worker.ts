// A worker thread that checks, seals and formats import rows (the CPU-heavy part: checksums, zod,
// AES-256-GCM, HMAC), so a two-core machine keeps both cores busy beside the database.
import { parentPort, workerData } from 'node:worker_threads';
import { createCipher } from '../../../platform/crypto.ts';
import { copyLine, processRow, rowEnv, tableSpec, type RowEnvData, type RowError, type RowOk } from './rows.ts';
import type { HeaderMap } from './columns.ts';

interface Init { data: RowEnvData; dataKey: Uint8Array; map: HeaderMap; headerLength: number }
const init = workerData as Init;
const env = rowEnv(init.data, createCipher(Buffer.from(init.dataKey)));
const spec = tableSpec(init.data.kind);

parentPort!.on('message', (msg: { id: number; batch: string[][]; firstRow: number }) => {
  const ok: Array<Omit<RowOk, 'literals'>> = [];
  const lines: string[] = [];
  const errors: RowError[] = [];
  msg.batch.forEach((cells, i) => {
    const r = processRow(env, spec, init.map, cells, msg.firstRow + i, init.headerLength);
    if (Array.isArray(r)) { errors.push(...r); return; }
    ok.push({ row: r.row, key: r.key, keyOf: r.keyOf });
    lines.push(copyLine(r.literals));
  });
  parentPort!.postMessage({ id: msg.id, ok, lines, errors });
});
