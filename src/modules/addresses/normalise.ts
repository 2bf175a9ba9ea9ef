// Text normalisation for geocoding: what a caller says and what the library holds are compared after
// the same folding — full-width to half-width, Latin lower case, spaces and punctuation dropped, and
// Chinese numerals before a counter (号, 栋, 幢, 单元, 楼, 组, 社, 巷, 弄) written as digits
// (二组 → 2组, 十二栋 → 12栋, 三号楼 → 3号楼); not after 第, which belongs to names (沁园新村第一社区).

const DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };
const NUMERAL = /(?<![第零〇一二两三四五六七八九十百千])[零〇一二两三四五六七八九十百千]+(?=号|栋|幢|单元|楼|组|社(?!区)|巷|弄|期|排)/gu;
const DROP = /[\s,，。.、;；:：!！?？"'“”‘’()（）【】\[\]{}<>《》·…—_\-#/\\|~～]+/gu;

/** 二十三 → 23, 十二 → 12, 一百零五 → 105, 三 → 3; digit strings read digit by digit (一零五 → 105). */
export function chineseNumber(s: string): number | null {
  if (!s) return null;
  if (![...s].some((ch) => ch in UNITS)) {
    let n = 0;
    for (const ch of s) { const d = DIGITS[ch]; if (d === undefined) return null; n = n * 10 + d; }
    return n;
  }
  let total = 0;
  let current = 0;
  for (const ch of s) {
    if (ch in DIGITS) current = DIGITS[ch];
    else if (ch in UNITS) { total += (current || 1) * UNITS[ch]; current = 0; } else return null;
  }
  return total + current;
}

/** Folds a text for matching; the same function runs on library names and on queries. */
export function normalise(text: string): string {
  let s = text.normalize('NFKC').toLowerCase();
  s = s.replace(DROP, '');
  s = s.replace(NUMERAL, (m) => { const n = chineseNumber(m); return n == null ? m : String(n); });
  return s;
}
