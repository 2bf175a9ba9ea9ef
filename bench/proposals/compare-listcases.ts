// Checks that listCases' union of scope branches (used for unfiltered pages) returns the same pages as the
// single OR query it replaces, and times both, on a filled benchmark database:
//   node bin/run-ts.js bench/inbox.ts --keep-db --only-fill        (creates gz_bench_inbox)
//   node bin/run-ts.js bench/proposals/compare-listcases.ts gz_bench_inbox [user,user,…]
//   psql -h 127.0.0.1 -U postgres -c 'DROP DATABASE gz_bench_inbox'
import { openPostgres } from '../../src/platform/db/index.ts';
import { createPlatform } from '../../src/app.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { getActor } from '../../src/platform/auth/service.ts';
import { listCases, ListQuery } from '../../src/modules/cases/index.ts';
import { dbUrl } from '../lib.ts';
const url = dbUrl(process.argv[2] ?? 'gz_bench_inbox');
const db = await openPostgres(url, 2);
const p = await createPlatform({ config: loadConfig({ DATABASE_URL: url, GONGZHI_DATA_KEY: 'ab'.repeat(32), LOG_LEVEL: 'silent' } as NodeJS.ProcessEnv), db, logLevel: 'silent' });
const users = (process.argv[3] ?? 'jiedao,chengguan,rexian,shequ,wangge,ranqi,wuye,zhihui,jumin').split(',');
const queries: Record<string, string>[] = [{}, { inbox: 'true' }, { inbox: 'true', page: '3' }, { sort: 'created_at' }, { inbox: 'true', sort: 'created_at', page: '2' },
  { page: '2', pageSize: '50' }, { count: 'true', inbox: 'true' }, { inbox: 'true', sort: 'due_at' }, { inbox: 'true', sort: 'due_at', page: '3' }, { state: 'handling' }];
const time = async (fn: () => Promise<any>) => { const ts: number[] = []; let out: any; for (let i = 0; i < 5; i++) { const t = performance.now(); out = await fn(); ts.push(performance.now() - t); } ts.sort((a, b) => a - b); return { out, ms: ts[2] }; };
let diffs = 0;
for (const u of users) {
  const [{ id }] = await db.query<any>('select id from app_user where username=$1', [u]);
  const actor = (await getActor(db, Number(id)))!;
  for (const raw of queries) {
    const q = ListQuery.parse(raw);
    const a = await time(() => listCases(p.cases, actor, q, { branches: false }));
    const b = await time(() => listCases(p.cases, actor, q));
    const same = JSON.stringify(a.out) === JSON.stringify(b.out);
    if (!same) diffs++;
    console.log(`${u.padEnd(10)} ${JSON.stringify(raw).padEnd(48)} OR query ${a.ms.toFixed(1).padStart(7)} ms  branches ${b.ms.toFixed(1).padStart(6)} ms  items ${String(a.out.items.length).padStart(2)}${a.out.total != null ? ' total ' + a.out.total : ''} ${same ? 'same' : 'DIFFERENT'}`);
  }
}
console.log(`differences: ${diffs}`);
await p.close();
process.exit(diffs ? 1 : 0);
