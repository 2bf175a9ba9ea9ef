// The demo city's grid base (src/seed/registry.ts): the communities a new user logs in to have persons,
// houses, organisations, 部件, devices, staff and a month of visits, registered through the registry's
// own use cases: personal data sealed in the tables and masked in lists, and nothing of it visible
// from another street.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPlatform, type TestPlatform } from '../helpers/platform.ts';
import { buildDemoRegions } from '../../src/modules/regions/demo-region-data.ts';
import { seedRegistry, REGISTRY_COMMUNITIES, type RegistrySeedCounts } from '../../src/seed/registry.ts';
import { checkIdNumber } from '../../src/modules/registry/id-number.ts';
import { checkCreditCode } from '../../src/modules/registry/credit-code.ts';
import { requester, type Requester } from './registry-helpers.ts';

let p: TestPlatform;
let counts: RegistrySeedCounts;
let shequ: Requester, jiedao: Requester, elsewhere: Requester, wangge: Requester;
const HOME_COMMUNITY = '500117001005'; // shequ's 营盘街社区
const OTHER_STREET = '500117002'; // 钓鱼城街道
const KINDS = ['buildings', 'houses', 'rooms', 'households', 'places', 'facilities', 'things', 'organisations'] as const;
const TABLES = ['person', 'person_label', 'building', 'house', 'room', 'household', 'place', 'facility', 'thing', 'organisation'];

beforeAll(async () => {
  p = await testPlatform('2026-11-16T01:30:00Z');
  counts = (await seedRegistry(p, buildDemoRegions()))!;
  shequ = requester(p, await p.login('shequ'));
  wangge = requester(p, await p.login('wangge'));
  jiedao = requester(p, await p.login('jiedao'));
  elsewhere = requester(p, await p.login(`jd${OTHER_STREET}`));
}, 120_000);
afterAll(async () => { await p?.close(); });

