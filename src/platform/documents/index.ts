// Documents (DESIGN §3, platform): printable Chinese PDFs from templates, with an embedded CJK font that
// `npm install` brings (fonts.ts). Built once for every module: mediation's 受理登记表, 调查笔录, 调解笔录,
// 调解协议书 and 回访记录; risk's 稳评 report; meeting minutes. A template is plain data (a title and blocks
// with {{path}} placeholders, repeated blocks over a list), so a module's templates are JSON files it can
// version; fill() turns a template and the data into a document, renderPdf() prints it.
//
// Blocks: heading, paragraph, fields (label/value rows, one or two per line), table, list, signatures
// (drawn signature images with the signer's label and date), spacer. See docs/documents.md.
import PDFDocument from 'pdfkit';
import { fontRuns, mainFont, type Weight } from './fonts.ts';
import { checkPng } from './png.ts';

export { checkPng, encodePng } from './png.ts';

export type Block =
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; text: string; indent?: boolean }
  | { kind: 'fields'; rows: Array<[label: string, value: string]>; columns?: 1 | 2 }
  | { kind: 'table'; columns: Array<{ label: string; width: number }>; rows: string[][] }
  | { kind: 'list'; items: string[]; numbered?: boolean }
  | { kind: 'signatures'; items: Array<{ label: string; image?: Buffer | null; date?: string }> }
  | { kind: 'spacer'; height?: number }
  | { kind: 'page_break' };

export interface DocumentSpec {
  title: string;
  /** Above the title: the issuing organisation. */
  issuer?: string;
  /** Under the title, right-aligned: 编号. */
  number?: string;
  blocks: Block[];
  /** Printed at the foot of every page. */
  footer?: string;
}

// ---------------------------------------------------------------------------------------------
// Templates: a DocumentSpec whose strings hold {{path}} placeholders; `each` repeats a block over a list.

export type TemplateBlock =
  | (Block & { when?: string })
  | { kind: 'fields'; rows: Array<[string, string]>; columns?: 1 | 2; when?: string }
  | { kind: 'table'; columns: Array<{ label: string; width: number }>; each: string; cells: string[]; empty?: string; when?: string }
  | { kind: 'list'; each: string; item: string; numbered?: boolean; empty?: string; when?: string }
  | { kind: 'paragraphs'; each: string; text: string; empty?: string; when?: string }
  | { kind: 'signatures'; each: string; label: string; image: string; date?: string; when?: string };

export interface DocumentTemplate {
  /** A stable name, e.g. "mediation.agreement". */
  name: string;
  title: string;
  issuer?: string;
  number?: string;
  footer?: string;
  blocks: TemplateBlock[];
}

function lookup(data: unknown, path: string): unknown {
  let v: any = data;
  for (const k of path.split('.')) {
    if (v == null) return undefined;
    v = v[k];
  }
  return v;
}

/** "{{a.b}}" → the value at a.b as text ('' when absent); a value is never re-read as a template. */
/**
 * A date as printed on Chinese documents: 2026年12月6日. An instant (a Date or an ISO time) is taken on
 * China's calendar (Asia/Shanghai, UTC+8 all year), so a step at 00:30 there prints that day, not UTC's;
 * a civil date (YYYY-MM-DD) prints as it is. Empty for none.
 */
export function chineseDate(at: Date | string | null | undefined): string {
  if (at == null || at === '') return '';
  const civil = typeof at === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(at);
  const [y, m, d] = civil ? at.split('-').map(Number) : (() => {
    const c = new Date(new Date(at).getTime() + 8 * 3600_000);
    return [c.getUTCFullYear(), c.getUTCMonth() + 1, c.getUTCDate()];
  })();
  return `${y}年${m}月${d}日`;
}

/** An instant as printed on Chinese documents and case texts: 2026年12月6日 14:05 (China's calendar and clock). */
export function chineseDateTime(at: Date | string | null | undefined): string {
  if (at == null || at === '') return '';
  return `${chineseDate(at)} ${new Date(new Date(at).getTime() + 8 * 3600_000).toISOString().slice(11, 16)}`;
}

export function interpolate(text: string, data: unknown): string {
  return text.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_, path: string) => {
    const v = lookup(data, path);
    return v == null ? '' : String(v);
  });
}

const listAt = (data: unknown, path: string): any[] => {
  const v = lookup(data, path);
  return Array.isArray(v) ? v : [];
};

