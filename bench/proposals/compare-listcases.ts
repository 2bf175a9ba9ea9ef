// Compares today's listCases with the proposal in listcases-union.ts on a filled benchmark database:
//   node bin/run-ts.js bench/inbox.ts --keep-db --only-fill        (creates gz_bench_inbox)
//   node bin/run-ts.js bench/proposals/compare-listcases.ts gz_bench_inbox [user,user,…]
//   psql -h 127.0.0.1 -U postgres -c 'DROP DATABASE gz_bench_inbox'
import { openPostgres } from '../../src/platform/db/index.ts';
import { createPlatform } from '../../src/app.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { getActor } from '../../src/platform/auth/service.ts';
import { listCases } from '../../src/modules/cases/service.ts';
import { ListQuery } from '../../src/modules/cases/contracts.ts';
import { listCasesProposed } from './listcases-union.ts';
import { dbUrl } from '../lib.ts';
const url = dbUrl(process.argv[2] ?? 'gz_bench_inbox');
const db = await openPostgres(url, 2);
await db.exec('SET jit = off');
const p = await createPlatform({ config: loadConfig({ DATABASE_URL: url, GONGZHI_DATA_KEY: 'ab'.repeat(32), LOG_LEVEL: 'silent' } as NodeJS.ProcessEnv), db, logLevel: 'silent' });
const users = (process.argv[3] ?? 'jiedao,chengguan,rexian,shequ,wangge,ranqi,wuye,zhihui,jumin').split(',');
const queries: Record<string, string>[] = [{}, { inbox: 'true' }, { inbox: 'true', page: '3' }, { state: 'handling' }, { type: 'urban', inbox: 'true' }, { category: '03' }, { sort: 'due_at', open: 'true' }, { sla: 'red', inbox: 'true' }, { page: '2', pageSize: '50' }, { count: 'true', inbox: 'true' }];
const time = async (fn: () => Promise<any>) => { const ts: number[] = []; let out: any; for (let i = 0; i < 3; i++) { const t = performance.now(); out = await fn(); ts.push(performance.now() - t); } ts.sort((a, b) => a - b); return { out, ms: ts[1] }; };
let diffs = 0;
for (const u of users) {
  const [{ id }] = await db.query<any>('select id from app_user where username=$1', [u]);
  const actor = (await getActor(db, Number(id)))!;
  for (const raw of queries) {
    const q = ListQuery.parse(raw);
    const a = await time(() => listCases(p.cases, actor, q));
    const b = await time(() => listCasesProposed(p.cases, actor, q));
    const ia = a.out.items.map((x: any) => x.id).join(','), ib = b.out.items.map((x: any) => x.id).join(',');
    const same = ia === ib && a.out.hasMore === b.out.hasMore && a.out.total === b.out.total;
    if (!same) diffs++;
    console.log(`${u.padEnd(10)} ${JSON.stringify(raw).padEnd(36)} now ${a.ms.toFixed(1).padStart(7)} ms  proposed ${b.ms.toFixed(1).padStart(6)} ms  items ${String(a.out.items.length).padStart(2)}${a.out.total != null ? ' total ' + a.out.total + '/' + b.out.total : ''} ${same ? 'same' : 'DIFFERENT'}`);
  }
}
console.log(`differences: ${diffs}`);
await p.close();
process.exit(diffs ? 1 : 0);
