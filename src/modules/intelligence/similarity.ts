// Text similarity for duplicate detection (重复件识别).
import { cleanTokens } from './features.ts';

/** Counts of the character bigrams of the joined words (a single character counts as itself). */
export function characterBigrams(tokens: readonly string[]): Map<string, number> {
  const text = cleanTokens(tokens).join('');
  const counts = new Map<string, number>();
  if (text.length === 1) counts.set(text, 1);
  for (let i = 0; i + 2 <= text.length; i++) {
    const bigram = text.slice(i, i + 2);
    counts.set(bigram, (counts.get(bigram) ?? 0) + 1);
  }
  return counts;
}

/**
 * Similarity of two segmented messages in [0, 1]: cosine of their character-bigram count vectors
 * over the joined words (punctuation ignored). Working on characters makes it insensitive to how
 * the two texts were segmented; 1 = same bigrams in the same proportions, 0 = none shared.
 * Empty input has similarity 0 with anything.
 */
export function textSimilarity(aTokens: readonly string[], bTokens: readonly string[]): number {
  return bigramCosine(characterBigrams(aTokens), characterBigrams(bTokens));
}

/** Cosine of two bigram count maps (precompute them with characterBigrams to compare many pairs). */
export function bigramCosine(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): number {
  if (a.size === 0 || b.size === 0) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [bigram, count] of small) dot += count * (large.get(bigram) ?? 0);
  if (dot === 0) return 0;
  let normA = 0;
  for (const count of a.values()) normA += count * count;
  let normB = 0;
  for (const count of b.values()) normB += count * count;
  return Math.min(1, dot / Math.sqrt(normA * normB));
}

/**
 * Groups near-duplicate messages (重复件): messages whose textSimilarity is ≥ threshold end up in
 * one group, transitively. Returns for each message the index of the first message of its group.
 * Candidate pairs are found through an inverted index over the rarer character bigrams (document
 * frequency ≤ maxDocumentFrequency): two messages are compared only when they share at least
 * three of them (or all of the rarer bigrams of the shorter one), so very short, generic messages
 * may be missed. Cost grows roughly linearly with the number of messages.
 */
export function nearDuplicateGroups(
  tokenLists: readonly (readonly string[])[],
  threshold = 0.8,
  maxDocumentFrequency = 50,
): number[] {
  const profiles = tokenLists.map(characterBigrams);
  const documentFrequency = new Map<string, number>();
  for (const profile of profiles) {
    for (const bigram of profile.keys()) documentFrequency.set(bigram, (documentFrequency.get(bigram) ?? 0) + 1);
  }
  const postings = new Map<string, number[]>();
  const rareCount = profiles.map((profile, doc) => {
    let count = 0;
    for (const bigram of profile.keys()) {
      if (documentFrequency.get(bigram)! > maxDocumentFrequency) continue;
      count++;
      const list = postings.get(bigram);
      if (list) list.push(doc);
      else postings.set(bigram, [doc]);
    }
    return count;
  });
  const parent = profiles.map((_, i) => i);
  const root = (i: number): number => {
    let r = i;
    while (parent[r] !== r) r = parent[r]!;
    while (parent[i] !== r) [i, parent[i]] = [parent[i]!, r];
    return r;
  };
  const shared = new Int32Array(profiles.length);
  const touched: number[] = [];
  for (let i = 0; i < profiles.length; i++) {
    touched.length = 0;
    for (const bigram of profiles[i]!.keys()) {
      for (const j of postings.get(bigram) ?? []) {
        if (j <= i) continue;
        if (shared[j]++ === 0) touched.push(j);
      }
    }
    for (const j of touched) {
      const needed = Math.min(3, rareCount[i]!, rareCount[j]!);
      if (shared[j]! >= needed && bigramCosine(profiles[i]!, profiles[j]!) >= threshold) {
        const a = root(i);
        const b = root(j);
        if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
      }
      shared[j] = 0;
    }
  }
  return profiles.map((_, i) => root(i));
}
