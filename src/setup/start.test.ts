import { describe, expect, it } from 'vitest';
import { planStart, seedDemoRefusal, type StartFacts } from './start.ts';
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
