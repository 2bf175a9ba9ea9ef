// Shared helpers of the registry API tests (test/api/registry*.test.ts).
import { expect } from 'vitest';
import type { Res, TestPlatform } from '../helpers/platform.ts';
import { makeIdNumber } from '../../src/modules/registry/id-number.ts';
import { makeCreditCode } from '../../src/modules/registry/credit-code.ts';

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export function requester(p: TestPlatform, token: string | null) {
  const send = async (method: Method, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Res> => {
    const r = await p.http.inject({ method, url, payload: body as any, headers: { 'accept-language': 'en', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });
    let parsed: any = null;
    try { parsed = r.body ? JSON.parse(r.body) : null; } catch { parsed = null; }
    return { status: r.statusCode, body: parsed, headers: r.headers, text: r.body };
  };
  return {
    send,
    get: (url: string) => send('GET', url),
    post: (url: string, body?: unknown) => send('POST', url, body ?? {}),
    patch: (url: string, body?: unknown) => send('PATCH', url, body ?? {}),
    del: (url: string) => send('DELETE', url),
    /** multipart upload of an import file */
    upload: async (url: string, content: string | Buffer, filename = 'import.csv', type = 'text/csv') => {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(typeof content === 'string' ? Buffer.from(content) : content)], { type }), filename);
      return send('POST', url, form as any);
    },
  };
}
export type Requester = ReturnType<typeof requester>;

export function expectProblem(r: Res, status: number | number[], code?: string): void {
  const statuses = Array.isArray(status) ? status : [status];
  expect(statuses, `${r.status} ${r.text.slice(0, 300)}`).toContain(r.status);
  expect(r.headers['content-type']).toContain('application/problem+json');
  expect(typeof r.body?.detail).toBe('string');
  if (code) expect(r.body.code, r.text.slice(0, 300)).toBe(code);
}

let seq = 0;
/** A valid 18-digit ID number, different on every call; born in 1960–1999. */
export function idNumber(region = '500117', birth?: string): string {
  seq++;
  const b = birth ?? `${1960 + (seq % 40)}${String(1 + (seq % 12)).padStart(2, '0')}${String(1 + (seq % 28)).padStart(2, '0')}`;
  return makeIdNumber(region, b, seq);
}
/** The same number with a wrong check character. */
export const badChecksum = (id: string) => id.slice(0, 17) + (id[17] === '0' ? '1' : '0');

export function creditCode(): string {
  seq++;
  return makeCreditCode('91', '500117', `MA${String(seq).padStart(7, '0')}`);
}

export function person(gridCode: string, extra: Record<string, unknown> = {}) {
  return { regionCode: gridCode, populationType: 'registered', idNumber: idNumber(), name: '张三丰', phone: '13812345678', ethnicity: '01', ...extra };
}

/** Counts of every registry table, to show that refused writes wrote nothing. */
export async function registryCounts(p: TestPlatform): Promise<Record<string, number>> {
  const tables = ['person', 'person_label', 'person_followup', 'household', 'building', 'house', 'room', 'place', 'facility', 'thing', 'organisation', 'import_job', 'reveal_grant', 'dictionary_entry'];
  const [r] = await p.ctx.db.query<any>(`SELECT ${tables.map((t) => `(SELECT count(*)::int FROM ${t}) AS ${t}`).join(', ')}`);
  return r;
}
