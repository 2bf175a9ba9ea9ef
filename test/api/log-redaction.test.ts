// Issue 11, "Logs": intake and registry writes carrying phone and ID numbers, some of which fail in
// the database (a CHECK constraint stands in for any fault: PostgreSQL quotes the failing row in its
// DETAIL, PGlite adds every parameter), leave no phone number, ID number or ciphertext in the logs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPlatform, type TestPlatform } from '../helpers/platform.ts';
import { homeGrid, pointIn } from '../helpers/fixtures.ts';
import { idNumber, person, requester, type Requester } from './registry-helpers.ts';

let p: TestPlatform;
const lines: string[] = [];
const r: Record<string, Requester> = {};
const FAULT = '触发故障';
const phones = ['13911112222', '13933334444', '13955556666', '13977778888'];
const ids = [idNumber(), idNumber(), idNumber()];

beforeAll(async () => {
  p = await testPlatform('2026-11-16T01:30:00Z', {}, { level: 'info', stream: { write: (s: string) => { lines.push(s); } } });
  for (const u of ['rexian', 'shequ']) r[u] = requester(p, await p.login(u));
  // a fault on demand, after validation has passed: the row reaches the database and is refused there
  await p.ctx.db.exec(`
    ALTER TABLE "case" ADD CONSTRAINT test_fault CHECK (title <> '${FAULT}') NOT VALID;
    ALTER TABLE person ADD CONSTRAINT test_fault CHECK (current_address IS DISTINCT FROM '${FAULT}') NOT VALID;
    ALTER TABLE house ADD CONSTRAINT test_fault CHECK (address <> '${FAULT}') NOT VALID;`);
});
afterAll(async () => { await p?.close(); });

const intake = (title: string) => r.rexian.post('/api/v1/cases', {
  categoryCode: '030102', title, ...pointIn(homeGrid),
  description: `居民张建国（身份证 ${ids[0]}）反映路灯不亮，回电 ${phones[0]}`,
  reporter: { name: '张建国', phone: phones[1] },
});
const portal = (title: string) => p.http.inject({ method: 'POST', url: '/api/v1/portal/cases', remoteAddress: '198.51.100.40', payload: {
  categoryCode: '030102', title, description: '路灯不亮', ...pointIn(homeGrid), contact: { name: '李华', phone: phones[2] },
} });
const registerPerson = (address: string) => r.shequ.post('/api/v1/persons', person(homeGrid.code, { idNumber: ids[1], phone: phones[3], currentAddress: address }));
const registerHouse = (address: string) => r.shequ.post('/api/v1/houses', { regionCode: homeGrid.code, address, ownerName: '段正淳', ownerIdNumber: ids[2], ownerPhone: phones[3] });

describe('logs', () => {
  it('hold no phone number, ID number or ciphertext after writes that succeeded and writes that failed in the database', async () => {
    expect((await intake('路灯不亮')).status).toBe(201);
    expect((await intake(FAULT)).status).toBe(500);
    expect((await portal('路灯不亮')).statusCode).toBe(201);
    expect((await portal(FAULT)).statusCode).toBe(500);
    expect((await registerPerson('营盘街1号')).status).toBe(201);
    expect((await r.shequ.post('/api/v1/persons', person(homeGrid.code, { idNumber: idNumber(), phone: phones[3], currentAddress: FAULT }))).status).toBe(500);
    expect((await registerHouse(FAULT)).status).toBe(500);
    expect((await registerHouse('营盘街2号')).status).toBe(201);

    const text = lines.join('');
    const errors = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'unhandled error');
    expect(errors).toHaveLength(4); // the faults were logged, with what a developer needs
    for (const e of errors) {
      expect(e.err.message).toContain('test_fault');
      expect(e.err.code).toBe('23514');
    }
    for (const secret of [...phones, ...ids, '张建国', '李华', '段正淳']) expect(text, secret).not.toContain(secret);
    expect(text).not.toMatch(/v1\.[A-Za-z0-9_-]{20,}/);
  });
});
