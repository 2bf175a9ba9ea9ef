// What the open internet needs from every response and every cookie-authenticated write: security
// headers with a content security policy the console runs under, HSTS over HTTPS, and a same-origin
// check that stands in for CSRF tokens (browsers cannot forge Origin, Referer or Sec-Fetch-Site).
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import helmet from '@fastify/helmet';
import type { Config } from '../config.ts';

type HttpsConfig = Pick<Config, 'GONGZHI_PUBLIC_URL'>;

/**
 * Whether the client reached us over HTTPS: the configured public address is https://, the socket is
 * TLS, or a trusted proxy (GONGZHI_TRUST_PROXY) says so in X-Forwarded-Proto. An untrusted client's
 * X-Forwarded-Proto is ignored: Fastify only reads it from the proxies it trusts.
 */
export function requestIsHttps(req: FastifyRequest, config: HttpsConfig): boolean {
  if (config.GONGZHI_PUBLIC_URL?.startsWith('https:')) return true;
  return req.protocol === 'https';
}

/** The origins (scheme://host[:port]) of a configured URL list, skipping what is not a URL. */
function originsOf(urls: Array<string | undefined | null>): string[] {
  const out: string[] = [];
  for (const u of urls) {
    if (!u) continue;
    try {
      const origin = new URL(u.replace(/\{[a-z]\}/g, '0')).origin;
      if (origin !== 'null') out.push(origin);
    } catch { /* not a URL: nothing to allow */ }
  }
  return out;
}

/**
 * The console's content security policy. No inline or evaluated script at all; inline styles are
 * allowed because Ant Design writes its CSS-in-JS into <style> elements; MapLibre runs its worker from
 * our own origin (or a blob:); a configured map service may be fetched and drawn from.
 */
export function contentSecurityPolicy(env: NodeJS.ProcessEnv = process.env): Record<string, string[]> {
  // several raster templates may be given, separated by | (天地图's base map and its annotation layer)
  const map = originsOf((env.GONGZHI_MAP_STYLE_URL ?? '').split('|').map((u) => u.trim()));
  return {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:', ...map],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'", ...map],
    'worker-src': ["'self'", 'blob:'],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
  };
}

const HSTS = 'max-age=31536000; includeSubDomains';

/** The helmet options of every response (no nonces: the same headers on every response). */
function helmetOptions() {
  return {
    contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicy() },
    frameguard: { action: 'deny' as const },
    // same-origin: the console's own requests keep Referer and Origin (the CSRF check reads them),
    // while a portal tracking link (?token=…) never leaks to another site.
    referrerPolicy: { policy: 'same-origin' as const },
    // sent per request below: over plain HTTP it would be ignored, or pin a name that has no TLS yet
    strictTransportSecurity: false as const,
    crossOriginEmbedderPolicy: false as const,
  };
}

/**
 * The headers helmet sets with these options, worked out once. @fastify/helmet builds helmet's middleware
 * anew for every request, parsing the content security policy each time: about 7 % of the server's CPU
 * per intake (bench/README.md, 2026-12-06 night). Without nonces the headers never change, so a probe
 * instance runs helmet once and the headers it set on the raw response are kept.
 */
export async function helmetHeaders(): Promise<Array<[string, string]>> {
  const probe = Fastify({ logger: false });
  await probe.register(helmet, { global: true, ...helmetOptions() });
  let set: Array<[string, string]> = [];
  // runs after helmet's own onRequest hooks (registered first, at the root)
  probe.addHook('onRequest', (_req, reply, done) => {
    set = Object.entries(reply.raw.getHeaders()).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)]);
    done();
  });
  probe.get('/', async () => '');
  await probe.inject({ method: 'GET', url: '/' });
  await probe.close();
  if (!set.some(([k]) => k === 'content-security-policy')) throw new Error('helmet set no content security policy');
  return set;
}

/** Helmet's headers on every response (set as helmet sets them, on the raw response), HSTS on those served over HTTPS. */
export async function registerSecurityHeaders(app: FastifyInstance, config: HttpsConfig): Promise<void> {
  const headers = await helmetHeaders();
  app.addHook('onRequest', (_req, reply, done) => {
    for (const [name, value] of headers) reply.raw.setHeader(name, value);
    done();
  });
  app.addHook('onSend', (req, reply, payload, done) => {
    if (requestIsHttps(req, config)) reply.header('strict-transport-security', HSTS);
    done(null, payload);
  });
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const isUnsafeMethod = (method: string) => !SAFE_METHODS.has(method);

function headerOrigin(req: FastifyRequest): string | null {
  const origin = req.headers.origin;
  if (origin) return origin;
  const referer = req.headers.referer;
  if (!referer) return null;
  try { return new URL(referer).origin; } catch { return null; }
}

/**
 * Does the request come from a page of this platform? Sec-Fetch-Site when the browser sends it, else
 * Origin, else Referer, compared with the origin the request was addressed to and GONGZHI_PUBLIC_URL.
 * A request that shows none of them cannot prove where it comes from: `null`.
 */
export function sameOrigin(req: FastifyRequest, config: HttpsConfig): boolean | null {
  const site = req.headers['sec-fetch-site'];
  if (site === 'same-origin') return true;
  if (site === 'cross-site' || site === 'same-site') return false;
  const origin = headerOrigin(req);
  if (!origin) return null;
  const own = [`${req.protocol}://${req.host}`, ...originsOf([config.GONGZHI_PUBLIC_URL])];
  return own.includes(origin);
}
