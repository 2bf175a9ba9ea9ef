import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { train } from './classifier.ts';
import { ModelStore } from './model-store.ts';
import { syntheticMessages } from './synthetic-messages.fixture.ts';

const log = pino({ level: 'silent' });
const dirs: string[] = [];
const tempDir = () => { const d = mkdtempSync(join(tmpdir(), 'gongzhi-models-')); dirs.push(d); return d; };
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

describe('seed examples (种子语料) in the models folder', () => {
  it('are none without the file, and read back as written: commas, quotes and line breaks kept', () => {
    const store = new ModelStore(tempDir(), log);
    expect(store.seedExamples()).toEqual([]);
    store.writeSeedExamples([
      { title: '南津街"夜市"占道经营', detail: '摊贩占道，堵塞交通,\n请城管处理', label: '020501' },
      { title: '楼上装修噪音扰民', detail: '每天早上7点开始', label: '040301' },
    ]);
    expect(store.seedExamples()).toEqual([
      { text: '南津街"夜市"占道经营\n摊贩占道，堵塞交通,\n请城管处理', label: '020501' },
      { text: '楼上装修噪音扰民\n每天早上7点开始', label: '040301' },
    ]);
    store.writeSeedExamples([{ title: '路灯不亮', detail: '晚上一片漆黑', label: '010301' }]);
    expect(store.seedExamples()).toHaveLength(1); // replaced, and re-read
  });

  it('are counted apart in the model file, so another process reads how many closed cases the model learnt from', () => {
    const dir = tempDir();
    const model = train(syntheticMessages(10), { calibrationShare: 0 });
    model.seedExamples = 12;
    const info = new ModelStore(dir, log).install(model);
    expect(info).toMatchObject({ trainingSize: model.trainingSize, seedExamples: 12 });
    const other = new ModelStore(dir, log);
    other.refresh();
    expect(other.get()?.info).toMatchObject({ version: info.version, trainingSize: model.trainingSize, seedExamples: 12 });
    const plain = train(syntheticMessages(10), { calibrationShare: 0 });
    expect(new ModelStore(tempDir(), log).install(plain).seedExamples).toBe(0);
  });
});
