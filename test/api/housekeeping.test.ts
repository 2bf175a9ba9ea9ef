// Expiry by policy: outbox events, idempotency keys and ended sessions go when the configured retention
// has passed, and not before.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPlatform, type TestPlatform } from '../helpers/platform.ts';
import { homeGrid, pointIn } from '../helpers/fixtures.ts';
import { retentionPolicy, retentionTask, runHousekeeping } from '../../src/platform/housekeeping.ts';

let p: TestPlatform;
const NOW = '2026-11-16T01:00:00Z';
const daysAgo = (d: number) => new Date(new Date(NOW).getTime() - d * 86_400_000);

beforeAll(async () => {
  // a policy other than the defaults, to see that the configuration is what counts
  p = await testPlatform(NOW, { GONGZHI_OUTBOX_RETENTION_DAYS: '3', GONGZHI_IDEMPOTENCY_RETENTION_DAYS: '2', GONGZHI_SESSION_RETENTION_DAYS: '10' });
});
afterAll(async () => { await p?.close(); });

const housekeeping = () => runHousekeeping([retentionTask(p.ctx.db, retentionPolicy(p.ctx.config))], p.clock.now, (err) => { throw err; });

describe('housekeeping expires rows by the configured policy', () => {
  it('drops outbox events older than GONGZHI_OUTBOX_RETENTION_DAYS, oldest positions first, and keeps the rest', async () => {
    await p.ctx.db.query('DELETE FROM outbox');
    for (const [topic, age] of [['test.old1', 5], ['test.old2', 4], ['test.young1', 2], ['test.young2', 0]] as const) {
      await p.ctx.db.query(`INSERT INTO outbox (topic, region_code, payload, created_at) VALUES ($1, $2, '{}'::jsonb, $3)`, [topic, homeGrid.code, daysAgo(age)]);
      await p.ctx.events.tick(); // one position each, in this order
    }
    const counts = await housekeeping();
    expect(counts.outbox).toBe(2);
    const left = await p.ctx.db.query<{ topic: string; pos: number }>('SELECT topic, pos FROM outbox ORDER BY pos');
    expect(left.map((r) => r.topic)).toEqual(['test.young1', 'test.young2']);
    expect(Number(left[1].pos)).toBe(Number(left[0].pos) + 1);
    expect((await housekeeping()).outbox).toBe(0);
  });

  it('forgets an Idempotency-Key after GONGZHI_IDEMPOTENCY_RETENTION_DAYS: a retry within it replays, after it is a new report', async () => {
    const token = await p.login('rexian');
    const report = () => p.as(token).post('/api/v1/cases', {
      categoryCode: '030102', title: '路灯不亮', description: '小区门口三盏路灯连续一周不亮', ...pointIn(homeGrid),
    }, { 'idempotency-key': 'retry-me-7' });
    const first = await report();
    expect(first.status).toBe(201);
    await p.ctx.db.query(`UPDATE idempotency_key SET created_at = $1 WHERE key = 'retry-me-7'`, [daysAgo(1)]);
    await housekeeping();
    const replay = await report();
    expect(replay.body.id).toBe(first.body.id);
    await p.ctx.db.query(`UPDATE idempotency_key SET created_at = $1 WHERE key = 'retry-me-7'`, [daysAgo(3)]);
    expect((await housekeeping()).idempotencyKeys).toBe(1);
    const fresh = await report();
    expect(fresh.status).toBe(201);
    expect(fresh.body.id).not.toBe(first.body.id);
  });

  it('deletes sessions GONGZHI_SESSION_RETENTION_DAYS after they expired or were revoked, and never a live one', async () => {
    const live = await p.login('jiedao');
    const [u] = await p.ctx.db.query<{ id: number }>(`SELECT id FROM app_user WHERE username = 'jiedao'`);
    const add = (hash: string, expires: Date, revoked: Date | null) => p.ctx.db.query(
      'INSERT INTO session (token_hash, user_id, created_at, expires_at, revoked_at) VALUES ($1, $2, $3, $3, $4)',
      [hash, u.id, expires, revoked]);
    await add('expired-long-ago', daysAgo(11), null);
    await add('expired-recently', daysAgo(9), null);
    await add('revoked-long-ago', daysAgo(-1), daysAgo(12));
    await add('revoked-recently', daysAgo(-1), daysAgo(1));
    expect((await housekeeping()).sessions).toBe(2);
    const left = (await p.ctx.db.query<{ token_hash: string }>('SELECT token_hash FROM session WHERE user_id = $1', [u.id])).map((r) => r.token_hash);
    expect(left).toEqual(expect.arrayContaining(['expired-recently', 'revoked-recently']));
    expect(left).not.toContain('expired-long-ago');
    expect(left).not.toContain('revoked-long-ago');
    expect((await p.as(live).get('/api/v1/auth/me')).status).toBe(200);
  });
});
