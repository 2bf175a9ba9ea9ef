// Text → sparse TF-IDF vectors: word n-grams plus character n-grams.
import { isPunctuationOrSpace } from './segment.ts';

export interface FeatureSettings {
  /** Word n-grams from 1 up to this (1 = unigrams, 2 = unigrams + bigrams). */
  wordNgramMax: number;
  /** Character n-grams from charNgramMin to charNgramMax over the joined words; 0 turns them off. */
  charNgramMin: number;
  charNgramMax: number;
  /** A feature must occur in at least this many training messages. */
  minDf: number;
  /** Use 1 + ln(tf) instead of tf. */
  sublinearTf: boolean;
  /** Weight of the character block relative to the word block (each is L2-normalised first). */
  charWeight: number;
  /**
   * Features are hashed into 2^hashBits buckets (the lower half for word n-grams, the upper half
   * for character n-grams); only buckets with document frequency ≥ minDf become features.
   */
  hashBits: number;
}

export const DEFAULT_FEATURE_SETTINGS: FeatureSettings = {
  wordNgramMax: 1,
  charNgramMin: 1,
  charNgramMax: 2,
  minDf: 2,
  sublinearTf: true,
  charWeight: 1,
  hashBits: 22,
};

/** Sparse vector: sorted feature indices and their values. */
export interface SparseVector {
  indices: Int32Array;
  values: Float64Array;
}


/** Normalises given tokens the same way segment() normalises text: NFKC, no punctuation/space. */
export function cleanTokens(tokens: readonly string[]): string[] {
  const cleaned: string[] = [];
  for (const token of tokens) {
    const normalized = token.normalize('NFKC').trim();
    if (normalized !== '' && !isPunctuationOrSpace(normalized)) cleaned.push(normalized);
  }
  return cleaned;
}

const MAX_BACKOFF_WORD_LENGTH = 8;
const MIN_BACKOFF_TOKEN_LENGTH = 3;

/**
 * Keeps the tokens the model saw in training. This reproduces how the training text was
 * prepared: when it was pre-segmented with stop words removed, raw text loses the same stop words
 * here (they never occur in training). An unknown token of 3+ characters (for example a platform
 * word such as 噪音扰民 that the training text has as 噪音 扰民) is split greedily into the longest
 * known words of 2+ characters; characters left over are dropped.
 */
export function keepKnownTokens(tokens: readonly string[], known: ReadonlySet<string>): string[] {
  const kept: string[] = [];
  for (const token of tokens) {
    if (known.has(token)) {
      kept.push(token);
    } else if (token.length >= MIN_BACKOFF_TOKEN_LENGTH) {
      splitIntoKnownWords(token, known, kept);
    }
  }
  return kept;
}

function splitIntoKnownWords(token: string, known: ReadonlySet<string>, out: string[]): void {
  let start = 0;
  while (start < token.length) {
    let matched = 0;
    for (let length = Math.min(MAX_BACKOFF_WORD_LENGTH, token.length - start); length >= 2; length--) {
      if (known.has(token.slice(start, start + length))) {
        matched = length;
        break;
      }
    }
    if (matched > 0) {
      out.push(token.slice(start, start + matched));
      start += matched;
    } else {
      start += 1;
    }
  }
}

// Feature hashing: FNV-1a over UTF-16 code units, a different seed per feature kind, finished with
// the murmur3 mixer. Pure integer arithmetic, so no n-gram string is ever built.
const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 16777619;
const SEED_WORD = 0x57; // W
const SEED_CHAR = 0x43; // C
const WORD_SEPARATOR = 0x1f;

function fnvString(hash: number, text: string): number {
  let h = hash;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return h;
}

function fnvCode(hash: number, code: number): number {
  return Math.imul(hash ^ code, FNV_PRIME);
}

