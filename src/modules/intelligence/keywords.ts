// Category suggestions from the category tree itself (names, synonyms, keywords): what a district has
// from its first day, before it has closed cases for a text model to learn from. Pure functions.

export interface KeywordCategory {
  code: string; name: string; caseTypes: string[]; keywords: string[]; active: boolean; leaf: boolean;
  /** The group's name and keywords count too, at half weight (市容 finds every leaf of 市容环境). */
  parent?: { name: string; keywords: string[] } | null;
}

export interface KeywordSuggestion {
  categoryCode: string;
  /** The category's share of the matched weight among all categories that matched (not a calibrated probability). */
  confidence: number;
  /** The words of the text that matched: the category's name or its keywords. */
  words: { term: string; weight: number }[];
}

/** Weight of a matched word: longer words are more specific (井盖缺失 over 井盖 over 坑). */
const weightOf = (word: string) => Math.min(6, word.length);

/**
 * Whether the word occurs in the text, exactly or (a word of 3+ characters) with its characters in order
 * and at most `slack` others between them: 垃圾没人收 in 垃圾好几天没人收了. 1 for exact, 0.8 for spread, 0.
 */
export function matchOf(text: string, word: string, slack = 4): number {
  if (text.includes(word)) return 1;
  if (word.length < 3) return 0;
  for (let start = text.indexOf(word[0]); start >= 0; start = text.indexOf(word[0], start + 1)) {
    let at = start;
    let ok = true;
    for (const ch of word.slice(1)) {
      const next = text.indexOf(ch, at + 1);
      if (next < 0 || next - start >= word.length + slack) { ok = false; break; }
      at = next;
    }
    if (ok) return 0.8;
  }
  return 0;
}

/**
 * The categories whose name or keywords occur in the text, best first, with the share of the matched
 * weight as confidence. A word that is part of a longer matched word of the same category counts once.
 */
export function keywordSuggestions(categories: readonly KeywordCategory[], text: string, opts: { type?: string; limit?: number } = {}): KeywordSuggestion[] {
  const t = text.normalize('NFKC');
  if (!t.trim()) return [];
  const scored: Array<{ code: string; score: number; words: { term: string; weight: number }[] }> = [];
  for (const c of categories) {
    if (!c.active || !c.leaf || (opts.type && !c.caseTypes.includes(opts.type))) continue;
    const words = new Map<string, number>();
    const add = (w: string, factor: number) => {
      const m = w ? matchOf(t, w) : 0;
      if (m > 0) words.set(w, Math.max(words.get(w) ?? 0, weightOf(w) * factor * m));
    };
    add(c.name, 1.5);
    for (const k of c.keywords) add(k, 1);
    if (c.parent) { add(c.parent.name, 0.5); for (const k of c.parent.keywords) add(k, 0.5); }
    // a matched word inside a longer matched word (垃圾 in 垃圾清运) adds nothing of its own
    const terms = [...words.keys()];
    for (const w of terms) if (terms.some((o) => o !== w && o.includes(w))) words.delete(w);
    const score = [...words.values()].reduce((a, b) => a + b, 0);
    if (score > 0) scored.push({ code: c.code, score, words: [...words].map(([term, weight]) => ({ term, weight })).sort((a, b) => b.weight - a.weight) });
  }
  const total = scored.reduce((a, s) => a + s.score, 0);
  return scored
    .sort((a, b) => b.score - a.score || (a.code < b.code ? -1 : 1))
    .slice(0, opts.limit ?? 3)
    .map((s) => ({ categoryCode: s.code, confidence: Math.round((s.score / (total + 2)) * 10_000) / 10_000, words: s.words }));
}
