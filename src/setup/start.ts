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

// the language of the command line's messages (GONGZHI_LANG, LC_ALL, LC_MESSAGES, LANG; both when none names one)
import { cliLang, type CliLang } from '../platform/cli-text.ts';
export { cliLang, type CliLang };

type Bilingual = { zh: string[]; en: string[] };
const inLang = (m: Bilingual, lang: CliLang): string[] => (lang === 'both' ? [...m.zh, ...m.en] : m[lang]);

/** Pure: the decision, from the facts; its messages in `lang` (default English). */
export function planStart(f: StartFacts, lang: CliLang = 'en'): StartPlan {
  const wantDemo = f.demoFlag ?? (f.embedded && !f.production);
  if (f.empty) {
    if (!wantDemo) {
      const why = {
        zh: f.production ? '生产模式下' : f.embedded ? '使用了 --no-demo' : '使用 PostgreSQL 服务器时',
        en: f.production ? 'production mode' : f.embedded ? '--no-demo' : 'a PostgreSQL server',
      };
      return {
        action: 'refuse',
        message: inLang({
          zh: [
            `${f.embedded ? '内置数据库' : 'PostgreSQL 数据库（DATABASE_URL）'}是空的：没有可服务的区县；${why.zh}，不会自动写入演示数据（除非加 --demo）。`,
            '请先建立您的区县（GB/T 2260 县级代码）或一个城市的全部区县，再启动：',
            '  npx gongzhi init --district 320206        （例：无锡市惠山区）',
            '  npx gongzhi init --city 3202              （无锡市的全部区县）',
            '或在此数据库试用演示城市重庆市合川区：npx gongzhi start --demo',
          ],
          en: [
            `${f.embedded ? 'The embedded database' : 'The PostgreSQL database (DATABASE_URL)'} is empty: there is no district to serve, and ${why.en} gets no demo data unless asked for.`,
            'Set up your district (GB/T 2260 county code) or every district of a city, then start again:',
            '  npx gongzhi init --district 320206        (e.g. 无锡市惠山区)',
            '  npx gongzhi init --city 3202              (every district of 无锡市)',
            'Or try the demo city 重庆市合川区 on this database: npx gongzhi start --demo',
          ],
        }, lang),
      };
    }
    return {
      action: 'seed_demo',
      warnings: f.production ? inLang({
        zh: ['生产模式下使用了 --demo：演示账号共用公开的密码，请勿用此数据库办理真实业务。'],
        en: ['Production mode with --demo: the demo accounts share a published password. Do not use this database for real work.'],
      }, lang) : [],
    };
  }
  if (f.production && f.demoAccounts > 0 && f.demoFlag !== true) {
    return {
      action: 'refuse',
      message: inLang({
        zh: [
          `生产模式（GONGZHI_ENV=production）拒绝使用此数据库：其中有 ${f.demoAccounts} 个使用公开演示密码的演示账号。`,
          '请在非生产模式下运行它；如确实要运行演示，请加 --demo；真实区县请在空数据库上用 npx gongzhi init 建立。',
        ],
        en: [
          `Production mode (GONGZHI_ENV=production) refuses this database: it holds ${f.demoAccounts} demo accounts with the published demo password.`,
          'Serve it outside production mode, or give --demo if a demo is what you mean to run; set up a real district on an empty database with npx gongzhi init.',
        ],
      }, lang),
    };
  }
  const warnings = f.demoFlag === true && f.demoAccounts === 0
    ? inLang({ zh: ['已忽略 --demo：此数据库已有区县数据。'], en: ['--demo ignored: this database already holds a district.'] }, lang) : [];
  return { action: 'serve', warnings };
}

export async function startFacts(db: Queryable, config: Config, demoFlag: boolean | undefined): Promise<StartFacts> {
  const [r] = await db.query<{ regions: number; demo: number }>(
    `SELECT (SELECT count(*)::int FROM region) AS regions, (SELECT count(*)::int FROM app_user WHERE demo AND active) AS demo`);
  return { empty: r.regions === 0, embedded: !config.DATABASE_URL, production: config.production, demoAccounts: r.demo, demoFlag };
}

/** `seed demo` writes published passwords: on a server or in production it wants --yes. */
export function seedDemoRefusal(config: Config, yes: boolean, lang: CliLang = 'en'): string | null {
  if (yes || (!config.DATABASE_URL && !config.production)) return null;
  return inLang({
    zh: [`seed demo 会把演示城市及其共用公开密码的演示账号写入${config.production ? '生产模式的' : ' PostgreSQL（DATABASE_URL）'}数据库。如确需如此，请加 --yes。`],
    en: [`seed demo writes the demo city and its accounts, which share the published password, into ${config.production ? 'a production-mode' : 'a PostgreSQL (DATABASE_URL)'} database. Add --yes if that is what you want.`],
  }, lang).join('\n');
}

/** What start prints while it seeds the demo city into an empty database. */
export const seedingMessage = (lang: CliLang): string[] => inLang({
  zh: ['空数据库：正在写入演示城市重庆市合川区（首次启动约需一分钟）……'],
  en: ['Empty database: seeding the demo city 重庆市合川区 (takes a minute on first start)…'],
}, lang);

/** The broker the demo subscribes to: Mosquitto on this machine (README, docs/risk.md). */
export const DEMO_MQTT_URL = 'mqtt://127.0.0.1:1883';

/**
 * `gongzhi start` on the embedded database (the demo) subscribes to the local MQTT broker when
 * GONGZHI_MQTT_URL is not set at all, quietly (one log line if none answers, retrying meanwhile). Production
 * and a PostgreSQL server subscribe only where GONGZHI_MQTT_URL says; `GONGZHI_MQTT_URL=` (empty) turns it off.
 */
export function withDemoMqtt(config: Config, env: NodeJS.ProcessEnv = process.env): Config {
  if (config.GONGZHI_MQTT_URL || config.production || config.DATABASE_URL || 'GONGZHI_MQTT_URL' in env) return config;
  return { ...config, GONGZHI_MQTT_URL: DEMO_MQTT_URL, mqttQuiet: true };
}
