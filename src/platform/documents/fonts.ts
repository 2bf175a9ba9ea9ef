// The CJK font for printed documents comes with `npm install` (@fontsource/noto-sans-sc), never from the
// operating system, so a default install prints Chinese. The simplified-Chinese subset (≈ 8,200 glyphs:
// GB2312 and more, with Latin and digits) sets almost every text; a character it lacks (a rare character
// in a person's name, 生僻字) is looked up in the package's numbered subsets, which together cover the
// whole Noto Sans SC font, so it prints instead of leaving a gap.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { inflateSync } from 'node:zlib';
import * as fontkit from 'fontkit';

const require = createRequire(import.meta.url);
const fontDir = join(dirname(require.resolve('@fontsource/noto-sans-sc/package.json')), 'files');

export type Weight = 400 | 700;

interface LoadedFont { name: string; bytes: Buffer; has(cp: number): boolean }

const cache = new Map<string, LoadedFont>();

/**
 * WOFF → OpenType (SFNT), inflating the tables with Node's zlib: fontkit's pure-JS inflate takes seconds
 * for the 1.5 MB CJK subset on every document, zlib a few milliseconds once per process.
 */
export function woffToSfnt(woff: Buffer): Buffer {
  if (woff.readUInt32BE(0) !== 0x774f4646) return woff; // not WOFF ('wOFF'): already an SFNT
  const flavor = woff.readUInt32BE(4);
  const numTables = woff.readUInt16BE(12);
  const tables: Array<{ tag: number; checksum: number; data: Buffer }> = [];
  for (let i = 0; i < numTables; i++) {
    const e = 44 + i * 20;
    const tag = woff.readUInt32BE(e);
    const offset = woff.readUInt32BE(e + 4);
    const compLength = woff.readUInt32BE(e + 8);
    const origLength = woff.readUInt32BE(e + 12);
    const raw = woff.subarray(offset, offset + compLength);
    tables.push({ tag, checksum: woff.readUInt32BE(e + 16), data: compLength < origLength ? inflateSync(raw) : Buffer.from(raw) });
  }
  tables.sort((a, b) => a.tag - b.tag);
  let searchRange = 1;
  let entrySelector = 0;
  while (searchRange * 2 <= numTables) { searchRange *= 2; entrySelector++; }
  const header = Buffer.alloc(12 + 16 * numTables);
  header.writeUInt32BE(flavor, 0);
  header.writeUInt16BE(numTables, 4);
  header.writeUInt16BE(searchRange * 16, 6);
  header.writeUInt16BE(entrySelector, 8);
  header.writeUInt16BE(numTables * 16 - searchRange * 16, 10);
  const parts: Buffer[] = [header];
  let offset = header.length;
  tables.forEach((t, i) => {
    const r = 12 + i * 16;
    header.writeUInt32BE(t.tag, r);
    header.writeUInt32BE(t.checksum, r + 4);
    header.writeUInt32BE(offset, r + 8);
    header.writeUInt32BE(t.data.length, r + 12);
    const padded = Buffer.alloc((t.data.length + 3) & ~3);
    t.data.copy(padded);
    parts.push(padded);
    offset += padded.length;
  });
  return Buffer.concat(parts);
}

function load(file: string): LoadedFont {
  let f = cache.get(file);
  if (!f) {
    const bytes = woffToSfnt(readFileSync(join(fontDir, file)));
    const font = fontkit.create(bytes) as { hasGlyphForCodePoint(cp: number): boolean };
    // a subset without a usable character map has no character for us
    const has = (cp: number) => { try { return font.hasGlyphForCodePoint(cp); } catch { return false; } };
    f = { name: file.replace(/\.woff$/, ''), bytes, has };
    cache.set(file, f);
  }
  return f;
}

/** The main font of a weight: the simplified-Chinese subset. */
export function mainFont(weight: Weight): LoadedFont {
  return load(`noto-sans-sc-chinese-simplified-${weight}-normal.woff`);
}

/** The package's stylesheet maps each numbered subset to its unicode-range: the file for a character without opening fonts. */
let ranges: Array<{ lo: number; hi: number; file: string }> | null = null;
function subsetRanges(): Array<{ lo: number; hi: number; file: string }> {
  if (ranges) return ranges;
  const css = readFileSync(join(fontDir, '..', '400.css'), 'utf8');
  ranges = [];
  for (const m of css.matchAll(/url\(\.\/files\/(noto-sans-sc-\d+)-400-normal\.woff2\)[^;]*;\s*unicode-range:\s*([^;]+);/g)) {
    for (const part of m[2].split(',')) {
      const [lo, hi] = part.trim().replace(/^U\+/i, '').split('-').map((h) => parseInt(h, 16));
      ranges.push({ lo, hi: hi ?? lo, file: m[1] });
    }
  }
  return ranges;
}

const fallbackOf = new Map<string, LoadedFont | null>();

/** The numbered subset that has the character, or null when no part of the font has it. */
export function fallbackFont(cp: number, weight: Weight): LoadedFont | null {
  const key = `${weight}:${cp}`;
  if (fallbackOf.has(key)) return fallbackOf.get(key)!;
  const hit = subsetRanges().find((r) => cp >= r.lo && cp <= r.hi);
  const font = hit ? load(`${hit.file}-${weight}-normal.woff`) : null;
  const found = font && font.has(cp) ? font : null;
  fallbackOf.set(key, found);
  return found;
}

/** Splits text into runs, each with the font that has its characters. */
export function fontRuns(text: string, weight: Weight): Array<{ font: LoadedFont; text: string }> {
  const main = mainFont(weight);
  const runs: Array<{ font: LoadedFont; text: string }> = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const font = cp < 0x80 || main.has(cp) ? main : (fallbackFont(cp, weight) ?? main);
    const last = runs[runs.length - 1];
    if (last && last.font === font) last.text += ch;
    else runs.push({ font, text: ch });
  }
  return runs;
}
