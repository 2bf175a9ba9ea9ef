// 统一社会信用代码 (GB 32100-2015): 18 characters from a 31-character alphabet (digits and capitals
// without I, O, S, V, Z): 1 registration authority, 1 organisation type, 6 region (GB/T 2260),
// 9 organisation code, 1 check character (weighted sum modulo 31).

export const CREDIT_CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const ALPHABET = CREDIT_CODE_ALPHABET;
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export type CreditCodeProblem = 'format' | 'checksum';

export function creditCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += ALPHABET.indexOf(first17[i]) * WEIGHTS[i];
  return ALPHABET[(31 - (sum % 31)) % 31];
}

export function checkCreditCode(raw: string): { ok: true; value: string; regionCode: string } | { ok: false; problem: CreditCodeProblem } {
  const v = raw.trim().toUpperCase();
  if (!/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(v)) return { ok: false, problem: 'format' };
  if (creditCheckChar(v) !== v[17]) return { ok: false, problem: 'checksum' };
  return { ok: true, value: v, regionCode: v.slice(2, 8) };
}

export const creditCodeReason = (p: CreditCodeProblem) => (p === 'format'
  ? 'a unified social credit code has 18 characters: digits and capitals without I, O, S, V, Z, with a 6-digit region code in positions 3–8'
  : 'the check character does not match (GB 32100)');

/** Builds a valid code (tests, demo data): registration authority + type + region + 9-character organisation code. */
export function makeCreditCode(authorityAndType: string, regionCode: string, orgCode: string): string {
  const first17 = `${authorityAndType}${regionCode}${orgCode}`.toUpperCase();
  return first17 + creditCheckChar(first17);
}
