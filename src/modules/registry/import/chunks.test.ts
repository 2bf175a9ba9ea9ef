// Cutting a CSV file into chunks for the worker threads must give exactly the records csv-parse gives
// for the whole file: same cells, same order, whatever the line ends, blank lines, quotes (quoted line
// breaks, doubled quotes, quotes inside unquoted cells) and where the chunks fall.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { csvLayout, csvPieces, splitCsvChunk } from './chunks.ts';
import { csvOptions } from './sources.ts';

const dir = mkdtempSync(join(tmpdir(), 'gz-chunks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The data records as the import's workers would see them, and how many came as raw chunks. */
async function viaChunks(text: string | Buffer, input: Buffer | string, rows: number): Promise<{ records: string[][]; raw: number } | null> {
  const all = parse(text, csvOptions) as string[][];
  const layout = await csvLayout(input, all[0]);
  if (!layout) return null;
  const records: string[][] = [];
  let raw = 0;
  for await (const p of csvPieces(input, layout.start, layout.delimiter, rows)) {
    if ('bytes' in p) {
      raw++;
      expect(p.bytes.includes('"')).toBe(false);
      const chunk = splitCsvChunk(p.bytes.toString('utf8'), p.delimiter);
      expect(chunk.length).toBeLessThanOrEqual(rows);
      records.push(...chunk);
    } else {
      records.push(...p.records);
    }
  }
  return { records, raw };
}

const header = 'regionCode,populationType,idNumber,name';
const plain = Array.from({ length: 23 }, (_, i) => `5001170010010${i % 10},户籍,50011719900101${String(i).padStart(4, '0')},张${'三丰'.repeat(i % 3)}`);

describe('cutting CSV into chunks of whole records', () => {
  const cases: Array<[string, string | Buffer]> = [
    ['LF line ends', `${header}\n${plain.join('\n')}\n`],
    ['CRLF line ends, no line end at the end', `${header}\r\n${plain.join('\r\n')}`],
    ['a BOM, blank lines, a blank last line, short and long rows, empty cells', `\uFEFF${header}\n${plain.slice(0, 5).join('\n')}\n\n\n,,,\n a , b \n${plain.slice(5).join(',x\n')}\n\n`],
    ['CR inside cells of an LF file, LF inside cells of a CRLF file', `${header}\n${plain[0]}\r,x\n${plain[1]}\n`],
    ['LF inside cells of a CRLF file', `${header}\r\n${plain[0]}\n,x\r\n${plain[1]}\r\n`],
    ['a quoted cell with a line break late in the file', `${header}\n${plain.slice(0, 17).join('\n')}\n500117001001,户籍,"1\n2,""3""",李四\n${plain.slice(17).join('\n')}\n`],
    ['quotes inside unquoted cells (relax_quotes)', `${header}\n${plain.slice(0, 9).join('\n')}\n500117001001,户籍,福州"向阳巷",x\n${plain.slice(9).join('\n')}\n`],
    ['a quote in the first data row', `${header}\n"${plain[0]}"\n${plain.slice(1).join('\n')}\n`],
  ];
  for (const [name, text] of cases) {
    it(`${name}: the same records as csv-parse reads, from a buffer and from a file`, async () => {
      const expected = (parse(Buffer.from(text), csvOptions) as string[][]).slice(1);
      const file = join(dir, 'in.csv');
      writeFileSync(file, text);
      for (const rows of [1, 2, 5, 2000]) {
        for (const input of [Buffer.from(text), file]) {
          const got = await viaChunks(text, input, rows);
          expect(got, name).not.toBeNull();
          expect(got!.records).toEqual(expected);
          // blank lines count as line ends when cutting, so there may be more chunks than records / rows
          if (!text.includes('"')) expect(got!.raw).toBeGreaterThanOrEqual(Math.ceil(expected.length / rows));
        }
      }
    });
  }

  it('leaves files it cannot cut safely to csv-parse: quotes or blank lines before the data, old Mac line ends, UTF-16', async () => {
    for (const text of [`"regionCode",name\n1,2\n`, `\n${header}\n${plain[0]}\n`, `${header}\r${plain[0]}\r`, `${header}\r\r\n${plain[0]}\n`]) {
      expect(await viaChunks(text, Buffer.from(text), 5), JSON.stringify(text)).toBeNull();
    }
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${header}\n${plain[0]}\n`, 'utf16le')]);
    expect(await csvLayout(utf16, header.split(','))).toBeNull();
  });
});