/** The template filled with the data: a document ready to print. */
export function fill(t: DocumentTemplate, data: unknown): DocumentSpec {
  const blocks: Block[] = [];
  for (const b of t.blocks) {
    if (b.when && !lookup(data, b.when)) continue;
    if ('each' in b) {
      const items = listAt(data, b.each);
      switch (b.kind) {
        case 'table':
          blocks.push({ kind: 'table', columns: b.columns, rows: items.length ? items.map((it) => b.cells.map((c) => interpolate(c, { ...asObject(data), ...asObject(it), it }))) : [] });
          if (!items.length && b.empty) blocks.push({ kind: 'paragraph', text: b.empty });
          break;
        case 'list':
          if (items.length) blocks.push({ kind: 'list', numbered: b.numbered, items: items.map((it) => interpolate(b.item, { ...asObject(data), ...asObject(it), it })) });
          else if (b.empty) blocks.push({ kind: 'paragraph', text: b.empty });
          break;
        case 'paragraphs':
          for (const it of items) blocks.push({ kind: 'paragraph', text: interpolate(b.text, { ...asObject(data), ...asObject(it), it }) });
          if (!items.length && b.empty) blocks.push({ kind: 'paragraph', text: b.empty });
          break;
        case 'signatures':
          blocks.push({
            kind: 'signatures',
            items: items.map((it) => ({
              label: interpolate(b.label, { ...asObject(data), ...asObject(it), it }),
              image: Buffer.isBuffer(lookup(it, b.image)) ? lookup(it, b.image) as Buffer : null,
              date: b.date ? interpolate(b.date, { ...asObject(data), ...asObject(it), it }) : undefined,
            })),
          });
          break;
      }
      continue;
    }
    switch (b.kind) {
      case 'heading': blocks.push({ kind: 'heading', text: interpolate(b.text, data) }); break;
      case 'paragraph': blocks.push({ kind: 'paragraph', text: interpolate(b.text, data), indent: b.indent }); break;
      case 'fields': blocks.push({ kind: 'fields', columns: b.columns, rows: b.rows.map(([l, v]) => [interpolate(l, data), interpolate(v, data)]) }); break;
      case 'spacer': blocks.push({ kind: 'spacer', height: b.height }); break;
      default: blocks.push(b as Block);
    }
  }
  return {
    title: interpolate(t.title, data),
    issuer: t.issuer ? interpolate(t.issuer, data) : undefined,
    number: t.number ? interpolate(t.number, data) : undefined,
    footer: t.footer ? interpolate(t.footer, data) : undefined,
    blocks,
  };
}

const asObject = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? v as Record<string, unknown> : {});

// ---------------------------------------------------------------------------------------------
// Printing

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 64;
const BODY = 11.5;

type Doc = InstanceType<typeof PDFDocument>;

/** Writes text in the fonts that have its characters; options as pdfkit's text(). */
function write(doc: Doc, text: string, weight: Weight, size: number, opts: Record<string, unknown> = {}, x?: number, y?: number): void {
  const runs = fontRuns(text || ' ', weight);
  runs.forEach((r, i) => {
    doc.font(useFont(doc, r.font.name, r.font.bytes)).fontSize(size);
    const o = { ...opts, continued: i < runs.length - 1 };
    if (i === 0 && x !== undefined) doc.text(r.text, x, y, o);
    else doc.text(r.text, o);
  });
}

function useFont(doc: Doc, name: string, bytes: Buffer): string {
  const registered = (doc as any).__gzFonts as Set<string> | undefined ?? new Set<string>();
  (doc as any).__gzFonts = registered;
  if (!registered.has(name)) {
    doc.registerFont(name, bytes);
    registered.add(name);
  }
  return name;
}

function ensureSpace(doc: Doc, height: number): void {
  if (doc.y + height > A4.height - MARGIN) doc.addPage();
}

function fields(doc: Doc, rows: Array<[string, string]>, columns: 1 | 2): void {
  const width = A4.width - 2 * MARGIN;
  const colWidth = width / columns;
  const labelWidth = columns === 2 ? 78 : 96;
  for (let i = 0; i < rows.length; i += columns) {
    const line = rows.slice(i, i + columns);
    ensureSpace(doc, 24);
    const top = doc.y;
    let bottom = top;
    line.forEach(([label, value], c) => {
      const x = MARGIN + c * colWidth;
      write(doc, `${label}：`, 700, BODY, { width: labelWidth }, x, top);
      write(doc, value || '—', 400, BODY, { width: colWidth - labelWidth - 8 }, x + labelWidth, top);
      bottom = Math.max(bottom, doc.y);
    });
    doc.y = bottom + 4;
  }
  doc.x = MARGIN;
}

function table(doc: Doc, columns: Array<{ label: string; width: number }>, rows: string[][]): void {
  const total = columns.reduce((s, c) => s + c.width, 0);
  const width = A4.width - 2 * MARGIN;
  const widths = columns.map((c) => (c.width / total) * width);
  const drawRow = (cells: string[], weight: Weight) => {
    // measure the row first, so a row never splits across pages
    const heights = cells.map((cell, i) => {
      doc.font(useFont(doc, mainFont(weight).name, mainFont(weight).bytes)).fontSize(BODY - 1);
      return doc.heightOfString(cell || ' ', { width: widths[i] - 8 });
    });
    const h = Math.max(...heights) + 8;
    ensureSpace(doc, h);
    const top = doc.y;
    let x = MARGIN;
    cells.forEach((cell, i) => {
      doc.rect(x, top, widths[i], h).lineWidth(0.6).stroke('#444444');
      write(doc, cell, weight, BODY - 1, { width: widths[i] - 8 }, x + 4, top + 4);
      x += widths[i];
    });
    doc.x = MARGIN;
    doc.y = top + h;
  };
  drawRow(columns.map((c) => c.label), 700);
  for (const r of rows) drawRow(r, 400);
  doc.moveDown(0.6);
}

