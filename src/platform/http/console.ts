// Serves the web console (the SPA built into dist/web) at `/`: files with long caching for hashed
// assets, index.html for every other non-API path (client-side routes), problem+json 404 under /api.
import { existsSync, statSync } from 'node:fs';
import { join, normalize, sep } from 'node:path';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { AppError } from '../errors.ts';
import type { AppContext } from '../context.ts';
import { consoleDistDir } from './console-build.ts';

const YEAR = 365 * 24 * 3600 * 1000;

/** A request path → a file under dist/web, or null (no traversal, no directories). */
function fileFor(root: string, urlPath: string): string | null {
  let decoded: string;
  try { decoded = decodeURIComponent(urlPath); } catch { return null; }
  if (decoded.includes('\0')) return null;
  const rel = normalize(decoded).replace(/^([/\\])+/, '');
  if (!rel || rel.split(/[/\\]/).includes('..')) return null;
  const abs = join(root, rel);
  if (!abs.startsWith(root + sep)) return null;
  try { return statSync(abs).isFile() ? rel : null; } catch { return null; }
}

export async function consoleRoutes(app: FastifyInstance, _ctx: AppContext, root = consoleDistDir): Promise<void> {
  app.get('/api/v1/console/config', {
    schema: { summary: 'Console settings: the optional map style or tile URL (GONGZHI_MAP_STYLE_URL)', tags: ['platform'] },
  }, async () => ({
    mapStyleUrl: process.env.GONGZHI_MAP_STYLE_URL || null,
    mapAttribution: process.env.GONGZHI_MAP_ATTRIBUTION || null,
    version: process.env.npm_package_version ?? null,
  }));

  await app.register(fastifyStatic, { root, serve: false, preCompressed: true, suppressWarning: true });

  app.get('/*', { schema: { hide: true } }, async (req, reply) => {
    const path = req.url.split('?')[0];
    if (path === '/api' || path.startsWith('/api/')) throw new AppError(404, 'not_found', { zh: `没有 GET ${path} 这个地址。`, en: `No route GET ${path}.` });
    if (!existsSync(join(root, 'index.html'))) {
      return reply.code(503).type('text/plain; charset=utf-8')
        .send('The web console is not built yet: `npm start` builds it from web/ before it listens.');
    }
    const file = fileFor(root, path);
    if (file) {
      const hashed = file.startsWith(`assets${sep}`) || file.startsWith('assets/');
      return reply.sendFile(file, hashed ? { maxAge: YEAR, immutable: true } : { maxAge: 0, cacheControl: true });
    }
    // client-side route: the app shell, never cached so a new build is picked up at once
    reply.header('cache-control', 'no-cache');
    return reply.sendFile('index.html', { cacheControl: false });
  });
}