describe('demo registries', () => {
  it('gives the community account a district-like grid base in its scope', async () => {
    expect(counts.persons).toBeGreaterThanOrEqual(150);
    expect(counts.persons).toBeLessThanOrEqual(300);
    for (const k of ['households', 'buildings', 'houses', 'rooms', 'places', 'facilities', 'things', 'organisations', 'labels', 'followups', 'staff', 'patrols', 'visits'] as const) {
      expect(counts[k], k).toBeGreaterThan(0);
    }
    const persons = await shequ.get('/api/v1/persons?count=true&pageSize=200');
    expect(persons.status).toBe(200);
    expect(persons.body.total).toBeGreaterThan(30);
    expect(persons.body.items.every((x: any) => x.regionCode.startsWith(HOME_COMMUNITY))).toBe(true);
    for (const kind of KINDS) {
      const r = await shequ.get(`/api/v1/${kind}?count=true`);
      expect([kind, r.status, r.body.total > 0]).toEqual([kind, 200, true]);
      expect(r.body.items.every((x: any) => x.regionCode.startsWith(HOME_COMMUNITY)), kind).toBe(true);
    }
    // the street centre above sees all four communities
    expect((await jiedao.get('/api/v1/persons?count=true&pageSize=1')).body.total).toBe(counts.persons);
    // every population type, and special populations with their labels
    const types = await p.ctx.db.query<{ population_type: string; n: number }>('SELECT population_type, count(*)::int AS n FROM person GROUP BY 1');
    expect(types.map((t) => t.population_type).sort()).toEqual(['floating', 'left_behind', 'overseas', 'registered']);
    const labelled = await jiedao.get('/api/v1/persons?label=key_youth&count=true');
    expect(labelled.body.total).toBeGreaterThan(0);
    // 以房管人: a let house shows its tenants, registry persons; a label shows when it started
    const let_ = (await shequ.get('/api/v1/houses?rented=true&pageSize=1')).body.items[0];
    const tenants = (await shequ.get(`/api/v1/houses/${let_.id}/tenancies`)).body.items;
    expect(tenants.length).toBeGreaterThan(0);
    expect((await shequ.get(`/api/v1/persons/${tenants[0].personId}`)).body).toMatchObject({ houseId: let_.id, populationType: 'floating' });
    const [{ n: events }] = await p.ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM person_label_event WHERE action = 'start'`);
    expect(events).toBe(counts.labels);
    // organisations carry valid credit codes; the grid worker sees their own grid's staff and this month's visits
    const orgs = await p.ctx.db.query<{ credit_code: string | null; kind: string }>('SELECT credit_code, kind FROM organisation');
    for (const o of orgs) if (o.kind !== 'party') expect(checkCreditCode(o.credit_code!).ok, o.credit_code!).toBe(true);
    const staff = await wangge.get('/api/v1/grids/50011700100501/staff');
    expect(staff.body.staff.map((s: any) => [s.role, s.name])).toEqual(expect.arrayContaining([['grid_leader', '刘洋'], ['full_time', '赵丽']]));
    const coverage = await shequ.get('/api/v1/grids/coverage');
    expect(coverage.status).toBe(200);
    expect(coverage.body.total.visited).toBeGreaterThan(0);
  });

  it('keeps every record inside a grid of the seeded communities', async () => {
    const prefixes = REGISTRY_COMMUNITIES.map((c) => `${c.code}%`);
    for (const t of [...TABLES, 'grid_staff', 'patrol', 'household_visit']) {
      const [r] = await p.ctx.db.query<{ n: number; outside: number; not_grid: number }>(
        `SELECT count(*)::int AS n, count(*) FILTER (WHERE NOT (t.region_code LIKE ANY($1::text[])))::int AS outside,
           count(*) FILTER (WHERE r.level IS DISTINCT FROM 'grid')::int AS not_grid
         FROM ${t} t LEFT JOIN region r ON r.code = t.region_code`, [prefixes]);
      expect([t, r.n > 0, r.outside, r.not_grid]).toEqual([t, true, 0, 0]);
    }
  });

  it('stores ID numbers, names and phones sealed, lists them masked, finds them by keyed hash', async () => {
    const list = await shequ.get('/api/v1/persons?pageSize=200');
    for (const x of list.body.items) {
      if (x.idType === '111') expect(x.idNumberMasked).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
      expect(x.nameMasked).toMatch(/\*/);
      if (x.phoneMasked) expect(x.phoneMasked).toMatch(/^1\d{2}\*{4}\d{4}$/);
    }
    // the clear values, revealed for a purpose, are nowhere in the tables
    const sample = list.body.items.filter((x: any) => x.idType === '111').slice(0, 12);
    const dump = async (table: string) => (await p.ctx.db.query<{ t: string }>(`SELECT t::text AS t FROM ${table} t`)).map((r) => r.t).join('\n');
    const tables = Object.fromEntries(await Promise.all(TABLES.map(async (t) => [t, await dump(t)] as const)));
    for (const x of sample) {
      const clear = await shequ.post(`/api/v1/persons/${x.id}/reveal`, { purpose: '核对演示数据' });
      expect(clear.status).toBe(200);
      expect(checkIdNumber(clear.body.idNumber, new Date('2026-11-16')).ok).toBe(true);
      expect(x.idNumberMasked).toBe(`${clear.body.idNumber.slice(0, 6)}********${clear.body.idNumber.slice(-4)}`);
      for (const [t, text] of Object.entries(tables)) {
        expect(text.includes(clear.body.idNumber), `${t} holds an ID number in clear`).toBe(false);
        expect(text.includes(clear.body.name), `${t} holds a name in clear`).toBe(false);
        if (clear.body.phone) expect(text.includes(clear.body.phone), `${t} holds a phone in clear`).toBe(false);
      }
      const found = await shequ.get(`/api/v1/persons?idNumber=${clear.body.idNumber}`);
      expect(found.body.items.map((f: any) => f.id)).toEqual([x.id]);
    }
    // no table holds anything that looks like an ID number or a mobile number
    for (const [t, text] of Object.entries(tables)) {
      expect(text.match(/(?<![0-9A-Za-z+/])\d{17}[\dX](?![0-9A-Za-z+/])/), t).toBeNull();
      expect(text.match(/(?<![0-9A-Za-z+/])1[3-9]\d{9}(?![0-9A-Za-z+/])/), t).toBeNull();
    }
    // house owners and tenants are masked in lists and sealed too
    const houses = await shequ.get('/api/v1/houses?rented=true');
    expect(houses.body.items.length).toBeGreaterThan(0);
    expect(houses.body.items[0].tenantNameMasked).toMatch(/\*/);
    expect(houses.body.items[0].ownerIdNumberMasked).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
  });

  it('shows a street centre of another street none of it', async () => {
    expect((await elsewhere.get('/api/v1/persons?count=true')).body.total).toBe(0);
    for (const kind of KINDS) expect([kind, (await elsewhere.get(`/api/v1/${kind}?count=true`)).body.total]).toEqual([kind, 0]);
    const [one] = await p.ctx.db.query<{ id: number }>('SELECT id FROM person ORDER BY id LIMIT 1');
    expect((await elsewhere.get(`/api/v1/persons/${one.id}`)).status).toBe(404);
    expect((await elsewhere.get(`/api/v1/persons?label=key_youth&count=true`)).body.total).toBe(0);
    expect((await elsewhere.get('/api/v1/visits')).body.items).toEqual([]);
  });

  it('seeds once', async () => {
    expect(await seedRegistry(p, buildDemoRegions())).toBeNull();
  });
});
