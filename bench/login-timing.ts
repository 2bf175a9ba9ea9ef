// How long a failed login takes for an account that exists and for one that does not (issue 11: 26–87
// ms against 2–14 ms told which usernames exist). Every failed login now costs one argon2id
// verification (a dummy hash for unknown and inactive accounts). The platform runs in this process
// (PGlite, demo base data); each attempt comes from its own address and for its own account, so the
// login limits never answer instead of the password check.
//   node bin/run-ts.js bench/login-timing.ts [--n 200]
import { performance } from 'node:perf_hooks';
import { createPlatform } from '../src/app.ts';
import { loadConfig } from '../src/platform/config.ts';
import { openPglite } from '../src/platform/db/index.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { seedBase } from '../src/seed/demo.ts';
import { gitRevision, machine, ms, numArg, runMain, table } from './lib.ts';

async function main() {
  const n = numArg('n', 200);
  const db = await openPglite();
  await migrate(db);
  await seedBase(db);
  const accounts = (await db.query<{ username: string }>(`SELECT username FROM app_user WHERE active AND password_hash LIKE '$argon2%' ORDER BY id LIMIT $1`, [n]))
    .map((r) => r.username);
  await db.query(`UPDATE app_user SET active = false WHERE username = ANY($1::text[])`, [accounts.slice(0, Math.floor(n / 4))]);
  const inactive = accounts.slice(0, Math.floor(n / 4));
  const config = loadConfig({ GONGZHI_DATA_DIR: '.tmp/bench-login', GONGZHI_DATA_KEY: 'ef'.repeat(32), LOG_LEVEL: 'silent' } as NodeJS.ProcessEnv);
  const p = await createPlatform({ config, db, logLevel: 'silent' });
  await p.http.ready();
  let address = 0;
  const attempt = async (username: string) => {
    address++;
    const t = performance.now();
    const r = await p.http.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: `10.${(address >> 16) & 255}.${(address >> 8) & 255}.${address & 255}`,
      payload: { username, password: 'not-the-password' } });
    const took = performance.now() - t;
    if (r.statusCode !== 401) throw new Error(`expected 401, got ${r.statusCode} ${r.body}`);
    return took;
  };
  const kinds: Array<[string, () => string]> = [
    ['existing account, wrong password', () => accounts[Math.floor(n / 4) + (address % (n - Math.floor(n / 4)))]],
    ['no such account', () => `nobody-${address}`],
    ['inactive account', () => inactive[address % inactive.length]],
  ];
  await attempt('warm-up'); // the dummy hash is made at the first unknown user
  const rows: Array<Array<string | number>> = [];
  const samples: Record<string, number[]> = {};
  // interleaved, so that whatever else the machine does falls on every kind alike
  for (let i = 0; i < n; i++) for (const [name, user] of kinds) (samples[name] ??= []).push(await attempt(user()));
  for (const [name] of kinds) {
    const s = samples[name].sort((a, b) => a - b);
    const q = (f: number) => s[Math.min(s.length - 1, Math.floor(f * s.length))];
    rows.push([name, s.length, ms(q(0.1)), ms(q(0.5)), ms(q(0.9)), ms(q(0.99))]);
  }
  await p.close();
  console.log(`\nMeasured ${new Date().toISOString().slice(0, 10)} at ${gitRevision()} on ${machine()}; PGlite, in-process inject().\n`);
  console.log(table(['failed login for', 'attempts', 'p10 ms', 'median ms', 'p90 ms', 'p99 ms'], rows));
}

await runMain(main, 20 * 60_000);
