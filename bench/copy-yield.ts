// The batch COPY of sensor readings with a yield between its chunks (src/modules/risk/sensors/store.ts)
// against the same COPY written without yields (as before 2026-12-06 night), beside a busy event loop (a
// timer every 1 ms doing 0.3 ms of work, as the MQTT messages keep the server's loop busy): the rows/s of
// each, and the longest a timer waited meanwhile — what an alert raised during a batch would wait.
//   node bin/run-ts.js bench/copy-yield.ts [--rows 100000] [--rounds 3]
import { createScratchDatabase, numArg, runMain } from './lib.ts';
import { openPostgres } from '../src/platform/db/index.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { ReadingBatch, writeBatch, isoOf } from '../src/modules/risk/sensors/store.ts';
import { from as copyFrom } from 'pg-copy-streams';

async function main() {
  const url = await createScratchDatabase('gz_bench_copy_yield');
  const db = await openPostgres(url, 4);
  await migrate(db);
  const N = numArg('rows', 100_000);
  const make = () => { const b = new ReadingBatch(); const t = Date.now(); for (let i = 0; i < N; i++) b.push({ at: t + i, districtCode: '500117', deviceId: i % 10000, metric: 'lel', value: i % 17 }, '500117001'); return b; };
  async function noYield(b: ReadingBatch) {
    const client = await db.pool!.connect();
    try {
      await new Promise<void>((resolve, reject) => {
        const stream = client.query(copyFrom('COPY sensor_reading (at, district_code, device_id, metric, value) FROM STDIN'));
        stream.on('error', reject); stream.on('finish', () => resolve());
        let i = 0;
        const write = () => {
          while (i < b.size) {
            const end = Math.min(b.size, i + 2000);
            let s = ''; for (let k = i; k < end; k++) s += `${isoOf(b.at[k])}\t${b.district[k]}\t${b.device[k]}\t${b.metric[k]}\t${b.value[k]}\n`;
            const ok = stream.write(s); i = end;
            if (!ok) { stream.once('drain', write); return; }
          }
          stream.end();
        };
        write();
      });
    } finally { client.release(); }
}
// a busy event loop beside it: a timer every 1 ms doing 0.3 ms of work (what the MQTT messages are to the server)
let lag = 0; let last = Date.now();
const busy = setInterval(() => { const t = Date.now(); lag = Math.max(lag, t - last - 1); last = t; const e = t + 0.3; while (Date.now() < e) { /* work */ } }, 1);
for (let round = 0; round < numArg('rounds', 3); round++) {
  for (const [name, f] of [['yield (store.ts)', (b: ReadingBatch) => writeBatch(db, b)], ['no yield', noYield]] as const) {
    const b = make(); lag = 0; last = Date.now();
    const t0 = performance.now(); await f(b); const ms = performance.now() - t0;
    console.log(`${name}: ${N} rows in ${ms.toFixed(0)} ms (${Math.round(N / ms * 1000)} rows/s), longest timer lag ${lag} ms`);
  }
}
clearInterval(busy);
await db.close();
}

await runMain(main, 10 * 60_000);
