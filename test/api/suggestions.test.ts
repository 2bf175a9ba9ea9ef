// Category suggestions out of the box: on a fresh install (no text model) they come from the category
// tree's names and keywords, both as the description is typed and in the dispatch form; the picker's
// tree carries the keywords; once enough cases closed the model retrains by itself and takes over.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { testPlatform, type TestPlatform } from '../helpers/platform.ts';
import { homeGrid, pointIn } from '../helpers/fixtures.ts';
import { autoRetrainTick } from '../../src/modules/intelligence/index.ts';

let p: TestPlatform;
let op: string, wg: string;
const dataDir = `.tmp/suggestions-${randomBytes(4).toString('hex')}`; // its own models folder: no model at the start
beforeAll(async () => {
  p = await testPlatform('2026-11-16T01:30:00Z', { GONGZHI_DATA_DIR: dataDir, GONGZHI_RETRAIN_EVERY: '20', GONGZHI_SUGGEST_MIN_CASES: '20' });
  op = await p.login('rexian');
  wg = await p.login('wangge');
});
afterAll(async () => { await p?.close(); rmSync(dataDir, { recursive: true, force: true }); });

const suggest = (text: string, type?: string) => p.as(op).post('/api/v1/intelligence/suggest', { text, ...(type ? { type } : {}) });

describe('suggestions on a fresh install', () => {
  it('come from the category tree as the description is typed', async () => {
    const r = await suggest('小区门口的井盖不见了，晚上走路很危险', 'hotline');
    expect(r.status, r.text).toBe(200);
    expect(r.body.source).toBe('keywords');
    expect(r.body.model).toBeNull();
    expect(r.body.items[0]).toMatchObject({ categoryCode: '030104', categoryName: { zh: '公共设施损坏' } });
    expect(r.body.items[0].confidence).toBeGreaterThan(0);
    expect(r.body.items[0].words.map((w: any) => w.term)).toContain('井盖');
    expect(r.body.items.length).toBeLessThanOrEqual(3);
    expect((await suggest('垃圾好几天没人收了', 'hotline')).body.items[0].categoryCode).toBe('040203');
    expect((await suggest('今天天气很好', 'hotline')).body.items).toEqual([]);
  });

  it('fill the dispatch form when there is no model, routed through the responsibility list', async () => {
    const c = await p.as(op).post('/api/v1/cases', {
      categoryCode: '030104', title: '井盖缺失', description: '小区门口的井盖不见了，晚上走路很危险', ...pointIn(homeGrid),
    });
    const r = await p.as(op).get(`/api/v1/cases/${c.body.id}/routing/suggestions`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ model: null, source: 'keywords' });
    expect(r.body.suggestions[0]).toMatchObject({ categoryCode: '030104', isCurrentCategory: true, leadUnitId: 'dept-chengguan' });
  });

  it('give the picker the tree\'s everyday words, and the tree what residents report', async () => {
    const cats = (await p.as(op).get('/api/v1/categories?type=hotline')).body.items;
    const byCode = new Map(cats.map((c: any) => [c.code, c]));
    expect((byCode.get('030104') as any).keywords).toContain('井盖');
    expect((byCode.get('030101') as any).keywords).toContain('坑');
    expect((byCode.get('040203') as any).name.zh).toBe('垃圾清运');
    expect((byCode.get('020101') as any).name.zh).toBe('暴露垃圾');
    expect((byCode.get('0201') as any).name.zh).toBe('市容环境');
  });

  it('refuse a resident, and an empty text', async () => {
    expect((await p.as(await p.login('jumin')).post('/api/v1/intelligence/suggest', { text: '井盖' })).status).toBe(403);
    expect((await suggest('')).status).toBe(400);
  });
});

describe('retraining by itself', () => {
  it('trains once enough cases closed, then suggestions come from the model', async () => {
    expect(await autoRetrainTick(p.intelligence)).toMatchObject({ due: false, closed: 0 });
    for (let i = 0; i < 24; i++) {
      const c = await p.as(wg).post('/api/v1/cases', {
        categoryCode: i % 2 ? '020501' : '040101', title: i % 2 ? `占道经营第${i}起` : `噪音扰民第${i}起`,
        description: i % 2 ? '流动摊贩在人行道上摆摊卖菜' : '楼下广场舞音响声音太大，晚上十点还在跳', regionCode: homeGrid.code,
      });
      expect(c.status, c.text).toBe(201);
      expect((await p.as(wg).post(`/api/v1/cases/${c.body.id}/actions/self_close`, { note: '已现场处置' })).status).toBe(200);
    }
    const tick = await autoRetrainTick(p.intelligence);
    expect(tick).toMatchObject({ due: true, closed: 24, trainedOn: 0 });
    expect((await p.as(op).get('/api/v1/intelligence/model')).body.model.trainingSize).toBe(24);
    // not again until another 20 close
    expect((await autoRetrainTick(p.intelligence)).due).toBe(false);
    const r = await suggest('楼下广场舞音响声音太大', 'grid_event');
    expect(r.body.source).toBe('model');
    expect(r.body.items[0].categoryCode).toBe('040101');
  }, 120_000);
});

describe('the city level', () => {
  it('gets its hotspot panel (a city code has 4 digits)', async () => {
    const city = await p.login('city');
    const r = await p.as(city).get('/api/v1/intelligence/hotspots?region=5001&days=30');
    expect(r.status, r.text).toBe(200);
    expect(Array.isArray(r.body.items)).toBe(true);
  });
});
