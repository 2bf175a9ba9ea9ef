// Builds the web console (web/ → dist/web) with Vite when it is missing or older than its sources, so
// `npm start` serves a current console with no separate build step.
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const consoleSourceDir = join(repoRoot, 'web');
export const consoleDistDir = join(repoRoot, 'dist', 'web');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Why the console needs a build, or null when dist/web is current. */
export function consoleBuildReason(): string | null {
  if (!existsSync(consoleSourceDir)) return null; // an install without sources serves whatever dist holds
  const index = join(consoleDistDir, 'index.html');
  if (!existsSync(index)) return 'not built yet';
  const built = statSync(index).mtimeMs;
  const sources = Math.max(newestMtime(consoleSourceDir), statSync(join(repoRoot, 'package.json')).mtimeMs);
  return sources > built ? 'sources changed since the last build' : null;
}

/**
 * Runs Vite's build when needed. The output goes to a temporary folder first and is swapped in, so a
 * server that is running (or a second process starting at the same time) never sees half a build.
 */
export async function ensureConsoleBuilt(opts: { force?: boolean; log?: (msg: string) => void } = {}): Promise<{ built: boolean; ms: number }> {
  const reason = opts.force ? 'forced' : consoleBuildReason();
  if (!reason) return { built: false, ms: 0 };
  const log = opts.log ?? ((m: string) => console.log(m));
  const started = Date.now();
  log(`Building the web console (${reason})…`);
  const tmp = `${consoleDistDir}.tmp-${process.pid}-${Date.now()}`;
  const vite = await import('vite');
  const previous = process.env.GONGZHI_CONSOLE_OUT_DIR;
  const previousNodeEnv = process.env.NODE_ENV;
  process.env.GONGZHI_CONSOLE_OUT_DIR = tmp;
  // A production bundle whatever the calling process runs as (vitest sets NODE_ENV=test, and Vite
  // would then build React and Ant Design in their development modes).
  process.env.NODE_ENV = 'production';
  try {
    await vite.build({ configFile: join(consoleSourceDir, 'vite.config.ts'), logLevel: 'warn', mode: 'production' });
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  } finally {
    if (previous == null) delete process.env.GONGZHI_CONSOLE_OUT_DIR; else process.env.GONGZHI_CONSOLE_OUT_DIR = previous;
    if (previousNodeEnv == null) delete process.env.NODE_ENV; else process.env.NODE_ENV = previousNodeEnv;
  }
  const old = `${consoleDistDir}.old-${process.pid}-${Date.now()}`;
  if (existsSync(consoleDistDir)) renameSync(consoleDistDir, old);
  renameSync(tmp, consoleDistDir);
  rmSync(old, { recursive: true, force: true });
  const ms = Date.now() - started;
  log(`  console built in ${(ms / 1000).toFixed(1)} s → ${consoleDistDir}`);
  return { built: true, ms };
}
