// Vite build of the web console (React + Ant Design). Output goes to dist/web, which the platform
// serves at `/` (src/platform/http/console.ts). Charts (ECharts) and maps (MapLibre) are split into
// chunks loaded on demand, so the first load stays small.
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { dirname, resolve, join } from 'node:path';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = process.env.GONGZHI_CONSOLE_OUT_DIR ?? resolve(here, '../dist/web');

/** Writes .gz and .br beside each text asset so the server can send them pre-compressed. */
function precompress(): Plugin {
  return {
    name: 'gongzhi-precompress',
    apply: 'build',
    closeBundle() {
      const walk = (dir: string): string[] => readdirSync(dir).flatMap((f) => {
        const p = join(dir, f);
        return statSync(p).isDirectory() ? walk(p) : [p];
      });
      for (const file of walk(outDir)) {
        if (!/\.(js|css|html|svg|json|mjs)$/.test(file)) continue;
        const buf = readFileSync(file);
        if (buf.length < 1024) continue;
        writeFileSync(`${file}.gz`, gzipSync(buf, { level: 9 }));
        writeFileSync(`${file}.br`, brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
      }
    },
  };
}

export default defineConfig({
  root: here,
  base: '/',
  plugins: [react(), precompress()],
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
    reportCompressedSize: false,
  },
  server: {
    // `npx vite web` during development: API calls go to a running `npm start`.
    proxy: { '/api': { target: process.env.GONGZHI_API ?? 'http://localhost:8080', changeOrigin: false } },
  },
});
