// The standard address library and the geocoder over HTTP: caller-style text to places with their full
// region path, a point to the nearest address, intake placed by the typed address alone, and imports
// (CSV, GeoJSON) that take effect at once, within the importer's territory.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblemStatus, testPlatform, type TestPlatform } from '../helpers/platform.ts';
import { communities, homeStreet, otherStreet, streets } from '../helpers/fixtures.ts';

let p: TestPlatform;
const t: Record<string, string> = {};
const yingpan = communities.find((c) => c.shortName === '营盘街社区')!;
const nanjin = streets.find((s) => s.name === '南津街街道')!;
const nanjinCommunity = communities.find((c) => c.parentCode === nanjin.code && c.kind === 'community')!;
const otherCommunity = communities.find((c) => c.parentCode === otherStreet.code)!;

beforeAll(async () => {
  p = await testPlatform();
  for (const u of ['zhihui', 'jiedao', 'rexian', 'jumin', 'chengguan']) t[u] = await p.login(u);
});
afterAll(async () => { await p?.close(); });

const geocode = (q: string, who = 'rexian') => p.as(t[who]).get(`/api/v1/geocode?q=${encodeURIComponent(q)}`);

describe('geocoding', () => {
  it('reads a caller\'s description: district, street, community and a landmark, with noise', async () => {
    const r = await geocode(`合川区合阳城街道${yingpan.shortName}菜市场旁边`);
    expect(r.status, r.text).toBe(200);
    const [best] = r.body.candidates;
    expect(best.label).toBe('营盘街菜市场');
    expect(best.regionPath.map((x: any) => x.code)).toEqual(expect.arrayContaining(['500117', homeStreet.code, yingpan.code]));
    expect(best.regionPath.map((x: any) => x.level)).toEqual(['district', 'street', 'community', 'grid']);
    expect(best.regionPath.at(-1).name).toMatch(/第\d网格/);
    expect(best.lat).toBeGreaterThan(29);
    expect(best.score).toBeGreaterThan(0.5);
  });

  it('finds door numbers, buildings of a community, and a street named alone', async () => {
    const door = (await geocode('营盘街三号附近')).body.candidates[0];
    expect(door).toMatchObject({ label: '营盘街3号', kind: 'door' });
    const street = (await geocode('南津街那边')).body.candidates[0];
    expect(street.regionPath.map((x: any) => x.code)).toContain(nanjin.code);
    const building = (await geocode(`${nanjinCommunity.shortName}3栋门口`)).body.candidates[0];
    expect(building.kind).toBe('building');
    expect(building.label).toMatch(/3栋$/);
    expect(building.regionPath.map((x: any) => x.code)).toContain(nanjinCommunity.code);
    expect((await geocode('完全无关的文字')).body.candidates).toEqual([]);
  });

  it('gives the nearest standard address of a point, with its full path', async () => {
    const door = (await geocode('营盘街3号')).body.candidates[0];
    const r = await p.as(t.jumin).get(`/api/v1/geocode/reverse?lat=${door.lat}&lng=${door.lng + 0.00005}`);
    expect(r.status, r.text).toBe(200);
    expect(r.body.address).toMatchObject({ label: '营盘街3号' });
    expect(r.body.address.distanceMetres).toBeLessThan(10);
    expect(r.body.regionPath.map((x: any) => x.level)).toEqual(['district', 'street', 'community', 'grid']);
    expect(r.body.regionCode.startsWith(yingpan.code)).toBe(true);
  });

  it('refuses malformed queries with a problem', async () => {
    expectProblemStatus(await p.as(t.rexian).get('/api/v1/geocode?q=x&near=abc'), 400);
    expectProblemStatus(await p.as(t.rexian).get('/api/v1/geocode/reverse?lat=100&lng=1'), 400);
    expectProblemStatus(await p.as(t.rexian).get('/api/v1/geocode'), 400);
  });
});

describe('intake placed by the typed address', () => {
  it('a ticket with only an address lands in the community the address names, with a point', async () => {
    const r = await p.as(t.rexian).post('/api/v1/cases', {
      categoryCode: '030102', title: '占道经营', description: '有人占道摆摊', address: `南津街街道${nanjinCommunity.shortName}菜市场旁边`,
    });
    expect(r.status, r.text).toBe(201);
    const c = (await p.as(t.rexian).get(`/api/v1/cases/${r.body.id}`)).body;
    expect(c.regionCode.startsWith(nanjinCommunity.code)).toBe(true);
    expect(c.lat).toBeGreaterThan(29);
    expect(c.address).toContain('菜市场');
  });

  it('an address that names no place is refused, nothing written', async () => {
    const before = (await p.as(t.rexian).get('/api/v1/cases?count=true')).body.total;
    const r = await p.as(t.rexian).post('/api/v1/cases', { categoryCode: '030102', title: '占道经营', description: '有人占道', address: '某某地方' });
    expectProblemStatus(r, 422, 'address_not_found');
    expect((await p.as(t.rexian).get('/api/v1/cases?count=true')).body.total).toBe(before);
  });
});

