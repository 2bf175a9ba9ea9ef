// Reading labelled message CSV files for training and evaluation.
import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import type { Example } from './classifier.ts';

/**
 * Parses a labelled CSV with a header row. Two shapes are accepted:
 * - `text_seg` + `label`: pre-segmented text, words separated by spaces;
 * - `title` + `detail` + `label`: raw text (title and detail are joined).
 * Other columns are ignored; rows with an empty label are skipped.
 */
export function parseLabelledCsv(content: string | Buffer, source = 'CSV'): Example[] {
  const rows = parse(content, {
    columns: (header: string[]) => header.map((name) => name.replace(/^\uFEFF/, '').trim().toLowerCase()),
    skip_empty_lines: true,
    relax_column_count: true,
    bom: true,
  }) as Record<string, string | undefined>[];
  const header = rows.length > 0 ? Object.keys(rows[0]!) : readHeader(content);
  const has = (name: string): boolean => header.includes(name);
  if (!has('label')) {
    throw new Error(`${source}: missing column "label" (columns found: ${header.join(', ') || 'none'})`);
  }
  const segmented = has('text_seg');
  if (!segmented && !(has('title') && has('detail'))) {
    throw new Error(
      `${source}: needs a "text_seg" column (segmented text) or both "title" and "detail" columns (raw text); ` +
        `columns found: ${header.join(', ')}`,
    );
  }
  const examples: Example[] = [];
  for (const row of rows) {
    const label = (row.label ?? '').trim();
    if (label === '') continue;
    if (segmented) {
      examples.push({ tokens: (row.text_seg ?? '').split(/\s+/).filter((t) => t !== ''), label });
    } else {
      examples.push({ text: `${(row.title ?? '').trim()}\n${(row.detail ?? '').trim()}`, label });
    }
  }
  return examples;
}

function readHeader(content: string | Buffer): string[] {
  const [first] = parse(content, { to_line: 1, bom: true }) as string[][];
  return (first ?? []).map((name) => name.trim().toLowerCase());
}

/** Reads a labelled CSV file (see parseLabelledCsv). */
export async function readLabelledCsv(path: string): Promise<Example[]> {
  const content = await readFile(path);
  return parseLabelledCsv(content, path);
}
