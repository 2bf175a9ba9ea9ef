// Module boundaries (DESIGN §3): a module is a folder under src/modules/, and other code reaches it only
// through its index.ts; the platform (src/platform/) is below every module and imports none. The import
// graph comes from esbuild's metafile, so it is the graph the code really has (re-exports, type-only
// imports and dynamic imports included). `npm test` runs this over the tree (test/boundaries.test.ts).
import { build } from 'esbuild';
import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

export interface Violation { from: string; to: string; rule: string }

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.(ts|tsx|mjs)$/.test(f) && !/\.test\.ts$/.test(f) && !f.endsWith('.d.ts') ? [p] : [];
  });
}

const moduleOf = (file: string) => /^src\/modules\/([^/]+)\//.exec(file)?.[1] ?? null;

/** The rule an import breaks, or null. Paths are relative to the project root, with forward slashes. */
export function brokenRule(from: string, to: string): string | null {
  const inside = from.startsWith('src/platform/') || moduleOf(from) != null;
  if (inside && (to === 'src/app.ts' || to === 'src/cli.ts')) return 'modules and the platform do not import the composition root (app.ts, cli.ts)';
  const target = moduleOf(to);
  if (!to.startsWith('src/') || !target) return null;
  if (from.startsWith('src/platform/')) return 'the platform imports no module';
  if (moduleOf(from) === target) return null;
  if (to === `src/modules/${target}/index.ts`) return null;
  // the command line's second entry into a module: its cli.ts (commands that open files and print)
  if (from === 'src/cli.ts' && to === `src/modules/${target}/cli.ts`) return null;
  return `import another module only through its index.ts (src/modules/${target}/index.ts)`;
}

/** Every import in the tree under `root` that crosses a boundary the wrong way. */
export async function checkBoundaries(root: string): Promise<{ files: number; violations: Violation[] }> {
  const entryPoints = sources(join(root, 'src'));
  const result = await build({
    entryPoints, absWorkingDir: root, bundle: true, write: false, metafile: true, outdir: join(root, '.tmp/boundaries'),
    platform: 'node', format: 'esm', packages: 'external', logLevel: 'silent',
    // optional packages the code loads only when configured
    external: ['exceljs', '@aws-sdk/client-s3', 'pg-native'],
  });
  const violations: Violation[] = [];
  const norm = (p: string) => relative(root, join(root, p)).split(sep).join('/');
  for (const [file, input] of Object.entries(result.metafile.inputs)) {
    for (const imp of input.imports) {
      if (imp.external) continue;
      const from = norm(file);
      const to = norm(imp.path);
      const rule = brokenRule(from, to);
      if (rule) violations.push({ from, to, rule });
    }
  }
  return { files: Object.keys(result.metafile.inputs).length, violations };
}

// `node bin/run-ts.js scripts/boundaries.ts` prints the violations and exits 1 when there are any.
if (import.meta.url === `file://${process.argv[1]}`) {
  const { files, violations } = await checkBoundaries(process.cwd());
  for (const v of violations) console.log(`${v.from} → ${v.to}: ${v.rule}`);
  console.log(`${files} files, ${violations.length} boundary violations`);
  process.exit(violations.length ? 1 : 0);
}
