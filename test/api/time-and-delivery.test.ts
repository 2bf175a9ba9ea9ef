// Deadlines over the holiday calendar, the overdue scheduler, idempotent intake and live events.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPlatform, type TestPlatform } from '../helpers/platform.ts';
import { homeGrid, otherGrid, pointIn } from '../helpers/fixtures.ts';
import { flagOverdue } from '../../src/modules/cases/scheduler.ts';
import { engine } from '../helpers/engine.ts';

let p: TestPlatform;
const t: Record<string, string> = {};
const loginAll = async () => { for (const u of ['rexian', 'chengguan', 'jiedao', 'zhihui', 'jumin']) t[u] = await p.login(u); };
beforeAll(async () => { p = await testPlatform('2026-09-30T07:00:00Z'); await loginAll(); });
afterAll(async () => { await p?.close(); });

const act = (who: string, id: number, action: string, body: Record<string, unknown> = {}) =>
  p.as(t[who]).post(`/api/v1/cases/${id}/actions/${action}`, body);
const body = (extra: Record<string, unknown> = {}) => ({
  categoryCode: '030102', title: '路灯不亮', description: '小区门口三盏路灯连续一周不亮', ...pointIn(homeGrid), ...extra,
});

describe('deadlines in working time over the 2026 National Day holiday', () => {
  it('a 3-working-day handling limit signed on 30 Sept 16:00 falls due on the make-up Saturday 10 Oct 16:00', async () => {
    const c = (await p.as(t.rexian).post('/api/v1/cases', body())).body;
    // accept within the hour: the reporting step's 1-working-hour clock started at 15:00 (Shanghai)
    expect(c.sla.dueAt).toBe('2026-09-30T08:00:00.000Z');
    await act('rexian', c.id, 'accept');
    await act('rexian', c.id, 'dispatch', { leadUnitId: 'dept-chengguan' });
    p.clock.set('2026-09-30T08:00:00Z'); // 16:00 in 合川
    const signed = await act('chengguan', c.id, 'sign');
    expect(signed.body.case.sla.limitMinutes).toBe(21 * 60);
    expect(signed.body.case.sla.dueAt).toBe('2026-10-10T08:00:00.000Z');
    expect(signed.body.case.sla.yellowAt).toBe('2026-10-10T02:18:00.000Z'); // 80 % of 1,260 min
    // the holiday week does not eat into it
    p.clock.set('2026-10-07T10:00:00Z');
    await loginAll();
    const mid = (await p.as(t.chengguan).get(`/api/v1/cases/${c.id}`)).body;
    expect(mid.sla.light).toBe('green');
    expect(mid.sla.remainingMinutes).toBe(21 * 60 - 90);
    p.clock.set('2026-10-10T03:00:00Z');
    await loginAll();
    expect((await p.as(t.chengguan).get(`/api/v1/cases/${c.id}`)).body.sla.light).toBe('yellow');
    expect((await p.as(t.chengguan).get('/api/v1/cases?sla=yellow')).body.items.map((x: any) => x.id)).toContain(c.id);
    p.clock.set('2026-10-10T08:00:01Z');
    await loginAll();
    expect((await p.as(t.chengguan).get(`/api/v1/cases/${c.id}`)).body.sla.light).toBe('red');
    expect((await p.as(t.chengguan).get('/api/v1/cases?sla=red')).body.items.map((x: any) => x.id)).toContain(c.id);
  });

  it('emergencies run on continuous time', async () => {
    p.clock.set('2026-10-01T02:00:00Z'); // National Day itself
    await loginAll();
    const c = (await p.as(t.rexian).post('/api/v1/cases', body({ categoryCode: '020403', title: '燃气泄漏', urgency: 'emergency' }))).body;
    expect(c.sla.timeMode).toBe('continuous');
    expect(c.sla.dueAt).toBe('2026-10-01T03:00:00.000Z');
  });
});

describe('overdue scheduler', () => {
  it('flags each overdue step exactly once, even when several schedulers run at once', async () => {
    p.clock.set('2026-11-16T01:30:00Z');
    await loginAll();
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) ids.push((await p.as(t.rexian).post('/api/v1/cases', body())).body.id);
    p.clock.advance(24 * 60); // the 1-working-hour acceptance step is long overdue
    const counts = await Promise.all([flagOverdue(p.cases), flagOverdue(p.cases), flagOverdue(p.cases)]);
    expect(counts.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(5);
    expect(await flagOverdue(p.cases)).toBe(0);
    for (const id of ids) {
      const rows = await p.ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM flow_record WHERE case_id = $1 AND action = 'overdue'`, [id]);
      expect(rows[0].n).toBe(1);
    }
    // a new step starts a new clock, which can be flagged again
    await loginAll();
    await act('rexian', ids[0], 'accept');
    p.clock.advance(24 * 60);
    await flagOverdue(p.cases);
    const [{ n }] = await p.ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM flow_record WHERE case_id = $1 AND action = 'overdue'`, [ids[0]]);
    expect(n).toBe(2);
  });

  if (engine === 'postgres') it('on PostgreSQL, two scheduler connections racing never double-flag', async () => {
    p.clock.set('2026-11-17T01:30:00Z');
    await loginAll();
    for (let i = 0; i < 30; i++) await p.as(t.rexian).post('/api/v1/cases', body());
    p.clock.advance(24 * 60);
    await Promise.all([flagOverdue(p.cases, 7), flagOverdue(p.cases, 7), flagOverdue(p.cases, 7), flagOverdue(p.cases, 7)]);
    while (await flagOverdue(p.cases)) { /* drain */ }
    const dup = await p.ctx.db.query(`SELECT case_id FROM flow_record WHERE action = 'overdue' GROUP BY case_id, due_at HAVING count(*) > 1`);
    expect(dup).toEqual([]);
  });
});