function mix(hash: number): number {
  let h = hash;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Bucket of a word n-gram (the words in order); lower half of the table. */
export function wordNgramBucket(words: readonly string[], hashBits: number): number {
  let h = fnvCode(FNV_OFFSET, SEED_WORD);
  words.forEach((word, i) => {
    if (i > 0) h = fnvCode(h, WORD_SEPARATOR);
    h = fnvString(h, word);
  });
  return mix(h) & ((1 << (hashBits - 1)) - 1);
}

export function isCharBucket(bucket: number, hashBits: number): boolean {
  return bucket >= 1 << (hashBits - 1);
}

/** Growable buffer of bucket ids. */
export class BucketBuffer {
  data = new Int32Array(1024);
  length = 0;
  push(bucket: number): void {
    if (this.length === this.data.length) {
      const bigger = new Int32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = bucket;
  }
}

/**
 * The hashed features of one message: each occurrence of a word n-gram (n ≤ wordNgramMax) and of
 * a character n-gram of the joined words (charNgramMin ≤ n ≤ charNgramMax) adds its bucket.
 */
export function hashFeatures(tokens: readonly string[], settings: FeatureSettings, out = new BucketBuffer()): BucketBuffer {
  out.length = 0;
  const halfMask = (1 << (settings.hashBits - 1)) - 1;
  const charHalf = 1 << (settings.hashBits - 1);
  const wordStart = fnvCode(FNV_OFFSET, SEED_WORD);
  for (let i = 0; i < tokens.length; i++) {
    let h = wordStart;
    for (let n = 0; n < settings.wordNgramMax && i + n < tokens.length; n++) {
      if (n > 0) h = fnvCode(h, WORD_SEPARATOR);
      h = fnvString(h, tokens[i + n]!);
      out.push(mix(h) & halfMask);
    }
  }
  if (settings.charNgramMin > 0) {
    const text = tokens.join('');
    const charStart = fnvCode(FNV_OFFSET, SEED_CHAR);
    for (let i = 0; i < text.length; i++) {
      let h = charStart;
      for (let n = 1; n <= settings.charNgramMax && i + n <= text.length; n++) {
        h = fnvCode(h, text.charCodeAt(i + n - 1));
        if (n >= settings.charNgramMin) out.push(charHalf | (mix(h) & halfMask));
      }
    }
  }
  return out;
}

/** Distinct buckets and their counts. */
export interface BucketCounts {
  buckets: Int32Array;
  counts: Int32Array;
}

// Scratch counters for countBuckets, indexed by bucket; always all zero between calls.
let scratchCounts = new Int32Array(0);

/** Distinct buckets (in order of first occurrence) and their counts. */
export function countBuckets(buffer: BucketBuffer, hashBits: number): BucketCounts {
  if (scratchCounts.length !== 1 << hashBits) scratchCounts = new Int32Array(1 << hashBits);
  const counts = scratchCounts;
  const data = buffer.data;
  let distinct = 0;
  for (let i = 0; i < buffer.length; i++) if (counts[data[i]!]!++ === 0) distinct++;
  const buckets = new Int32Array(distinct);
  const bucketCounts = new Int32Array(distinct);
  let j = 0;
  for (let i = 0; i < buffer.length; i++) {
    const bucket = data[i]!;
    const count = counts[bucket]!;
    if (count > 0) {
      buckets[j] = bucket;
      bucketCounts[j] = count;
      counts[bucket] = 0;
      j++;
    }
  }
  return { buckets, counts: bucketCounts };
}

export function messageBuckets(tokens: readonly string[], settings: FeatureSettings, buffer = new BucketBuffer()): BucketCounts {
  return countBuckets(hashFeatures(tokens, settings, buffer), settings.hashBits);
}

export interface Vocabulary {
  hashBits: number;
  /** Bucket of each feature; the feature index is the position. */
  buckets: Int32Array;
  /** Inverse document frequency of each feature. */
  idf: Float64Array;
  /** Bucket → feature index, −1 for buckets that are not features. */
  featureOfBucket: Int32Array;
}

/**
 * Builds the vocabulary (buckets with document frequency ≥ minDf) and smoothed idf. Features are
 * numbered by decreasing document frequency, so the weights of frequent features sit together in
 * memory (this makes training several times faster than a random order).
 */
export function buildVocabulary(messages: readonly BucketCounts[], settings: FeatureSettings): Vocabulary {
  const documentFrequency = new Int32Array(1 << settings.hashBits);
  for (const { buckets } of messages) for (const bucket of buckets) documentFrequency[bucket]!++;
  const kept: number[] = [];
  for (let bucket = 0; bucket < documentFrequency.length; bucket++) {
    if (documentFrequency[bucket]! >= settings.minDf) kept.push(bucket);
  }
  kept.sort((a, b) => documentFrequency[b]! - documentFrequency[a]! || a - b);
  const buckets = Int32Array.from(kept);
  const idf = Float64Array.from(kept, (bucket) => Math.log((1 + messages.length) / (1 + documentFrequency[bucket]!)) + 1);
  return vocabularyFrom(settings.hashBits, buckets, idf);
}

export function vocabularyFrom(hashBits: number, buckets: Int32Array, idf: Float64Array): Vocabulary {
  const featureOfBucket = new Int32Array(1 << hashBits).fill(-1);
  buckets.forEach((bucket, i) => (featureOfBucket[bucket] = i));
  return { hashBits, buckets, idf, featureOfBucket };
}

/**
 * TF-IDF vector of one message: the word block and the character block are each L2-normalised,
 * the character block is scaled by charWeight, and the whole vector is scaled back to unit length.
 */
export function vectorize(message: BucketCounts, vocabulary: Vocabulary, settings: FeatureSettings): SparseVector {
  const { buckets, counts } = message;
  const charHalf = 1 << (vocabulary.hashBits - 1);
  let size = 0;
  for (const bucket of buckets) if (vocabulary.featureOfBucket[bucket]! >= 0) size++;
  const indices = new Int32Array(size);
  const values = new Float64Array(size);
  const isChar = new Uint8Array(size);
  let wordNorm = 0;
  let charNorm = 0;
  let j = 0;
  for (let n = 0; n < buckets.length; n++) {
    const feature = vocabulary.featureOfBucket[buckets[n]!]!;
    if (feature < 0) continue;
    const count = counts[n]!;
    const tf = settings.sublinearTf ? 1 + Math.log(count) : count;
    const value = tf * vocabulary.idf[feature]!;
    indices[j] = feature;
    values[j] = value;
    if (buckets[n]! >= charHalf) {
      isChar[j] = 1;
      charNorm += value * value;
    } else {
      wordNorm += value * value;
    }
    j++;
  }
  const blocks = (wordNorm > 0 ? 1 : 0) + (charNorm > 0 ? settings.charWeight * settings.charWeight : 0);
  const total = blocks > 0 ? 1 / Math.sqrt(blocks) : 0;
  const wordScale = wordNorm > 0 ? total / Math.sqrt(wordNorm) : 0;
  const charScale = charNorm > 0 ? (total * settings.charWeight) / Math.sqrt(charNorm) : 0;
  for (let n = 0; n < size; n++) values[n]! *= isChar[n] ? charScale : wordScale;
  return { indices, values };
}
