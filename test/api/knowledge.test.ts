// The knowledge base (知识库) through the HTTP API: the centre writes articles with categories and dates;
// the operator's search as they type finds articles in force by the words of the call, best match first;
// articles out of date or retired are not offered; an article of one street is not another street's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPlatform, type TestPlatform } from '../helpers/platform.ts';
import { homeStreet, otherStreet } from '../helpers/fixtures.ts';

let p: TestPlatform;
let cmd: string, op: string, jiedao: string;
beforeAll(async () => {
  p = await testPlatform('2026-11-16T01:30:00Z');
  [cmd, op, jiedao] = [await p.login('zhihui'), await p.login('rexian'), await p.login('jiedao')];
});
afterAll(async () => { await p?.close(); });

const article = (extra: Record<string, unknown> = {}) => ({
  categoryCode: '030201', title: '停水停电怎么查', question: '家里停水了怎么办？',
  answer: '突发停水拨打供水公司服务热线96069，停电拨打95598。', keywords: ['停水', '停电', '没水'], validFrom: '2026-01-01', ...extra,
});

describe('knowledge base', () => {
  let waterId = 0;
  it('is written by the centre and found by the words of the call, best match first', async () => {
    const w = await p.as(cmd).post('/api/v1/knowledge/articles', article());
    expect(w.status, w.text).toBe(201);
    waterId = w.body.id;
    expect(w.body).toMatchObject({ regionCode: homeStreet.code.slice(0, 6), inForce: true, keywords: ['停水', '停电', '没水'] });
    await p.as(cmd).post('/api/v1/knowledge/articles', article({ title: '燃气费怎么交', question: '燃气费在哪里交？', answer: '燃气费可在燃气公司营业厅或微信缴纳。', keywords: ['燃气', '缴费'], categoryCode: '030204' }));
    // the caller's words, as the operator types the description
    const r = await p.as(op).get(`/api/v1/knowledge/articles?q=${encodeURIComponent('我家从早上开始没水了，小区也没有通知')}`);
    expect(r.status).toBe(200);
    expect(r.body.items.map((a: any) => a.title)).toEqual(['停水停电怎么查']);
    expect(r.body.items[0].score).toBeGreaterThan(0);
    // by category
    const gas = await p.as(op).get('/api/v1/knowledge/articles?category=0302');
    expect(gas.body.items.map((a: any) => a.title).sort()).toEqual(['停水停电怎么查', '燃气费怎么交']);
  });

  it('offers only articles in force: not before or after their dates, not retired; editors see them all', async () => {
    await p.as(cmd).post('/api/v1/knowledge/articles', article({ title: '2025年停水通知', validFrom: '2025-01-01', validTo: '2025-12-31' }));
    await p.as(cmd).post('/api/v1/knowledge/articles', article({ title: '2027年新规', validFrom: '2027-01-01' }));
    const offered = await p.as(op).get(`/api/v1/knowledge/articles?q=${encodeURIComponent('停水')}`);
    expect(offered.body.items.map((a: any) => a.title)).toEqual(['停水停电怎么查']);
    expect((await p.as(cmd).send('PATCH', `/api/v1/knowledge/articles/${waterId}`, { active: false })).body.inForce).toBe(false);
    expect((await p.as(op).get(`/api/v1/knowledge/articles?q=${encodeURIComponent('停水')}`)).body.items).toEqual([]);
    const all = await p.as(cmd).get(`/api/v1/knowledge/articles?q=${encodeURIComponent('停水')}&all=true`);
    expect(all.body.items.map((a: any) => a.title).sort()).toEqual(['2025年停水通知', '2027年新规', '停水停电怎么查']);
    // operators do not get the editors' view
    expect((await p.as(op).get('/api/v1/knowledge/articles?all=true')).status).toBe(403);
    await p.as(cmd).send('PATCH', `/api/v1/knowledge/articles/${waterId}`, { active: true });
  });

  it('is edited by the centre only, with dates that make sense and categories that exist', async () => {
    expect((await p.as(op).post('/api/v1/knowledge/articles', article())).status).toBe(403);
    expect((await p.as(op).send('PATCH', `/api/v1/knowledge/articles/${waterId}`, { title: '改' })).status).toBe(403);
    const dates = await p.as(cmd).post('/api/v1/knowledge/articles', article({ validFrom: '2026-05-01', validTo: '2026-04-01' }));
    expect(dates.status).toBe(400);
    expect((await p.as(cmd).send('PATCH', `/api/v1/knowledge/articles/${waterId}`, { validTo: '2025-01-01' })).status).toBe(422);
    expect((await p.as(cmd).post('/api/v1/knowledge/articles', article({ categoryCode: '999999' }))).status).toBe(422);
    const edited = await p.as(cmd).send('PATCH', `/api/v1/knowledge/articles/${waterId}`, { answer: '突发停水请拨打96069。', keywords: ['停水'] });
    expect(edited.body).toMatchObject({ answer: '突发停水请拨打96069。', keywords: ['停水'], title: '停水停电怎么查' });
  });

  it('keeps a street\'s article to that street (404 elsewhere), and the district\'s articles reach every street', async () => {
    const own = await p.as(cmd).post('/api/v1/knowledge/articles', article({ title: '本街道便民服务点', regionCode: otherStreet.code }));
    expect(own.status, own.text).toBe(201);
    expect((await p.as(jiedao).get(`/api/v1/knowledge/articles/${own.body.id}`)).status).toBe(404);
    expect((await p.as(jiedao).get(`/api/v1/knowledge/articles/${waterId}`)).status).toBe(200);
    expect((await p.as(jiedao).get(`/api/v1/knowledge/articles?q=${encodeURIComponent('便民服务点')}`)).body.items).toEqual([]);
    expect((await p.as(await p.login('jumin')).get('/api/v1/knowledge/articles')).status).toBe(403);
  });
});
