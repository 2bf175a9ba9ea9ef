// The 民转刑 risk score, signal by signal: each adds its points with a reason, and the levels follow.
import { describe, expect, it } from 'vitest';
import { addressKey, scoreRisk, vulnerabilityOf, type RiskInputs } from './risk.ts';

const quiet: RiskInputs = { text: '楼上漏水，双方协商未果。', repeatCaseNos: [], sameAddressCaseNos: [], failed: false, breached: false, petitions: 0, sessionsWithoutAgreement: 0, vulnerable: [[], []] };
const signals = (x: Partial<RiskInputs>) => scoreRisk({ ...quiet, ...x });

describe('民转刑 risk score', () => {
  it('is low with no signal, and says why when there is one', () => {
    expect(signals({})).toEqual({ score: 0, level: 'low', reasons: [] });
  });

  it('counts repeated disputes between the same parties and at the same address', () => {
    const r = signals({ repeatCaseNos: ['TJ1', 'TJ2', 'TJ3'], sameAddressCaseNos: ['TJ4'] });
    expect(r.reasons).toEqual([
      { signal: 'repeat_parties', points: 30, params: { count: 3, cases: ['TJ1', 'TJ2', 'TJ3'] } },
      { signal: 'same_address', points: 10, params: { count: 1, cases: ['TJ4'] } },
    ]);
    expect(r).toMatchObject({ score: 40, level: 'medium' });
  });

  it('finds threats and violence in the words written down', () => {
    const r = signals({ text: '对方扬言再不赔钱就同归于尽，昨天双方还动手推搡。' });
    expect(r.reasons).toEqual([
      { signal: 'threat_words', points: 20, params: { words: ['同归于尽'] } },
      { signal: 'violence_words', points: 20, params: { words: ['动手', '推搡', '扬言'] } },
    ]);
    expect(r.level).toBe('medium');
  });

  it('adds escalation: a failed mediation, a broken agreement, petitions, many sessions without agreement', () => {
    const r = signals({ failed: true, breached: true, petitions: 2, sessionsWithoutAgreement: 3 });
    expect(r.reasons).toEqual([{ signal: 'escalation', points: 35, params: { steps: ['failed', 'breached', 'petitioned', 'sessions'], petitions: 2, sessions: 3 } }]);
  });

  it('weighs vulnerable parties, with age from the birth year', () => {
    expect(vulnerabilityOf({ vulnerable: ['disabled'], birth_year: 1950 }, 2026)).toEqual(['disabled', 'elderly']);
    expect(vulnerabilityOf({ vulnerable: [], birth_year: 2012 }, 2026)).toEqual(['minor']);
    const r = signals({ vulnerable: [['mental_illness'], ['elderly']] });
    expect(r.reasons).toEqual([{ signal: 'vulnerable_parties', points: 20, params: { flags: ['mental_illness', 'elderly'], parties: 2 } }]);
  });

  it('is critical when the signals pile up, and never above 100', () => {
    const r = signals({ text: '扬言要杀人放火', repeatCaseNos: ['a', 'b'], sameAddressCaseNos: ['c', 'd'], failed: true, petitions: 1, vulnerable: [['mental_illness']] });
    expect(r.level).toBe('critical');
    expect(r.score).toBe(100);
  });

  it('keys addresses without spaces and punctuation', () => {
    expect(addressKey('嘉陵路 12号，3栋')).toBe(addressKey('嘉陵路12号3栋'));
    expect(addressKey('12')).toBeNull();
  });
});
