// Chinese word segmentation (分词) with jieba plus the platform word list.
import { readFileSync } from 'node:fs';
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';

const DEFAULT_WORD_FREQUENCY = 20000;
const DEFAULT_WORD_TAG = 'n';

let jieba: Jieba | undefined;

/** Reads platform-words.txt: one `word [frequency] [tag]` a line, `#` starts a comment. */
export function readPlatformWordList(text: string): { word: string; frequency: number; tag: string }[] {
  const entries: { word: string; frequency: number; tag: string }[] = [];
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const [word, frequencyText, tag] = line.split(/\s+/);
    const frequency = frequencyText === undefined ? DEFAULT_WORD_FREQUENCY : Number(frequencyText);
    if (!word || !Number.isFinite(frequency) || frequency <= 0) {
      throw new Error(`platform-words.txt: bad line "${rawLine}"`);
    }
    entries.push({ word: word.normalize('NFKC'), frequency, tag: tag ?? DEFAULT_WORD_TAG });
  }
  return entries;
}

let platformEntries: { word: string; frequency: number; tag: string }[] | undefined;

function platformWordEntries() {
  platformEntries ??= readPlatformWordList(readFileSync(new URL('./platform-words.txt', import.meta.url), 'utf8'));
  return platformEntries;
}

/** The platform's own words that segmentation keeps whole (占道经营, 12345热线, 网格员 …). */
export function getPlatformWords(): string[] {
  return platformWordEntries().map((entry) => entry.word);
}

function getJieba(): Jieba {
  if (!jieba) {
    const userDict = platformWordEntries()
      .map((entry) => `${entry.word} ${entry.frequency} ${entry.tag}`)
      .join('\n');
    const instance = Jieba.withDict(dict);
    instance.loadDict(Buffer.from(userDict + '\n', 'utf8'));
    jieba = instance;
  }
  return jieba;
}

/** A token that carries no meaning for classification: only whitespace, punctuation or symbols. */
export function isPunctuationOrSpace(token: string): boolean {
  return !/[\p{L}\p{N}]/u.test(token);
}

/**
 * Segments Chinese text into words with jieba (HMM on for unknown words) and the platform word
 * list. The text is NFKC-normalised first (full-width letters and digits become ASCII); tokens
 * that are only whitespace or punctuation are dropped.
 */
export function segment(text: string): string[] {
  const normalized = text.normalize('NFKC');
  if (normalized.trim() === '') return [];
  return getJieba()
    .cut(normalized, true)
    .filter((token) => !isPunctuationOrSpace(token));
}
