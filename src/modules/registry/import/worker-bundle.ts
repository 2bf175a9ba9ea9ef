// The worker threads' code as one JavaScript file. Loading worker.ts through the tsx loader costs each
// thread about a second of CPU (the loader's own thread, transforming every module again); a bundle
// loads in a few milliseconds. esbuild (a dependency; tsx runs the same compiler) bundles
// worker.ts and the modules it imports (packages stay imports) at the first import of a process into
// node_modules/.cache/gongzhi/, under a name made from the contents of its sources: an edited source
// gets a new bundle, an unchanged one is reused without running esbuild. When no bundle can be made
// (esbuild not found, a read-only folder), workers start from worker-entry.mjs through tsx as before.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../../..');
const source = join(here, 'worker.ts');
const cacheDir = join(root, 'node_modules', '.cache', 'gongzhi');
const manifest = join(cacheDir, 'import-worker.json');
/** changes when the build options below change */
const BUILD = 'esm-node20-v1';

interface Esbuild {
  build(o: Record<string, unknown>): Promise<{ outputFiles: Array<{ text: string }>; metafile: { inputs: Record<string, unknown> } }>;
}

/** The hash of the bundle's sources (paths relative to the project), or null when one is gone. */
function sourcesHash(inputs: string[]): string | null {
  const h = createHash('sha256').update(BUILD);
  for (const f of inputs) {
    const file = join(root, f);
    if (!existsSync(file)) return null;
    h.update(f).update('\0').update(readFileSync(file)).update('\0');
  }
  return h.digest('hex').slice(0, 16);
}

const bundleFile = (hash: string) => join(cacheDir, `import-worker-${hash}.mjs`);

async function build(): Promise<URL> {
  try {
    const known = JSON.parse(readFileSync(manifest, 'utf8')) as { inputs: string[] };
    const hash = sourcesHash(known.inputs);
    if (hash && existsSync(bundleFile(hash))) return pathToFileURL(bundleFile(hash));
  } catch { /* no bundle yet */ }
  const esbuild = createRequire(import.meta.url)('esbuild') as Esbuild;
  const out = await esbuild.build({
    entryPoints: [source], bundle: true, packages: 'external', platform: 'node', format: 'esm', target: 'node20',
    write: false, metafile: true, absWorkingDir: root, logLevel: 'silent',
  });
  const inputs = Object.keys(out.metafile.inputs).map((f) => relative(root, resolve(root, f))).sort();
  const hash = sourcesHash(inputs)!;
  mkdirSync(cacheDir, { recursive: true });
  // written under a temporary name and renamed, so a process starting at the same time never reads half a file
  const tmp = `${bundleFile(hash)}.${process.pid}.tmp`;
  writeFileSync(tmp, out.outputFiles[0].text);
  renameSync(tmp, bundleFile(hash));
  writeFileSync(`${manifest}.${process.pid}.tmp`, JSON.stringify({ inputs }));
  renameSync(`${manifest}.${process.pid}.tmp`, manifest);
  return pathToFileURL(bundleFile(hash));
}

let entry: Promise<URL> | null = null;

/** The module a worker thread starts from: the bundle, or the tsx entry when there is none. */
export function workerEntry(): Promise<URL> {
  entry ??= build().catch(() => new URL('./worker-entry.mjs', import.meta.url));
  return entry;
}
