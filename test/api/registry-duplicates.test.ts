// Issue 11, "ID-number oracle": registering an ID number that is registered outside your scope used
// to answer 409, so anyone who may register persons could learn whether a number is registered
// anywhere. Now it answers exactly like a new registration, and the duplicate waits for a supervisor
// whose scope covers both records.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPlatform, type TestPlatform } from '../helpers/platform.ts';
import { homeGrid, otherGrid, otherStreet } from '../helpers/fixtures.ts';
import { expectProblem, idNumber, person, requester, type Requester } from './registry-helpers.ts';

let p: TestPlatform;
const r: Record<string, Requester> = {};
const G = homeGrid.code;

beforeAll(async () => {
  p = await testPlatform('2026-11-16T01:30:00Z');
  for (const u of ['shequ', 'zhihui', 'wangge']) r[u] = requester(p, await p.login(u));
  r.elsewhere = requester(p, await p.login(`jd${otherStreet.code}`));
});
afterAll(async () => { await p?.close(); });

/** The answer without the values that differ between any two registrations. */
const shape = (res: { status: number; body: any; headers: Record<string, unknown> }) => ({
  status: res.status, keys: Object.keys(res.body).sort(), location: typeof res.headers.location,
  labels: res.body.labels, populationType: res.body.populationType, regionCode: res.body.regionCode,
});

describe('a number registered outside your scope', () => {
  it('answers like a new registration: neither 409 nor anything else tells the number exists', async () => {
    const known = idNumber();
    expect((await r.shequ.post('/api/v1/persons', person(G, { idNumber: known }))).status).toBe(201);
    const dup = await r.elsewhere.post('/api/v1/persons', person(otherGrid.code, { idNumber: known, name: '王五' }));
    const fresh = await r.elsewhere.post('/api/v1/persons', person(otherGrid.code, { idNumber: idNumber(), name: '王五' }));
    expect(dup.status, dup.text).toBe(201);
    expect(shape(dup)).toEqual(shape(fresh));
    // and the user's own lookups show only their own record
    const lookup = await r.elsewhere.get(`/api/v1/persons?idNumber=${known}`);
    expect(lookup.body.items.map((x: any) => x.id)).toEqual([dup.body.id]);
  });

  it('a number registered inside your scope is still refused: you can see that record anyway', async () => {
    const known = idNumber();
    expect((await r.shequ.post('/api/v1/persons', person(G, { idNumber: known }))).status).toBe(201);
    expectProblem(await r.wangge.post('/api/v1/persons', person(G, { idNumber: known })), 409, 'duplicate_person');
  });

  it('changing a record\'s number to one registered elsewhere answers like any change', async () => {
    const known = idNumber();
    expect((await r.shequ.post('/api/v1/persons', person(G, { idNumber: known }))).status).toBe(201);
    const mine = (await r.elsewhere.post('/api/v1/persons', person(otherGrid.code))).body;
    const patched = await r.elsewhere.patch(`/api/v1/persons/${mine.id}`, { idNumber: known });
    expect(patched.status, patched.text).toBe(200);
  });
});

describe('the review queue', () => {
  let existingId: number, newId: number;
  beforeAll(async () => {
    const known = idNumber();
    existingId = (await r.shequ.post('/api/v1/persons', person(G, { idNumber: known }))).body.id;
    newId = (await r.elsewhere.post('/api/v1/persons', person(otherGrid.code, { idNumber: known }))).body.id;
  });

  it('is shown to supervisors whose scope covers both records, and to no one else', async () => {
    const queue = await r.zhihui.get('/api/v1/persons/duplicate-reviews');
    expect(queue.status).toBe(200);
    expect(queue.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ id: newId, regionCode: otherGrid.code, existing: expect.objectContaining({ id: existingId, regionCode: G }) })]));
    expect((await r.elsewhere.get('/api/v1/persons/duplicate-reviews')).body.items.map((x: any) => x.id)).not.toContain(newId);
    expectProblem(await r.shequ.get('/api/v1/persons/duplicate-reviews'), 403, 'forbidden');
    expectProblem(await r.elsewhere.post(`/api/v1/persons/duplicate-reviews/${newId}/resolve`, { resolution: 'discard' }), 404, 'not_found');
  });

  it('move: the existing record (and its history) goes to the new place; the new record goes', async () => {
    const res = await r.zhihui.post(`/api/v1/persons/duplicate-reviews/${newId}/resolve`, { resolution: 'move', note: '迁居' });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ resolution: 'move', personId: existingId, regionCode: otherGrid.code });
    expect((await r.elsewhere.get(`/api/v1/persons/${existingId}`)).body.regionCode).toBe(otherGrid.code);
    expectProblem(await r.elsewhere.get(`/api/v1/persons/${newId}`), 404);
    expectProblem(await r.shequ.get(`/api/v1/persons/${existingId}`), 404);
    expect((await r.zhihui.get('/api/v1/persons/duplicate-reviews')).body.items.map((x: any) => x.id)).not.toContain(newId);
    const [a] = await p.ctx.db.query<any>(`SELECT action, detail FROM audit_log WHERE action = 'registry.duplicate' ORDER BY id DESC LIMIT 1`);
    expect(a.detail).toMatchObject({ resolution: 'move', duplicate: newId });
  });

  it('discard: the new record goes, the existing one stays where it was', async () => {
    const known = idNumber();
    const existing = (await r.shequ.post('/api/v1/persons', person(G, { idNumber: known }))).body.id;
    const dup = (await r.elsewhere.post('/api/v1/persons', person(otherGrid.code, { idNumber: known }))).body.id;
    expect((await r.zhihui.post(`/api/v1/persons/duplicate-reviews/${dup}/resolve`, { resolution: 'discard' })).status).toBe(200);
    expectProblem(await r.elsewhere.get(`/api/v1/persons/${dup}`), 404);
    expect((await r.shequ.get(`/api/v1/persons/${existing}`)).body.regionCode).toBe(G);
  });
});