describe('flow records are immutable', () => {
  it('the database refuses to change or delete them', async () => {
    await expect(p.ctx.db.query(`UPDATE flow_record SET note = 'tampered'`)).rejects.toThrow(/immutable/);
    await expect(p.ctx.db.query(`DELETE FROM flow_record`)).rejects.toThrow(/immutable/);
  });
});

describe('idempotent intake', () => {
  it('replays the first response for a retried request with the same Idempotency-Key', async () => {
    await loginAll();
    const b = body({ title: '重试的来电' });
    const first = await p.as(t.rexian).post('/api/v1/cases', b, { 'idempotency-key': 'call-20261117-0001' });
    const second = await p.as(t.rexian).post('/api/v1/cases', b, { 'idempotency-key': 'call-20261117-0001' });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body.id).toBe(first.body.id);
    expect(second.headers['idempotent-replayed']).toBe('true');
    const [{ n }] = await p.ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "case" WHERE title = '重试的来电'`);
    expect(n).toBe(1);
    const clash = await p.as(t.rexian).post('/api/v1/cases', body({ title: '另一件事' }), { 'idempotency-key': 'call-20261117-0001' });
    expect(clash.status).toBe(422);
    expect(clash.body.code).toBe('idempotency_key_reused');
  });

  it('concurrent retries create one case', async () => {
    const b = body({ title: '并发重试' });
    const rs = await Promise.all([1, 2, 3, 4].map(() => p.as(t.rexian).post('/api/v1/cases', b, { 'idempotency-key': 'race-1' })));
    expect(new Set(rs.map((r) => r.status))).toEqual(new Set([201]));
    expect(new Set(rs.map((r) => r.body.id)).size).toBe(1);
  });

  it('concurrent intakes each get their own case, flow record and event; a clashing key fails only its own request', async () => {
    const titles = Array.from({ length: 12 }, (_, i) => `并发受理 ${i}`);
    const rs = await Promise.all([
      ...titles.map((title) => p.as(t.rexian).post('/api/v1/cases', body({ title }))),
      p.as(t.rexian).post('/api/v1/cases', body({ title: '并发键 A' }), { 'idempotency-key': 'race-2' }),
      p.as(t.rexian).post('/api/v1/cases', body({ title: '并发键 B' }), { 'idempotency-key': 'race-2' }),
    ]);
    const cases = rs.slice(0, titles.length);
    expect(cases.map((r) => r.status)).toEqual(titles.map(() => 201));
    expect(cases.map((r) => r.body.title)).toEqual(titles);
    expect(new Set(cases.map((r) => r.body.id)).size).toBe(titles.length);
    // one of the two requests with the same key wins; the other is told the key was used for another body
    expect(rs.slice(titles.length).map((r) => r.status).sort()).toEqual([201, 422]);
    expect(rs.slice(titles.length).find((r) => r.status === 422)!.body.code).toBe('idempotency_key_reused');
    const ids = rs.filter((r) => r.status === 201).map((r) => r.body.id);
    const rows = await p.ctx.db.query<{ id: number; title: string; flows: number; events: number }>(
      `SELECT c.id, c.title,
         (SELECT count(*)::int FROM flow_record f WHERE f.case_id = c.id AND f.seq = 0 AND f.action = 'report') AS flows,
         (SELECT count(*)::int FROM outbox o WHERE o.topic = 'case.reported' AND (o.payload->>'caseId')::bigint = c.id) AS events
       FROM "case" c WHERE c.id = ANY($1::bigint[]) ORDER BY c.id`, [ids]);
    expect(rows).toHaveLength(ids.length);
    for (const r of rows) {
      expect(r.flows).toBe(1);
      expect(r.events).toBe(1);
      expect(rs.find((x) => x.body?.id === Number(r.id))!.body.title).toBe(r.title);
    }
  });
});

describe('live events (SSE)', () => {
  it('streams case changes in scope and nothing outside it', async () => {
    await loginAll();
    await p.http.listen({ port: 0, host: '127.0.0.1' });
    const addr = p.http.server.address() as { port: number };
    const open = (token: string) => {
      const ctrl = new AbortController();
      const received: string[] = [];
      const ready = fetch(`http://127.0.0.1:${addr.port}/api/v1/events`, { headers: { authorization: `Bearer ${token}` }, signal: ctrl.signal })
        .then(async (res) => {
          expect(res.headers.get('content-type')).toContain('text/event-stream');
          const reader = res.body!.getReader();
          const dec = new TextDecoder();
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            received.push(dec.decode(value));
          }
        }).catch(() => {});
      return { received, close: () => ctrl.abort(), ready };
    };
    const street = open(t.jiedao); // street centre of the home street
    const district = open(t.zhihui);
    await new Promise((r) => setTimeout(r, 300));
    const inOther = (await p.as(t.rexian).post('/api/v1/cases', body({ ...pointIn(otherGrid), title: '外街道' }))).body;
    const inHome = (await p.as(t.rexian).post('/api/v1/cases', body({ title: '本街道' }))).body;
    await new Promise((r) => setTimeout(r, 1500));
    street.close(); district.close();
    const s = street.received.join('');
    const d = district.received.join('');
    expect(s).toContain(`"caseId":${inHome.id}`);
    expect(s).not.toContain(`"caseId":${inOther.id}`);
    expect(d).toContain(`"caseId":${inOther.id}`);
    expect(d).toContain('event: case.reported');
  });

  it('refuses anonymous subscribers', async () => {
    const r = await p.as(null).get('/api/v1/events');
    expect(r.status).toBe(401);
  });
});
