import { describe, expect, it } from 'vitest';
import { cliLang, DEMO_MQTT_URL, planStart, seedDemoRefusal, withDemoMqtt, type StartFacts } from './start.ts';
import { loadConfig } from '../platform/config.ts';

const facts = (f: Partial<StartFacts>): StartFacts => ({ empty: true, embedded: true, production: false, demoAccounts: 0, demoFlag: undefined, ...f });

describe('what start does with the database it finds', () => {
  it('seeds the demo city into the empty embedded database of `npm start`, and nowhere else unless asked', () => {
    expect(planStart(facts({})).action).toBe('seed_demo');
    expect(planStart(facts({ embedded: false })).action).toBe('refuse');
    expect(planStart(facts({ production: true })).action).toBe('refuse');
    expect(planStart(facts({ demoFlag: false })).action).toBe('refuse');
    expect(planStart(facts({ embedded: false, demoFlag: true })).action).toBe('seed_demo');
    const prod = planStart(facts({ production: true, embedded: false, demoFlag: true }));
    expect(prod).toMatchObject({ action: 'seed_demo', warnings: [expect.stringMatching(/published password/)] });
  });

  it('says what to run instead of serving an empty platform', () => {
    const r = planStart(facts({ embedded: false }));
    if (r.action !== 'refuse') throw new Error(r.action);
    expect(r.message.join('\n')).toMatch(/npx gongzhi init --district/);
    expect(r.message.join('\n')).toMatch(/PostgreSQL/);
    expect(r.message.join('\n')).toMatch(/start --demo/);
  });

  it('says it in Chinese or English as the locale asks, and in both when it names neither', () => {
    expect(cliLang({ LANG: 'zh_CN.UTF-8' })).toBe('zh');
    expect(cliLang({ LANG: 'en_US.UTF-8' })).toBe('en');
    expect(cliLang({ LANG: 'en_US.UTF-8', LC_ALL: 'zh_CN.UTF-8' })).toBe('zh');
    expect(cliLang({ GONGZHI_LANG: 'en', LANG: 'zh_CN.UTF-8' })).toBe('en');
    expect(cliLang({ LANG: 'C.UTF-8' })).toBe('both');
    expect(cliLang({})).toBe('both');
    const empty = (lang: 'zh' | 'en' | 'both') => { const r = planStart(facts({ embedded: false }), lang); return r.action === 'refuse' ? r.message.join('\n') : r.action; };
    expect(empty('zh')).toMatch(/^PostgreSQL 数据库（DATABASE_URL）是空的：没有可服务的区县/);
    expect(empty('zh')).toContain('npx gongzhi init --district 320206');
    expect(empty('zh')).not.toMatch(/is empty|Set up your district/);
    expect(empty('en')).toMatch(/^The PostgreSQL database \(DATABASE_URL\) is empty/);
    expect(empty('en')).not.toMatch(/是空的/);
    expect(empty('both')).toMatch(/是空的[\s\S]*is empty/);
    const demoDb = planStart(facts({ empty: false, production: true, demoAccounts: 900 }), 'zh');
    expect(demoDb.action === 'refuse' && demoDb.message[0]).toMatch(/生产模式（GONGZHI_ENV=production）拒绝使用此数据库：其中有 900 个/);
    expect(planStart(facts({ empty: false, demoFlag: true }), 'zh')).toEqual({ action: 'serve', warnings: ['已忽略 --demo：此数据库已有区县数据。'] });
    expect(seedDemoRefusal(loadConfig({ DATABASE_URL: 'postgres://x/y' }), false, 'zh')).toMatch(/请加 --yes/);
  });

  it('serves a set-up database; production mode refuses one holding demo accounts unless --demo', () => {
    expect(planStart(facts({ empty: false, embedded: false })).action).toBe('serve');
    expect(planStart(facts({ empty: false, production: true })).action).toBe('serve');
    const refused = planStart(facts({ empty: false, production: true, demoAccounts: 900 }));
    expect(refused.action).toBe('refuse');
    if (refused.action === 'refuse') expect(refused.message[0]).toMatch(/900 demo accounts/);
    expect(planStart(facts({ empty: false, production: true, demoAccounts: 900, demoFlag: true })).action).toBe('serve');
    expect(planStart(facts({ empty: false, demoAccounts: 900 })).action).toBe('serve');
    expect(planStart(facts({ empty: false, demoFlag: true }))).toEqual({ action: 'serve', warnings: [expect.stringMatching(/--demo ignored/)] });
  });

  it('asks seed demo for --yes on a PostgreSQL server or in production', () => {
    const key = { GONGZHI_DATA_KEY: 'ab'.repeat(32) };
    expect(seedDemoRefusal(loadConfig({}), false)).toBeNull();
    expect(seedDemoRefusal(loadConfig({ DATABASE_URL: 'postgres://x/y' }), false)).toMatch(/--yes/);
    expect(seedDemoRefusal(loadConfig({ GONGZHI_ENV: 'production', ...key }), false)).toMatch(/production/);
    expect(seedDemoRefusal(loadConfig({ GONGZHI_ENV: 'production', ...key }), true)).toBeNull();
  });
});

describe('GONGZHI_ENV', () => {
  it('is development by default and production only when set; production wants an explicit data key', () => {
    expect(loadConfig({}).production).toBe(false);
    expect(loadConfig({ GONGZHI_ENV: 'development' }).production).toBe(false);
    expect(loadConfig({ GONGZHI_ENV: 'production', GONGZHI_DATA_KEY: 'ab'.repeat(32) }).production).toBe(true);
    expect(() => loadConfig({ GONGZHI_ENV: 'production' })).toThrow(/GONGZHI_DATA_KEY/);
    expect(() => loadConfig({ GONGZHI_ENV: 'prod' })).toThrow(/GONGZHI_ENV/);
  });
});

describe('the demo\'s sensors over MQTT', () => {
  const key = { GONGZHI_DATA_KEY: 'ab'.repeat(32) };
  const start = (env: Record<string, string>) => withDemoMqtt(loadConfig(env as NodeJS.ProcessEnv), env as NodeJS.ProcessEnv);
  it('subscribes `npm start` on the embedded database to the local broker, quietly, when GONGZHI_MQTT_URL is not set', () => {
    expect(start({})).toMatchObject({ GONGZHI_MQTT_URL: DEMO_MQTT_URL, mqttQuiet: true });
    expect(DEMO_MQTT_URL).toBe('mqtt://127.0.0.1:1883');
  });
  it('keeps production and a PostgreSQL server off unless configured, and respects a URL or an empty one', () => {
    expect(start({ GONGZHI_ENV: 'production', ...key }).GONGZHI_MQTT_URL).toBeUndefined();
    expect(start({ DATABASE_URL: 'postgres://x/y' }).GONGZHI_MQTT_URL).toBeUndefined();
    expect(start({ GONGZHI_MQTT_URL: '' }).GONGZHI_MQTT_URL).toBeUndefined();
    const own = start({ GONGZHI_MQTT_URL: 'mqtt://broker.example:1883' });
    expect(own).toMatchObject({ GONGZHI_MQTT_URL: 'mqtt://broker.example:1883' });
    expect(own.mqttQuiet).toBeUndefined();
    expect(start({ GONGZHI_ENV: 'production', GONGZHI_MQTT_URL: 'mqtts://emqx:8883', ...key }).GONGZHI_MQTT_URL).toBe('mqtts://emqx:8883');
  });
});
