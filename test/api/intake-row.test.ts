// The row a new case is handed on with is the row in the database. Intake does not read the new case back
// (RETURNING * cost a fifth of the server's CPU per intake): it builds the row from what it wrote and the
// columns' defaults (intakeRow in src/modules/cases/intake-batch.ts). That row feeds the case view of the
// answer and every subscriber to new cases (risk rules, mediation's records, auto-dispatch), so it must be
// exactly what `SELECT * FROM "case"` reads: every column, every value, every type. A column added by a
// migration, a default changed, or a trigger that edits an inserted case fails this test until the row
// builder follows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPlatform, type TestPlatform } from '../helpers/platform.ts';
import { homeGrid, pointIn } from '../helpers/fixtures.ts';
import type { CaseRow } from '../../src/modules/cases/rows.ts';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a3a3f1f60000000049454e44ae426082', 'hex');

/** One demo account per role that may report (all of them work in the home grid's street). */
const ACCOUNTS: Record<string, string> = {
  hotline_operator: 'rexian', grid_worker: 'wangge', community: 'shequ', street_centre: 'jiedao', command_centre: 'zhihui', resident: 'jumin',
};

let p: TestPlatform;
const handedOn: Array<{ given: CaseRow; stored: CaseRow }> = [];
beforeAll(async () => {
  p = await testPlatform('2026-11-16T02:00:00Z');
  // what a module subscribing to new cases is given, beside the database's row at that moment: first in line,
  // before the other subscribers change the case (mediation registers a petition, which sets its clock)
  p.cases.reported.unshift(async (row) => { handedOn.push({ given: row, stored: await dbRow(Number(row.id)) }); return false; });
});
afterAll(async () => { await p?.close(); });

async function dbRow(id: number): Promise<CaseRow> {
  const [row] = await p.ctx.db.query<CaseRow>('SELECT * FROM "case" WHERE id = $1', [id]);
  return row;
}

async function categoryFor(type: string): Promise<string> {
  const [c] = await p.ctx.db.query<{ code: string }>(
    'SELECT code FROM category WHERE $1 = ANY(case_types) AND limit_minutes IS NOT NULL AND active ORDER BY code LIMIT 1', [type]);
  if (!c) throw new Error(`no category for ${type}`);
  return c.code;
}

describe('intake: the row handed on', () => {
  it('equals the database row, column for column, for every case type and every way in', async () => {
    const types = [...new Set(p.cases.types.all().map((d) => d.type))].map((t) => p.cases.types.latest(t)!);
    expect(types.length).toBeGreaterThanOrEqual(6);
    const filed: Array<{ label: string; id: number }> = [];
    const tokens = new Map<string, string>();
    const tokenOf = async (role: string) => {
      if (!tokens.has(role)) tokens.set(role, await p.login(ACCOUNTS[role]));
      return tokens.get(role)!;
    };
    for (const def of types) {
      const role = def.intake.roles.find((r) => ACCOUNTS[r]);
      if (!role) continue;
      const token = await tokenOf(role);
      const categoryCode = await categoryFor(def.type);
      const body = {
        type: def.type, categoryCode, title: `${def.name.zh} 测试`, description: '楼道里堆满杂物，\n请尽快处理。',
        ...pointIn(homeGrid), address: '测试路 1 号', urgency: 'normal',
        ...(role === 'resident' ? {} : { reporter: { name: '张三丰', phone: '139-1234-5678' } }),
      };
      const r = await p.as(token).post('/api/v1/cases', body);
      expect(r.status, `${def.type} as ${role}: ${r.text.slice(0, 300)}`).toBe(201);
      filed.push({ label: `${def.type} as ${role}`, id: r.body.id });
    }
    // the other ways in: an emergency (continuous time), an Idempotency-Key, and attachments (the single statement)
    const rexian = await tokenOf('hotline_operator');
    const hotlineCategory = await categoryFor('hotline');
    const urgent = await p.as(rexian).post('/api/v1/cases', { categoryCode: hotlineCategory, title: '燃气泄漏', description: '闻到燃气味', ...pointIn(homeGrid), urgency: 'emergency' },
      { 'idempotency-key': 'intake-row-1' });
    expect(urgent.status, urgent.text).toBe(201);
    filed.push({ label: 'emergency with an Idempotency-Key', id: urgent.body.id });
    const wangge = await tokenOf('grid_worker');
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(PNG)], { type: 'image/png' }), '现场.png');
    const up = await p.http.inject({ method: 'POST', url: '/api/v1/attachments', headers: { authorization: `Bearer ${wangge}` }, payload: form as any });
    expect(up.statusCode, up.body).toBe(201);
    const withPhoto = await p.as(wangge).post('/api/v1/cases', {
      categoryCode: await categoryFor('grid_event'), title: '路灯不亮', description: '晚上很黑', ...pointIn(homeGrid), attachmentIds: [JSON.parse(up.body).id],
    });
    expect(withPhoto.status, withPhoto.text).toBe(201);
    filed.push({ label: 'with an attachment', id: withPhoto.body.id });

    for (const { label, id } of filed) {
      const seen = handedOn.find((x) => Number(x.given.id) === id);
      expect(seen, label).toBeDefined();
      const { given, stored } = seen!;
      expect(Object.keys(given).sort(), label).toEqual(Object.keys(stored).sort());
      expect(given, label).toEqual(stored);
    }
  });
});