describe('importing addresses', () => {
  const csv = (rows: string[]) => ['类型,名称,别名,区划代码,经度,纬度', ...rows].join('\n');

  it('all or nothing: a bad row rejects the file and names its row in both languages', async () => {
    const r = await p.as(t.zhihui).post('/api/v1/addresses/import', { format: 'csv', content: csv([
      `地标,望江亭,观景台|江边亭子,${yingpan.code},,`,
      '飞船,火星站,,500117001005,,',
    ]) });
    expectProblemStatus(r, 422, 'import_rejected');
    expect(r.body.errors[0]).toMatchObject({ row: 3 });
    expect(r.body.errors[0].messageZh).toMatch(/类型/);
    expect((await geocode('望江亭')).body.candidates.some((c: any) => c.label === '望江亭')).toBe(false);
  });

  it('imported names are found at once, by name and by alias; importing again updates', async () => {
    const r = await p.as(t.zhihui).post('/api/v1/addresses/import', { format: 'csv', content: csv([`地标,望江亭,观景台|江边亭子,${yingpan.code},,`]) });
    expect(r.status, r.text).toBe(200);
    expect(r.body).toMatchObject({ inserted: 1, updated: 0 });
    const best = (await geocode('江边亭子旁边')).body.candidates[0];
    expect(best).toMatchObject({ label: '望江亭', kind: 'landmark' });
    expect(best.regionPath.map((x: any) => x.code)).toContain(yingpan.code);
    const again = await p.as(t.zhihui).post('/api/v1/addresses/import', { format: 'csv', content: csv([`地标,望江亭,观景台,${yingpan.code},,`]) });
    expect(again.body).toMatchObject({ inserted: 0, updated: 1 });
  });

  it('XLSX (base64) reads like CSV', async () => {
    const ExcelJS: any = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('标准地址');
    ws.addRow(['类型', '名称', '别名', '区划代码']);
    ws.addRow(['小区', '江畔名苑', '江畔小区', yingpan.code]);
    const content = Buffer.from(await wb.xlsx.writeBuffer()).toString('base64');
    const r = await p.as(t.zhihui).post('/api/v1/addresses/import', { format: 'xlsx', content });
    expect(r.status, r.text).toBe(200);
    expect(r.body.inserted).toBe(1);
    expect((await geocode('江畔小区门口')).body.candidates[0]).toMatchObject({ label: '江畔名苑', kind: 'compound' });
    expectProblemStatus(await p.as(t.zhihui).post('/api/v1/addresses/import', { format: 'xlsx', content: 'bm90IGEgd29ya2Jvb2s=' }), 400, 'malformed_file');
  });

  it('GeoJSON points are placed in the grid they lie in', async () => {
    const door = (await geocode('营盘街3号')).body.candidates[0];
    const doc = { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [door.lng, door.lat] }, properties: { kind: '小区', name: '营盘新苑' } }] };
    const r = await p.as(t.zhihui).post('/api/v1/addresses/import', { format: 'geojson', content: JSON.stringify(doc) });
    expect(r.status, r.text).toBe(200);
    const best = (await geocode('营盘新苑')).body.candidates[0];
    expect(best.regionCode).toBe(door.regionCode);
  });

  it('a street centre imports only inside its street', async () => {
    const r = await p.as(t.jiedao).post('/api/v1/addresses/import', { format: 'csv', mode: 'valid_rows', content: csv([
      `地标,合阳亭,,${yingpan.code},,`, `地标,别处亭,,${otherCommunity.code},,`,
    ]) });
    expect(r.status, r.text).toBe(200);
    expect(r.body.inserted).toBe(1);
    expect(r.body.errors).toEqual([expect.objectContaining({ row: 3, messageZh: expect.stringContaining('管辖范围') })]);
  });

  it('the library lists in scope; residents may search but not import', async () => {
    const list = await p.as(t.jiedao).get(`/api/v1/addresses?region=${yingpan.code}&kind=landmark`);
    expect(list.status).toBe(200);
    expect(list.body.items.map((a: any) => a.label)).toContain('营盘街菜市场');
    expect((await p.as(t.jiedao).get(`/api/v1/addresses?region=${otherCommunity.code}`)).body.total).toBe(0);
    expectProblemStatus(await p.as(t.jumin).post('/api/v1/addresses/import', { format: 'csv', content: csv([]) }), 403);
  });
});

describe('maps without a tile server', () => {
  it('street and community outlines are dissolved from the grids, each with its name and a label point inside it', async () => {
    const r = await p.as(t.zhihui).get('/api/v1/regions/500117/outlines');
    expect(r.status, r.text).toBe(200);
    const streets = r.body.features.filter((f: any) => f.properties.level === 'street');
    const comms = r.body.features.filter((f: any) => f.properties.level === 'community');
    expect(streets.map((f: any) => f.properties.code)).toContain(nanjin.code);
    expect(streets.find((f: any) => f.properties.code === nanjin.code).properties.name).toBe('南津街街道');
    expect(comms.length).toBeGreaterThan(300);
    expect(comms.filter((f: any) => f.geometry.type === 'Polygon').length / comms.length).toBeGreaterThan(0.95); // one ring each
    for (const f of comms.slice(0, 40)) {
      const [lng, lat] = f.properties.label;
      const at = await p.as(t.zhihui).get(`/api/v1/regions/locate?lat=${lat}&lng=${lng}`);
      expect(at.body.communityCode).toBe(f.properties.code);
    }
    // a street centre gets its own street only
    const mine = await p.as(t.jiedao).get('/api/v1/regions/500117/outlines');
    expect(new Set(mine.body.features.map((f: any) => f.properties.code.slice(0, 9)))).toEqual(new Set([homeStreet.code]));
  });

  it('the library lists points in a map extent for labelled address and landmark markers', async () => {
    const door = (await geocode('营盘街3号')).body.candidates[0];
    const d = 0.01;
    const r = await p.as(t.zhihui).get(`/api/v1/addresses?bbox=${door.lng - d},${door.lat - d},${door.lng + d},${door.lat + d}&pageSize=2000`);
    expect(r.status, r.text).toBe(200);
    expect(r.body.items.map((a: any) => a.label)).toContain('营盘街3号');
    expect(r.body.items.every((a: any) => Math.abs(a.lat - door.lat) <= d && Math.abs(a.lng - door.lng) <= d)).toBe(true);
  });
});
