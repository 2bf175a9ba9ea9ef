// A CSV file cut into chunks of whole records for worker threads to parse themselves, so the main
// thread only reads bytes and finds line breaks. Cutting is safe only where no quoted field can span
// the cut: as long as the bytes read so far hold no quote character ("), every record delimiter ends a
// record. At the first chunk with a quote the rest of the file goes through csv-parse here, as records
// (a quoted field may hold line breaks and quotes, and relax_quotes decides what they mean).
//
// Without quotes, CSV is lines and commas: with the import's options (csvOptions in sources.ts: no
// trimming, relax_column_count, skip_empty_lines) csv-parse gives for a quote-free text exactly
// `lines.filter(non-empty).map(split(','))`, the record delimiter being the first of \r\n, \n or \r in
// the file (csv-parse discovers it there and uses only it afterwards). splitCsvChunk does that.
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { csvOptions } from './sources.ts';

export type CsvDelimiter = '\n' | '\r\n';

export type CsvPiece =
  /** quote-free bytes of whole records (UTF-8), for splitCsvChunk */
  | { bytes: Buffer; delimiter: CsvDelimiter }
  /** records parsed here (everything from the first chunk with a quote on) */
  | { records: string[][] };

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const READ_SIZE = 1 << 20;

/** The records of a quote-free chunk, as csv-parse reads them (see the top of this file). */
export function splitCsvChunk(text: string, delimiter: CsvDelimiter): string[][] {
  const lines = text.split(delimiter);
  const out: string[][] = [];
  for (const line of lines) if (line.length) out.push(line.split(','));
  return out;
}

async function* blocks(input: Buffer | string, from: number): AsyncGenerator<Buffer> {
  if (Buffer.isBuffer(input)) {
    for (let i = from; i < input.length; i += READ_SIZE) yield input.subarray(i, Math.min(input.length, i + READ_SIZE));
    return;
  }
  const fh = await open(input, 'r');
  try {
    for (let pos = from; ;) {
      const buf = Buffer.allocUnsafe(READ_SIZE);
      const { bytesRead } = await fh.read(buf, 0, READ_SIZE, pos);
      if (!bytesRead) return;
      pos += bytesRead;
      yield buf.subarray(0, bytesRead);
    }
  } finally {
    await fh.close();
  }
}

/**
 * Where the data records start and how they end, when the file allows cutting it: UTF-8 (with or
 * without a BOM), a header line without quotes that is `header` joined by commas (as csv-parse read
 * it), ending in \n or \r\n. Anything else (UTF-16, old Mac line ends, blank lines or quotes before or
 * in the header): null, and the caller reads the file through csv-parse as before.
 */
export async function csvLayout(input: Buffer | string, header: string[]): Promise<{ start: number; delimiter: CsvDelimiter } | null> {
  let head: Buffer = Buffer.alloc(0);
  for await (const b of blocks(input, 0)) {
    head = Buffer.concat([head, b]);
    if (head.indexOf(LF) !== -1 || head.length > 4 * READ_SIZE) break;
  }
  const bom = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  if (head[0] === 0xff || head[0] === 0xfe) return null;
  const lf = head.indexOf(LF, bom);
  const cr = head.indexOf(CR, bom);
  if (lf === -1 || (cr !== -1 && cr < lf - 1)) return null;
  const delimiter: CsvDelimiter = cr === lf - 1 ? '\r\n' : '\n';
  const line = head.subarray(bom, lf + 1 - delimiter.length);
  if (line.indexOf(QUOTE) !== -1 || line.toString('utf8') !== header.join(',')) return null;
  return { start: lf + 1, delimiter };
}

/** The end of the `n`th record delimiter at or after `from` in buf, or -1 when there are fewer. */
function cutAfter(buf: Buffer, from: number, n: number, delimiter: CsvDelimiter): number {
  let at = from;
  for (let k = 0; k < n; k++) {
    const i = delimiter === '\n' ? buf.indexOf(LF, at) : buf.indexOf(delimiter, at);
    if (i === -1) return -1;
    at = i + delimiter.length;
  }
  return at;
}

/**
 * The data records of the file from `start` (a record boundary), as chunks of `rows` records
 * (the last one shorter) while they contain no quote, then as batches of `rows` parsed records.
 */
export async function* csvPieces(input: Buffer | string, start: number, delimiter: CsvDelimiter, rows: number): AsyncGenerator<CsvPiece> {
  const source = blocks(input, start);
  let pending: Buffer = Buffer.alloc(0);
  let fallback: Buffer | null = null;
  try {
    read: for (let b = await source.next(); !b.done; b = await source.next()) {
      pending = pending.length ? Buffer.concat([pending, b.value]) : b.value;
      let from = 0;
      for (let cut; (cut = cutAfter(pending, from, rows, delimiter)) !== -1; from = cut) {
        const chunk = pending.subarray(from, cut);
        if (chunk.indexOf(QUOTE) !== -1) { fallback = pending.subarray(from); break read; }
        yield { bytes: chunk, delimiter };
      }
      pending = pending.subarray(from);
    }
    if (!fallback) {
      if (pending.length && pending.indexOf(QUOTE) === -1) yield { bytes: pending, delimiter };
      else if (pending.length) fallback = pending;
    }
    if (fallback) yield* parsedRest(fallback, source, delimiter, rows);
  } finally {
    await source.return(undefined);
  }
}

/** The rest of the file, from a record boundary on, through csv-parse with the delimiter found at its start. */
async function* parsedRest(first: Buffer, source: AsyncGenerator<Buffer>, delimiter: CsvDelimiter, rows: number): AsyncGenerator<CsvPiece> {
  const rest = Readable.from((async function* () {
    yield first;
    for (let b = await source.next(); !b.done; b = await source.next()) yield b.value;
  })());
  const parser = rest.pipe(parse({ ...csvOptions, bom: false, record_delimiter: delimiter }));
  rest.on('error', (e) => parser.destroy(e));
  try {
    let batch: string[][] = [];
    for await (const record of parser) {
      batch.push(record);
      if (batch.length >= rows) { yield { records: batch }; batch = []; }
    }
    if (batch.length) yield { records: batch };
  } finally {
    parser.destroy();
    rest.destroy();
  }
}
