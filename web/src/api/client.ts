// The one way the console talks to the platform: same-origin fetch with the session cookie.
// Errors come back as RFC 9457 problem+json; they surface as ApiError with the stable `code`.

import { translate, type Locale } from '../i18n/index.tsx';

/** The console's language (set on <html lang> by the i18n provider). */
const uiLocale = (): Locale => (typeof document !== 'undefined' && document.documentElement.lang === 'en' ? 'en' : 'zh-CN');

export class ApiError extends Error {
  constructor(public status: number, public code: string, message: string, public extra: Record<string, unknown> = {}) {
    super(message);
  }
}

type Query = Record<string, string | number | boolean | null | undefined | string[]>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v == null || v === '' || (Array.isArray(v) && !v.length)) continue;
    qs.set(k, Array.isArray(v) ? v.join(',') : String(v));
  }
  const s = qs.toString();
  return s ? `${path}${path.includes('?') ? '&' : '?'}${s}` : path;
}

let onUnauthenticated: (() => void) | null = null;
/** Called when a request comes back 401 (session expired). */
export function setUnauthenticatedHandler(fn: (() => void) | null): void { onUnauthenticated = fn; }

async function toError(res: Response): Promise<ApiError> {
  let body: any = null;
  try { body = await res.json(); } catch { /* not JSON */ }
  // a reply that is not the platform's problem+json (a proxy's error page): said in the user's language, not its status text
  const said = body?.detail ?? body?.message ?? translate(uiLocale(), 'common.httpError', { status: res.status });
  return new ApiError(res.status, body?.code ?? `http_${res.status}`, said, body ?? {});
}

/** Told when a request could not reach the server (the live badge stops saying 实时). */
export const networkFailureListeners = new Set<() => void>();

export async function api<T = any>(path: string, opts: { method?: string; body?: unknown; query?: Query; signal?: AbortSignal; headers?: Record<string, string>; quiet401?: boolean } = {}): Promise<T> {
  // the API answers in the console's language (problem details, exports)
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': uiLocale(), ...opts.headers };
  let body: BodyInit | undefined;
  if (opts.body instanceof FormData) body = opts.body;
  else if (opts.body !== undefined) { headers['content-type'] = 'application/json'; body = JSON.stringify(opts.body); }
  let res: Response;
  try {
    res = await fetch(withQuery(path, opts.query), {
      method: opts.method ?? (opts.body !== undefined ? 'POST' : 'GET'), headers, body, signal: opts.signal, credentials: 'same-origin',
    });
  } catch (e) {
    if ((e as Error)?.name === 'AbortError') throw e;
    // "Failed to fetch" and its kin: the server could not be reached; said in the user's language
    for (const f of networkFailureListeners) f();
    throw new ApiError(0, 'network', translate(uiLocale(), 'common.networkError'));
  }
  if (!res.ok) {
    const err = await toError(res);
    if (res.status === 401 && !opts.quiet401) onUnauthenticated?.();
    throw err;
  }
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  return (type.includes('json') ? res.json() : res.text()) as Promise<T>;
}

/** Uploads one file (multipart field "file"). */
export async function upload<T = any>(path: string, file: File | Blob, filename?: string): Promise<T> {
  const fd = new FormData();
  fd.append('file', file, filename ?? (file instanceof File ? file.name : 'upload'));
  return api<T>(path, { method: 'POST', body: fd });
}
