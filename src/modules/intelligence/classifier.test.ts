import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  MODEL_FORMAT,
  assignFolds,
  crossValidate,
  evaluate,
  explain,
  loadModel,
  nearDuplicateGroups,
  predict,
  saveModel,
  segment,
  train,
  type Example,
} from './classifier.ts';
import { syntheticMessages } from './synthetic-messages.fixture.ts';

const examples = syntheticMessages(30);
const model = train(examples);

const unseen: Example[] = [
  { text: '我们楼下新开的大排档油烟扰民，呛得窗户都不敢开，请环保部门处理', label: '环境保护' },
  { text: '早上公交车班次太少，出租车还拒载，上班天天迟到', label: '交通运输' },
  { text: '学校老师周末违规补课，还要求家长交资料费', label: '教育文体' },
  { text: '河边工厂排放的污水发臭，希望生态环境局来检测', label: '环境保护' },
];

describe('train and predict', () => {
  it('predicts the label of new messages', () => {
    for (const example of unseen) expect(predict(model, example.text!)[0]!.label).toBe(example.label);
    expect(evaluate(model, unseen).accuracy).toBe(1);
  });

  it('returns the top k labels, most likely first, with probabilities', () => {
    const top = predict(model, unseen[0]!.text!, 3);
    expect(top.map((p) => p.label).sort()).toEqual(['交通运输', '教育文体', '环境保护']);
    for (let i = 1; i < top.length; i++) expect(top[i - 1]!.confidence).toBeGreaterThanOrEqual(top[i]!.confidence);
    expect(top.reduce((sum, p) => sum + p.confidence, 0)).toBeCloseTo(1, 10);
    expect(predict(model, unseen[0]!.text!, 1)).toHaveLength(1);
    expect(model.temperature).toBeGreaterThan(0);
  });

  it('accepts tokens as well as text', () => {
    const text = unseen[1]!.text!;
    expect(predict(model, segment(text))).toEqual(predict(model, text));
  });

  it('is never confident about text without a single known word', () => {
    const top = predict(model, 'zzz qqq');
    expect(top).toHaveLength(3);
    for (const { confidence } of top) expect(confidence).toBeLessThan(0.6);
  });

  it('explains a prediction with the words that weighed most', () => {
    const terms = explain(model, unseen[2]!.text!, '教育文体', 5);
    expect(terms.length).toBeGreaterThan(0);
    expect(terms.length).toBeLessThanOrEqual(5);
    for (let i = 1; i < terms.length; i++) expect(terms[i - 1]!.weight).toBeGreaterThanOrEqual(terms[i]!.weight);
    expect(terms.map((t) => t.term).join(' ')).toMatch(/补课|老师|学校|资料费/);
    expect(() => explain(model, 'x', '不存在')).toThrow(/unknown label/);
  });

  it('is deterministic', () => {
    const again = train(examples);
    expect(Array.from(again.linear.weights)).toEqual(Array.from(model.linear.weights));
    expect(again.temperature).toBe(model.temperature);
  });

  it('rejects training data with fewer than two labels', () => {
    expect(() => train([{ text: '路灯坏了', label: '城乡建设' }])).toThrow(/2 labels/);
    expect(() => train([])).toThrow(/no examples/);
  });
});

describe('saveModel / loadModel', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gongzhi-classifier-'));

  it.each(['model.json', 'model.json.gz'])('round-trips %s with identical predictions', (name) => {
    const path = join(dir, name);
    saveModel(model, path);
    const loaded = loadModel(path);
    expect(loaded.labels).toEqual(model.labels);
    expect(loaded.settings).toEqual(model.settings);
    for (const example of [...unseen, ...examples.slice(0, 10)]) {
      expect(predict(loaded, example.text!, 3)).toEqual(predict(model, example.text!, 3));
      expect(explain(loaded, example.text!, example.label)).toEqual(explain(model, example.text!, example.label));
    }
  });

  it('writes a versioned JSON file', () => {
    const path = join(dir, 'versioned.json');
    saveModel(model, path);
    const file = JSON.parse(readFileSync(path, 'utf8'));
    expect(file).toMatchObject({ format: MODEL_FORMAT, version: 1, labels: model.labels });
    expect(Date.parse(file.createdAt)).not.toBeNaN();
    expect(file.weights).toHaveLength(3);
    expect(file.weights[0]).toHaveLength(file.vocabulary.buckets.length);
  });

  it('refuses files of another format or version', () => {
    const path = join(dir, 'bad.json');
    writeFileSync(path, JSON.stringify({ format: 'something-else' }));
    expect(() => loadModel(path)).toThrow(/not a gongzhi-classifier/);
    writeFileSync(path, JSON.stringify({ format: MODEL_FORMAT, version: 99 }));
    expect(() => loadModel(path)).toThrow(/version 99/);
    writeFileSync(path, 'not json');
    expect(() => loadModel(path)).toThrow(/not a JSON model file/);
  });
});

describe('crossValidate', () => {
  it('keeps labels balanced over folds and duplicates in one fold', () => {
    const labels = ['a', 'a', 'a', 'a', 'b', 'b', 'b', 'b', 'a'];
    const texts = ['1', '2', '3', '4', '5', '6', '7', '8', '1'];
    const folds = assignFolds(labels, texts, 2);
    expect(folds[8]).toBe(folds[0]);
    const count = (label: string, fold: number) => labels.filter((l, i) => l === label && folds[i] === fold).length;
    expect(Math.abs(count('b', 0) - count('b', 1))).toBeLessThanOrEqual(1);
  });

  it('estimates accuracy on held-out folds', () => {
    const result = crossValidate(syntheticMessages(12), 3, { calibrationShare: 0 });
    expect(result.folds).toHaveLength(3);
    expect(result.pooled.n).toBe(36);
    expect(result.meanAccuracy).toBeGreaterThan(0.9);
    expect(result.autoCoverageAt98).toBeGreaterThan(0);
  });

  it('accepts groups (such as near-duplicate groups) that must stay within one fold', () => {
    const data = syntheticMessages(6);
    const groups = nearDuplicateGroups(data.map((e) => segment(e.text!)), 0.9);
    const result = crossValidate(data, 3, { calibrationShare: 0 }, { groups });
    expect(result.pooled.n).toBe(data.length);
    expect(() => crossValidate(data, 3, {}, { groups: [1, 2] })).toThrow(/one group per example/);
  });
});
