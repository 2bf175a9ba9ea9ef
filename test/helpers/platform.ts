// A fresh platform per test file on the chosen engine, with a clock the test controls.
import pg from 'pg';
import type { DestinationStream } from 'pino';
import { expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { createPlatform, type Platform } from '../../src/app.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { openPostgres, wrapPglite, type Db } from '../../src/platform/db/index.ts';
import { resetAuthCaches } from '../../src/platform/auth/service.ts';
import { DEMO_PASSWORD } from '../../src/seed/demo.ts';
import { engine, pgAdminUrl, dbUrl, templateName, pgliteTemplateFile } from './engine.ts';

export interface TestPlatform extends Platform {
  clock: { now: Date; set(iso: string): void; advance(minutes: number): void };
  login(username: string, password?: string): Promise<string>;
  /** inject() with a bearer token */
  as(token: string | null): Requester;
  /** The test database's URL on PostgreSQL (for a second process's platform, or a raw connection); undefined on PGlite. */
  databaseUrl?: string;
}

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type Requester = {
  get(url: string): Promise<Res>;
  post(url: string, body?: unknown, headers?: Record<string, string>): Promise<Res>;
  /** any method; the body goes as given (undefined: none) */
  send(method: Method, url: string, body?: unknown, headers?: Record<string, string>): Promise<Res>;
};
export interface Res { status: number; body: any; headers: Record<string, unknown>; text: string }

/** A refusal: this status, as application/problem+json, with this code when one is given. */
export function expectProblemStatus(r: Res, status: number, code?: string): void {
  expect(r.status, r.text.slice(0, 400)).toBe(status);
  expect(r.headers['content-type']).toContain('application/problem+json');
  if (code) expect(r.body.code).toBe(code);
}

async function openTestDb(): Promise<{ db: Db; drop: () => Promise<void>; url?: string }> {
  if (engine === 'postgres') {
    const name = `gz_test_${randomBytes(5).toString('hex')}`;
    const admin = new pg.Client({ connectionString: pgAdminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${templateName()}`);
    await admin.end();
    const db = await openPostgres(dbUrl(name), 8);
    return {
      db, url: dbUrl(name),
      drop: async () => {
        const c = new pg.Client({ connectionString: pgAdminUrl });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.end();
      },
    };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const raw = new PGlite({ loadDataDir: new Blob([readFileSync(pgliteTemplateFile())]) });
  await raw.waitReady;
  return { db: wrapPglite(raw), drop: async () => {} };
}

/** `env` adds configuration (e.g. its own GONGZHI_DATA_DIR, GONGZHI_AUTO_DISPATCH_THRESHOLD); `logs` captures the logs. */
export async function testPlatform(startIso = '2026-11-16T01:00:00Z', env: Record<string, string> = {},
  logs?: { level: string; stream: DestinationStream }): Promise<TestPlatform> {
  return testPlatformOn(await openTestDb(), startIso, env, logs);
}

/**
 * The same over a database the test made itself (`drop` runs after the platform closed, which closes `db`);
 * `url` is the database's URL on PostgreSQL.
 */
export async function testPlatformOn(
  { db, drop = async () => {}, url }: { db: Db; drop?: () => Promise<void>; url?: string },
  startIso = '2026-11-16T01:00:00Z', env: Record<string, string> = {}, logs?: { level: string; stream: DestinationStream },
): Promise<TestPlatform> {
  resetAuthCaches();
  const clock = {
    now: new Date(startIso),
    set(iso: string) { this.now = new Date(iso); },
    advance(minutes: number) { this.now = new Date(this.now.getTime() + minutes * 60_000); },
  };
  const config = loadConfig({ GONGZHI_DATA_DIR: '.tmp/test-data', GONGZHI_DATA_KEY: 'ab'.repeat(32), LOG_LEVEL: 'silent', ...env } as NodeJS.ProcessEnv);
  const p = await createPlatform({ config, db, now: () => clock.now, logLevel: logs?.level ?? 'silent', logStream: logs?.stream });
  await p.http.ready();
  const inject = (token: string | null, method: Method, url: string, body?: unknown, headers: Record<string, string> = {}) =>
    p.http.inject({
      method, url, payload: body as any,
      // the tests read the English texts: they ask for English as a client would (without the header the API answers in Chinese)
      headers: { 'accept-language': 'en', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    }).then((r) => {
      let parsed: any = null;
      try { parsed = r.body ? JSON.parse(r.body) : null; } catch { parsed = null; }
      return { status: r.statusCode, body: parsed, headers: r.headers, text: r.body };
    });
  const close = p.close;
  return Object.assign(p, {
    clock, databaseUrl: url,
    async login(username: string, password = DEMO_PASSWORD) {
      const r = await inject(null, 'POST', '/api/v1/auth/login', { username, password });
      if (r.status !== 200) throw new Error(`login ${username} failed: ${r.status} ${r.text}`);
      return r.body.token as string;
    },
    as(token: string | null): Requester {
      return {
        get: (url: string) => inject(token, 'GET', url),
        post: (url: string, body?: unknown, headers?: Record<string, string>) => inject(token, 'POST', url, body ?? {}, headers),
        send: (method: Method, url: string, body?: unknown, headers?: Record<string, string>) => inject(token, method, url, body, headers),
      };
    },
    async close() { await close(); await drop(); },
  });
}
