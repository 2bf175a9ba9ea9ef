// 公民身份号码 (GB 11643-1999): 6-digit address code (GB/T 2260) + 8-digit birth date + 3-digit sequence
// (odd = male) + a check character by ISO 7064 MOD 11-2. Validation checks all of it that can be checked
// without the full historical code table: checksum, a real birth date that is not in the future, and a
// plausible address code.

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/** GB/T 2260 province-level codes (incl. 71 台湾, 81 香港, 82 澳门, 83 for the 港澳台居民居住证). */
const PROVINCES = new Set([
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37', '41', '42', '43', '44', '45', '46',
  '50', '51', '52', '53', '54', '61', '62', '63', '64', '65', '71', '81', '82', '83',
]);

/**
 * A province that exists and, inside the mainland, a city part that is not 00. A county part of 00 is
 * allowed: cities without counties (东莞 441900, 中山 442000, 嘉峪关 620200) issue numbers with it.
 * Abolished codes stay valid for the people who got them, so the full GB/T 2260 table is not consulted.
 */
function plausibleRegion(code: string): boolean {
  const province = code.slice(0, 2);
  if (!PROVINCES.has(province)) return false;
  return ['71', '81', '82', '83'].includes(province) || code.slice(2, 4) !== '00';
}

export type IdNumberProblem = 'format' | 'checksum' | 'birth_date' | 'region';

export interface IdNumberFacts {
  /** normalised: upper-case X */
  value: string;
  birthDate: string; // YYYY-MM-DD
  /** GB/T 2261.1: '1' male, '2' female */
  sex: '1' | '2';
  regionCode: string;
}

export function idCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i];
  return CHECK[sum % 11];
}

const REASONS: Record<IdNumberProblem, string> = {
  format: 'an ID number has 18 characters: 17 digits and a digit or X',
  checksum: 'the check character does not match (GB 11643, ISO 7064 MOD 11-2)',
  birth_date: 'the birth date in the ID number is not a real date, before 1900 or in the future',
  region: 'the address code in the ID number is not a plausible GB/T 2260 region',
};
export const idNumberReason = (p: IdNumberProblem) => REASONS[p];

/** Validates an 18-digit ID number; `today` bounds the birth date. */
export function checkIdNumber(raw: string, today: Date = new Date()): { ok: true; facts: IdNumberFacts } | { ok: false; problem: IdNumberProblem } {
  const v = raw.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(v)) return { ok: false, problem: 'format' };
  if (idCheckChar(v) !== v[17]) return { ok: false, problem: 'checksum' };
  const y = Number(v.slice(6, 10)), m = Number(v.slice(10, 12)), d = Number(v.slice(12, 14));
  const birth = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || birth.getUTCMonth() !== m - 1 || birth.getUTCDate() !== d || birth.getTime() > today.getTime()) {
    return { ok: false, problem: 'birth_date' };
  }
  if (!plausibleRegion(v.slice(0, 6))) return { ok: false, problem: 'region' };
  return {
    ok: true,
    facts: {
      value: v,
      birthDate: `${v.slice(6, 10)}-${v.slice(10, 12)}-${v.slice(12, 14)}`,
      sex: Number(v[16]) % 2 === 1 ? '1' : '2',
      regionCode: v.slice(0, 6),
    },
  };
}

/** Builds a valid ID number (tests, demo data, benchmarks). */
export function makeIdNumber(regionCode: string, birth: string /* YYYYMMDD */, sequence: number): string {
  const first17 = `${regionCode}${birth}${String(sequence % 1000).padStart(3, '0')}`;
  return first17 + idCheckChar(first17);
}
