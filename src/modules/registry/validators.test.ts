// Checksums and plausibility of the codes the registries accept.
import { describe, expect, it } from 'vitest';
import { checkIdNumber, makeIdNumber } from './id-number.ts';
import { checkCreditCode, makeCreditCode } from './credit-code.ts';
import { maskIdNumber } from '../../platform/crypto.ts';

const today = new Date('2026-11-16T00:00:00Z');

describe('公民身份号码 (GB 11643, ISO 7064 MOD 11-2)', () => {
  it('accepts the standard example and derives birth date and sex', () => {
    const r = checkIdNumber('11010519491231002x', today);
    expect(r).toEqual({ ok: true, facts: { value: '11010519491231002X', birthDate: '1949-12-31', sex: '2', regionCode: '110105' } });
    const m = checkIdNumber(makeIdNumber('500117', '19900307', 803), today);
    expect(m.ok && m.facts.sex).toBe('1');
  });
  it('refuses a wrong check character, whatever the other digits', () => {
    const good = makeIdNumber('500117', '19851122', 42);
    for (const c of '0123456789X') {
      if (c === good[17]) continue;
      expect(checkIdNumber(good.slice(0, 17) + c, today)).toEqual({ ok: false, problem: 'checksum' });
    }
  });
  it('refuses impossible or future birth dates, implausible regions and wrong formats', () => {
    expect(checkIdNumber(makeIdNumber('500117', '19900230', 1), today)).toEqual({ ok: false, problem: 'birth_date' });
    expect(checkIdNumber(makeIdNumber('500117', '20270101', 1), today)).toEqual({ ok: false, problem: 'birth_date' });
    expect(checkIdNumber(makeIdNumber('500117', '18991231', 1), today)).toEqual({ ok: false, problem: 'birth_date' });
    expect(checkIdNumber(makeIdNumber('990117', '19900101', 1), today)).toEqual({ ok: false, problem: 'region' });
    expect(checkIdNumber(makeIdNumber('500017', '19900101', 1), today)).toEqual({ ok: false, problem: 'region' }); // city part 00
    expect(checkIdNumber(makeIdNumber('810000', '19900101', 1), today).ok).toBe(true); // 港澳台居民居住证
    expect(checkIdNumber(makeIdNumber('441900', '19900101', 1), today).ok).toBe(true); // 东莞: no counties
    for (const bad of ['', '1234', '500117199001010', '50011719900101001A', '５００１１７１９９００１０１００１Ｘ']) {
      expect(checkIdNumber(bad, today)).toEqual({ ok: false, problem: 'format' });
    }
  });
  it('masks as 6 + 8 stars + 4', () => {
    expect(maskIdNumber('500117199001010018')).toBe('500117********0018');
    expect(maskIdNumber('E12345678')).toBe('*******78');
  });
});

describe('统一社会信用代码 (GB 32100)', () => {
  it('accepts real codes and built ones', () => {
    for (const c of ['91110108551385082Q', '91350100M000100Y43', '91440300708461136T', '9144030071526726XG']) expect(checkCreditCode(c).ok).toBe(true);
    expect(checkCreditCode(makeCreditCode('91', '500117', 'MA5U4XHT0')).ok).toBe(true);
    expect(checkCreditCode('91110108551385082q')).toMatchObject({ ok: true, value: '91110108551385082Q' });
  });
  it('refuses wrong check characters, letters outside the alphabet and wrong lengths', () => {
    expect(checkCreditCode('91110108551385082R')).toEqual({ ok: false, problem: 'checksum' });
    expect(checkCreditCode('91110108551385082I')).toEqual({ ok: false, problem: 'format' });
    expect(checkCreditCode('9111010855138508')).toEqual({ ok: false, problem: 'format' });
    expect(checkCreditCode('91AB0108551385082Q')).toEqual({ ok: false, problem: 'format' });
  });
});
