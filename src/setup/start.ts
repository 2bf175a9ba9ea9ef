// What `gongzhi start` does with the database it finds. The embedded database of `npm start` gets the
// demo city in one command; a PostgreSQL server (DATABASE_URL) or production mode (GONGZHI_ENV=
// production) never gets demo accounts unless --demo asks for them; an empty database that is not the
// embedded demo is never served in silence: start says what to run and exits non-zero.
import type { Queryable } from '../platform/db/index.ts';
import type { Config } from '../platform/config.ts';

export interface StartFacts {
  /** the database has no regions */
  empty: boolean;
  /** DATABASE_URL is not set: the embedded PGlite database */
  embedded: boolean;
  production: boolean;
  /** active accounts flagged demo */
  demoAccounts: number;
  /** --demo (true), --no-demo (false), neither (undefined) */
  demoFlag: boolean | undefined;
}

export type StartPlan =
  | { action: 'seed_demo'; warnings: string[] }
  | { action: 'serve'; warnings: string[] }
  | { action: 'refuse'; message: string[] };

/** Pure: the decision, from the facts. */
export function planStart(f: StartFacts): StartPlan {
  const wantDemo = f.demoFlag ?? (f.embedded && !f.production);
  const where = f.embedded ? 'The embedded database' : 'The PostgreSQL database (DATABASE_URL)';
  if (f.empty) {
    if (!wantDemo) {
      return {
        action: 'refuse',
        message: [
          `${where} is empty: there is no district to serve, and ${f.production ? 'production mode' : f.embedded ? '--no-demo' : 'a PostgreSQL server'} gets no demo data unless asked for.`,
          'Set up your district (GB/T 2260 county code) or every district of a city, then start again:',
          '  npx gongzhi init --district 320206        (e.g. 无锡市惠山区)',
          '  npx gongzhi init --city 3202              (every district of 无锡市)',
          'Or try the demo city 重庆市合川区 on this database: npx gongzhi start --demo',
        ],
      };
    }
    return {
      action: 'seed_demo',
      warnings: f.production ? ['Production mode with --demo: the demo accounts share a published password. Do not use this database for real work.'] : [],
    };
  }
  if (f.production && f.demoAccounts > 0 && f.demoFlag !== true) {
    return {
      action: 'refuse',
      message: [
        `Production mode (GONGZHI_ENV=production) refuses this database: it holds ${f.demoAccounts} demo accounts with the published demo password.`,
        'Serve it outside production mode, or give --demo if a demo is what you mean to run; set up a real district on an empty database with npx gongzhi init.',
      ],
    };
  }
  const warnings = f.demoFlag === true && f.demoAccounts === 0 ? ['--demo ignored: this database already holds a district.'] : [];
  return { action: 'serve', warnings };
}

export async function startFacts(db: Queryable, config: Config, demoFlag: boolean | undefined): Promise<StartFacts> {
  const [r] = await db.query<{ regions: number; demo: number }>(
    `SELECT (SELECT count(*)::int FROM region) AS regions, (SELECT count(*)::int FROM app_user WHERE demo AND active) AS demo`);
  return { empty: r.regions === 0, embedded: !config.DATABASE_URL, production: config.production, demoAccounts: r.demo, demoFlag };
}

/** `seed demo` writes published passwords: on a server or in production it wants --yes. */
export function seedDemoRefusal(config: Config, yes: boolean): string | null {
  if (yes || (!config.DATABASE_URL && !config.production)) return null;
  return `seed demo writes the demo city and its accounts, which share the published password, into ${config.production ? 'a production-mode' : 'a PostgreSQL (DATABASE_URL)'} database. Add --yes if that is what you want.`;
}
