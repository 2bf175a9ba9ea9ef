// Event delivery: commit order without loss, SSE resume from Last-Event-ID, and streams that end with
// their session (logout, revocation elsewhere, deactivation, expiry).
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPlatform, type TestPlatform } from '../helpers/platform.ts';
import { homeGrid, otherGrid, pointIn } from '../helpers/fixtures.ts';
import { engine } from '../helpers/engine.ts';
import { openSse, type SseClient } from '../helpers/sse.ts';
import type { DomainEvent } from '../../src/platform/events/index.ts';
import { MAX_REPLAY } from '../../src/platform/events/stream.ts';
import { expireOutbox } from '../../src/platform/housekeeping.ts';
import { ensureAdmin } from '../../src/platform/auth/bootstrap.ts';

let p: TestPlatform;
let base = '';
const t: Record<string, string> = {};
const open: SseClient[] = [];

beforeAll(async () => {
  // the session check runs every 0.2 s, so a revocation made "by another process" shows quickly
  p = await testPlatform('2026-11-16T01:00:00Z', { GONGZHI_STREAM_CHECK_SECONDS: '0.2', GONGZHI_EVENTS_POLL_MS: '50' });
  for (const u of ['rexian', 'jiedao', 'zhihui']) t[u] = await p.login(u);
  await ensureAdmin(p.ctx.db, 'admin-secret-2026');
  t.admin = await p.login('admin', 'admin-secret-2026');
  await p.http.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(p.http.server.address() as { port: number }).port}`;
});
afterAll(async () => {
  for (const c of open) c.close();
  await p?.close();
});

const body = (extra: Record<string, unknown> = {}) => ({
  categoryCode: '030102', title: '路灯不亮', description: '小区门口三盏路灯连续一周不亮', ...pointIn(homeGrid), ...extra,
});
const report = async (extra: Record<string, unknown> = {}) => {
  const r = await p.as(t.rexian).post('/api/v1/cases', body(extra));
  expect(r.status, r.text).toBe(201);
  return r.body as { id: number };
};
function stream(token: string, headers: Record<string, string> = {}): SseClient {
  const c = openSse(`${base}/api/v1/events`, { authorization: `Bearer ${token}`, ...headers });
  open.push(c);
  return c;
}
const caseEvent = (id: number) => (e: { event: string; data: any }) => e.event === 'case.reported' && e.data.caseId === id;

describe('commit order without loss', () => {
  if (engine === 'postgres') it('delivers both events when the later id commits first, in commit order (PostgreSQL, two transactions)', async () => {
    const got: DomainEvent[] = [];
    const off = p.ctx.events.subscribe((e) => { if (e.topic.startsWith('test.')) got.push(e); });
    const first = new pg.Client({ connectionString: p.databaseUrl });
    const second = new pg.Client({ connectionString: p.databaseUrl });
    await first.connect();
    await second.connect();
    try {
      const insert = `INSERT INTO outbox (topic, region_code, payload) VALUES ($1, $2, '{}'::jsonb) RETURNING id`;
      await first.query('BEGIN');
      const [a] = (await first.query(insert, ['test.first', homeGrid.code])).rows;
      await second.query('BEGIN');
      const [b] = (await second.query(insert, ['test.second', homeGrid.code])).rows;
      expect(Number(a.id)).toBeLessThan(Number(b.id)); // the later id …
      await second.query('COMMIT'); // … commits first
      await p.ctx.events.tick();
      expect(got.map((e) => e.topic)).toEqual(['test.second']);
      await first.query('COMMIT');
      await p.ctx.events.tick();
      // reading `id > last id seen` would have skipped test.first for good
      expect(got.map((e) => e.topic)).toEqual(['test.second', 'test.first']);
      expect(got[1].position).toBe(got[0].position + 1);
    } finally {
      off();
      await first.end();
      await second.end();
    }
  });

  it('keeps the position order of events written in one transaction and across transactions', async () => {
    const got: DomainEvent[] = [];
    const off = p.ctx.events.subscribe((e) => { if (e.topic === 'case.reported') got.push(e); });
    const ids = [(await report()).id, (await report()).id, (await report()).id];
    await p.ctx.events.tick();
    off();
    expect(got.map((e) => e.payload.caseId)).toEqual(ids);
    expect(got.map((e) => e.position)).toEqual([got[0].position, got[0].position + 1, got[0].position + 2]);
  });
});

describe('SSE resumes from Last-Event-ID', () => {
  it('replays what the client missed while away, only what it may see, then goes on live', async () => {
    const first = stream(t.jiedao);
    const seen = await report({ title: '断线前' });
    const e1 = await first.waitFor(caseEvent(seen.id));
    expect(e1.id).toMatch(/^\d+$/);
    first.close();

    const missedHome = await report({ title: '断线期间本街道' });
    const missedOther = await report({ ...pointIn(otherGrid), title: '断线期间外街道' });
    const again = stream(t.jiedao, { 'last-event-id': first.lastId()! });
    await again.waitFor(caseEvent(missedHome.id));
    const live = await report({ title: '重连后' });
    await again.waitFor(caseEvent(live.id));
    const caseIds = again.events.filter((e) => e.event === 'case.reported').map((e) => e.data.caseId);
    expect(caseIds).toEqual([missedHome.id, live.id]); // not the one seen before, nor the other street's
    expect(caseIds).not.toContain(missedOther.id);
    const ids = again.events.map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    expect(ids[0]).toBeGreaterThan(Number(e1.id));

    // the district sees the other street's case in its own replay
    const district = stream(t.zhihui, { 'last-event-id': e1.id! });
    await district.waitFor(caseEvent(missedOther.id));
  });

  it('a client too far behind, or whose events expired, is told to reload and goes on from the present', async () => {
    const c = stream(t.zhihui);
    const marker = await report({ title: '标记' });
    const e = await c.waitFor(caseEvent(marker.id));
    c.close();
    await p.ctx.db.query(
      `INSERT INTO outbox (topic, region_code, payload) SELECT 'test.filler', $1, '{}'::jsonb FROM generate_series(1, $2::int)`,
      [homeGrid.code, MAX_REPLAY + 5]);
    await p.ctx.events.tick();
    const behind = stream(t.zhihui, { 'last-event-id': e.id! });
    const reset = await behind.waitFor((x) => x.event === 'reset');
    expect(reset.data.reason).toBe('too_far_behind');
    expect(behind.events.some((x) => x.event === 'test.filler')).toBe(false);
    const after = await report({ title: '重置后' });
    await behind.waitFor(caseEvent(after.id));

    behind.close();
    const resumeFrom = behind.lastId()!;
    await report({ title: '离线期间' });
    await p.ctx.events.tick();
    await expireOutbox(p.ctx.db, new Date(Date.now() + 60_000)); // every event kept so far is past its retention
    const expired = stream(t.zhihui, { 'last-event-id': resumeFrom });
    expect((await expired.waitFor((x) => x.event === 'reset')).data.reason).toBe('expired');
  });

  it('refuses a malformed Last-Event-ID and anonymous subscribers', async () => {
    const r = await p.http.inject({ method: 'GET', url: '/api/v1/events', headers: { authorization: `Bearer ${t.rexian}`, 'last-event-id': 'abc' } });
    expect(r.statusCode).toBe(400);
    expect(JSON.parse(r.body).code).toBe('invalid_last_event_id');
    expect((await p.as(null).get('/api/v1/events')).status).toBe(401);
  });
});

describe('streams end with their session', () => {
  it('ends at logout, telling the client why; reconnecting with the old token is refused', async () => {
    const token = await p.login('jiedao');
    const c = stream(token);
    await c.status;
    await new Promise((r) => setTimeout(r, 100));
    expect((await p.as(token).post('/api/v1/auth/logout')).status).toBe(204);
    await c.ended;
    expect(c.events.at(-1)).toMatchObject({ event: 'session_ended', data: { reason: 'revoked' } });
    const again = stream(token, { 'last-event-id': c.lastId() ?? '0' });
    expect(await again.status).toBe(401);
  });

  it('ends when another process revokes the session (seen by the periodic check)', async () => {
    const token = await p.login('jiedao');
    const c = stream(token);
    await c.status;
    const [row] = await p.ctx.db.query<{ n: number }>(
      `WITH s AS (UPDATE session SET revoked_at = now() WHERE user_id = (SELECT id FROM app_user WHERE username = 'jiedao') AND revoked_at IS NULL RETURNING 1)
       SELECT count(*)::int AS n FROM s`);
    expect(row.n).toBeGreaterThan(0);
    await c.ended;
    expect(c.events.at(-1)).toMatchObject({ event: 'session_ended', data: { reason: 'revoked' } });
  });

  it('ends when an administrator deactivates the user, and nothing is sent after', async () => {
    const token = await p.login('shequ');
    const c = stream(token);
    await c.status;
    const [u] = await p.ctx.db.query<{ id: number }>(`SELECT id FROM app_user WHERE username = 'shequ'`);
    const r = await p.as(t.admin).send('PATCH', `/api/v1/admin/users/${u.id}`, { active: false });
    expect(r.status, r.text).toBe(200);
    await c.ended;
    expect(c.events.at(-1)).toMatchObject({ event: 'session_ended', data: { reason: 'deactivated' } });
    const count = c.events.length;
    await report({ title: '停用后' });
    await p.ctx.events.tick();
    expect(c.events.length).toBe(count);
    await p.as(t.admin).send('PATCH', `/api/v1/admin/users/${u.id}`, { active: true });
  });

  it('ends when the session expires', async () => {
    const token = await p.login('jiedao');
    const c = stream(token);
    await c.status;
    p.clock.advance(p.ctx.config.GONGZHI_SESSION_HOURS * 60 + 1);
    try {
      await c.ended;
    } finally {
      p.clock.set('2026-11-16T01:00:00Z');
    }
    expect(c.events.at(-1)).toMatchObject({ event: 'session_ended', data: { reason: 'expired' } });
  });
});
