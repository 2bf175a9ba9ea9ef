import { describe, expect, it } from 'vitest';
import type { RoutingTable } from '../cases/index.ts';
import { autoDispatchDecision, displayWords, routeSuggestions, type TextSuggestion } from './suggest.ts';

const table: RoutingTable = {
  rules: [
    { categoryCode: '0205', regionPrefix: '500117', leadUnitId: 'dept-chengguan', assistUnitIds: [] },
    { categoryCode: '020501', regionPrefix: '500117001', leadUnitId: 'dept-market', assistUnitIds: ['dept-chengguan'] },
  ],
  territorial: new Map([['500117001', 'sc-500117001']]),
};

describe('routeSuggestions', () => {
  it('names the responsible unit for each predicted category in the case\'s region, keeping the model\'s order', () => {
    const s = routeSuggestions(table, '50011700100501', [
      { label: '020501', confidence: 0.7 }, { label: '020502', confidence: 0.2 }, { label: '0901', confidence: 0.05 },
    ], (label) => [{ term: label === '020501' ? '占道经营' : '噪音', weight: 0.4 }, { term: '的', weight: -0.1 }]);
    expect(s.map((x) => [x.categoryCode, x.leadUnitId, x.source])).toEqual([
      ['020501', 'dept-market', 'responsibility_list'],
      ['020502', 'dept-chengguan', 'responsibility_list'],
      ['0901', 'sc-500117001', 'territorial_fallback'],
    ]);
    expect(s[0]!.assistUnitIds).toEqual(['dept-chengguan']);
    // words that pushed away from the category are not shown as reasons for it
    expect(s[0]!.words).toEqual([{ term: '占道经营', weight: 0.4 }]);
  });
});

describe('autoDispatchDecision', () => {
  const top = (over: Partial<TextSuggestion> = {}): TextSuggestion => ({
    categoryCode: '020501', confidence: 0.93, words: [], leadUnitId: 'dept-market', assistUnitIds: [], source: 'responsibility_list', ...over,
  });
  it('is off unless a threshold is configured', () => {
    expect(autoDispatchDecision(undefined, '020501', top({ confidence: 0.999 }))).toEqual({ dispatch: false, reason: 'off' });
  });
  it('dispatches at and above the threshold, not below', () => {
    expect(autoDispatchDecision(0.9, '020501', top({ confidence: 0.9 }))).toMatchObject({ dispatch: true, leadUnitId: 'dept-market' });
    expect(autoDispatchDecision(0.9, '020501', top({ confidence: 0.8999 }))).toEqual({ dispatch: false, reason: 'below_threshold' });
  });
  it('does not dispatch when the model disagrees with the category the case was reported under', () => {
    expect(autoDispatchDecision(0.5, '020502', top())).toEqual({ dispatch: false, reason: 'other_category' });
  });
  it('does not dispatch on a territorial fallback or without a unit', () => {
    expect(autoDispatchDecision(0.5, '020501', top({ source: 'territorial_fallback', leadUnitId: 'sc-1' }))).toEqual({ dispatch: false, reason: 'no_unit' });
    expect(autoDispatchDecision(0.5, '020501', top({ source: 'none', leadUnitId: null }))).toEqual({ dispatch: false, reason: 'no_unit' });
  });
  it('does nothing without a model', () => {
    expect(autoDispatchDecision(0.5, '020501', undefined)).toEqual({ dispatch: false, reason: 'no_model' });
  });
});

describe('GONGZHI_AUTO_DISPATCH_THRESHOLD', () => {
  it('is off when unset or empty, and refuses thresholds that would dispatch on a guess', async () => {
    const { loadConfig } = await import('../../platform/config.ts');
    expect(loadConfig({}).GONGZHI_AUTO_DISPATCH_THRESHOLD).toBeUndefined();
    expect(loadConfig({ GONGZHI_AUTO_DISPATCH_THRESHOLD: '' }).GONGZHI_AUTO_DISPATCH_THRESHOLD).toBeUndefined();
    expect(loadConfig({ GONGZHI_AUTO_DISPATCH_THRESHOLD: '0.95' }).GONGZHI_AUTO_DISPATCH_THRESHOLD).toBe(0.95);
    for (const bad of ['0.3', '1.5', 'high']) {
      expect(() => loadConfig({ GONGZHI_AUTO_DISPATCH_THRESHOLD: bad })).toThrow(/GONGZHI_AUTO_DISPATCH_THRESHOLD/);
    }
  });
});

describe('displayWords', () => {
  it('drops stop words, numbers and the case\'s place names from the key words shown (issue 12: 了 尽快 栋 3 营盘)', () => {
    const words = ['了', '尽快', '栋', '3', '营盘', '噪音', '装修 噪音', '3栋', '深夜'].map((term, i) => ({ term, weight: 1 - i / 10 }));
    expect(displayWords(words, '营盘街社区3栋门口 营盘街社区').map((w) => w.term)).toEqual(['噪音', '装修 噪音', '深夜']);
  });
});