function signatures(doc: Doc, items: Array<{ label: string; image?: Buffer | null; date?: string }>): void {
  const width = A4.width - 2 * MARGIN;
  const perRow = 2;
  const cell = width / perRow;
  for (let i = 0; i < items.length; i += perRow) {
    ensureSpace(doc, 110);
    const top = doc.y;
    items.slice(i, i + perRow).forEach((s, c) => {
      const x = MARGIN + c * cell;
      write(doc, `${s.label}（签名）：`, 400, BODY, { width: cell - 8 }, x, top);
      // a damaged image is never handed to pdfkit (its decoder fails outside any error handling)
      if (s.image && checkPng(s.image).ok) {
        doc.image(s.image, x + 8, top + 18, { fit: [cell - 40, 60] });
      } else if (s.image) {
        write(doc, '（签名图像无法读取）', 400, BODY - 2, { width: cell - 8 }, x + 8, top + 40);
      } else {
        doc.moveTo(x + 8, top + 70).lineTo(x + cell - 30, top + 70).lineWidth(0.6).stroke('#444444');
      }
      if (s.date) write(doc, s.date, 400, BODY - 1.5, { width: cell - 8 }, x + 8, top + 82);
    });
    doc.x = MARGIN;
    doc.y = top + 104;
  }
}

/** Prints the document: A4, title centred, blocks in order, page numbers and the footer on every page. */
export function renderPdf(spec: DocumentSpec, meta: { author?: string } = {}): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: MARGIN, bufferPages: true, info: { Title: spec.title, Author: meta.author ?? 'gongzhi', Creator: 'gongzhi' } });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  if (spec.issuer) write(doc, spec.issuer, 400, 12, { align: 'center', width: A4.width - 2 * MARGIN });
  write(doc, spec.title, 700, 20, { align: 'center', width: A4.width - 2 * MARGIN });
  if (spec.number) write(doc, spec.number, 400, 10.5, { align: 'right', width: A4.width - 2 * MARGIN });
  doc.moveDown(0.8);
  for (const b of spec.blocks) {
    doc.x = MARGIN;
    switch (b.kind) {
      case 'heading':
        ensureSpace(doc, 40);
        doc.moveDown(0.4);
        write(doc, b.text, 700, 13, { width: A4.width - 2 * MARGIN });
        doc.moveDown(0.3);
        break;
      case 'paragraph':
        ensureSpace(doc, 20);
        write(doc, b.indent === false ? b.text : `\u3000\u3000${b.text}`, 400, BODY, { width: A4.width - 2 * MARGIN, lineGap: 4 });
        doc.moveDown(0.4);
        break;
      case 'fields': fields(doc, b.rows, b.columns ?? 1); break;
      case 'table': table(doc, b.columns, b.rows); break;
      case 'list':
        b.items.forEach((item, i) => {
          ensureSpace(doc, 20);
          write(doc, `${b.numbered === false ? '·' : `${i + 1}.`} ${item}`, 400, BODY, { width: A4.width - 2 * MARGIN, indent: 0, lineGap: 3 });
        });
        doc.moveDown(0.4);
        break;
      case 'signatures': signatures(doc, b.items); break;
      case 'spacer': doc.moveDown((b.height ?? 12) / 12); break;
      case 'page_break': doc.addPage(); break;
    }
  }
  const range = doc.bufferedPageRange();
  for (let i = 0; i < range.count; i++) {
    doc.switchToPage(range.start + i);
    const footer = `${spec.footer ? `${spec.footer}　` : ''}第 ${i + 1} 页 / 共 ${range.count} 页`;
    // writing below the bottom margin would start a new page: lift the margin while the footer is drawn
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    write(doc, footer, 400, 9, { align: 'center', width: A4.width - 2 * MARGIN, lineBreak: false }, MARGIN, A4.height - MARGIN / 2 - 6);
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}

/** A template and its data, printed. */
export function renderTemplate(t: DocumentTemplate, data: unknown, meta: { author?: string } = {}): Promise<Buffer> {
  return renderPdf(fill(t, data), meta);
}

/** Several documents as one PDF (a case file that transfers with a docking): each starts on a new page. */
export function renderBundle(specs: DocumentSpec[], title: string, footer?: string): Promise<Buffer> {
  // pdfkit cannot append other PDFs, so the bundle is printed from the documents' specs
  const contents: Block = { kind: 'list', items: specs.map((s) => `${s.title}${s.number ? `（${s.number}）` : ''}`) };
  return renderPdf({ title, footer, blocks: [contents, ...specs.flatMap((s, i): Block[] => [
    { kind: 'page_break' },
    { kind: 'heading', text: `${i + 1}. ${s.title}${s.number ? `（${s.number}）` : ''}` },
    ...s.blocks,
  ])] });
}
