// The data folder holds the embedded database, the personal-data key and the trained models: it is
// the platform's user's alone. Folders are created 0700, files 0600 (a process umask of 077 from the
// first use on), and what an older version left readable to others is closed at start-up.
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const PRIVATE_UMASK = 0o077;

/** Creates the folder (and its parents) for the owner only, and makes every later file private too. */
export function privateDir(dir: string): void {
  process.umask(PRIVATE_UMASK);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  try {
    chmodSync(dir, 0o700);
  } catch (err) {
    // a folder another user owns (a mount point, a shared parent) keeps its mode: its owner decides
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') throw err;
  }
}

/** Takes group and other permissions off everything under dir (not following links); returns how many it changed. */
export function closeTree(dir: string): number {
  if (!existsSync(dir)) return 0;
  let changed = 0;
  const stack = [dir];
  while (stack.length) {
    const path = stack.pop()!;
    const st = lstatSync(path);
    if (st.isSymbolicLink()) continue;
    if (st.mode & 0o077) {
      chmodSync(path, st.mode & 0o700);
      changed++;
    }
    if (st.isDirectory()) for (const name of readdirSync(path)) stack.push(join(path, name));
  }
  return changed;
}
