// The default file store: a folder on the server's disk, readable by the service's user only.
// Writes go to a temporary file first and are renamed into place, so a reader never sees half a file
// and a crash leaves at most a stray temporary file.
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { blobKey, FileMissingError, type FileStore } from './store.ts';

export class FolderStore implements FileStore {
  readonly description: string;
  constructor(private readonly dir: string) { this.description = `folder ${dir}`; }

  private path(sha256: string): string { return join(this.dir, blobKey(sha256)); }

  async put(sha256: string, content: Buffer): Promise<void> {
    const target = this.path(sha256);
    const existing = await stat(target).catch(() => null);
    if (existing?.size === content.length) return; // the same bytes, stored before
    await mkdir(dirname(target), { recursive: true, mode: 0o700 });
    const tmp = join(this.dir, 'tmp', `${sha256}.${randomBytes(6).toString('hex')}`);
    await mkdir(dirname(tmp), { recursive: true, mode: 0o700 });
    try {
      await writeFile(tmp, content, { mode: 0o600 });
      await rename(tmp, target);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }

  async get(sha256: string): Promise<Readable> {
    const path = this.path(sha256);
    if (!(await this.has(sha256))) throw new FileMissingError(sha256);
    return createReadStream(path);
  }

  async has(sha256: string): Promise<boolean> {
    return (await stat(this.path(sha256)).catch(() => null))?.isFile() ?? false;
  }

  async delete(sha256: string): Promise<void> {
    await rm(this.path(sha256), { force: true });
  }
}
