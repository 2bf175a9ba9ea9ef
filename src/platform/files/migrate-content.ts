// Databases from before the file store kept attachment bytes in attachment.content. Migration 0032
// drops that column; just before it, in the same transaction, this step copies every attachment's bytes
// into the file store and records the blob. If anything fails, the transaction rolls back and the column
// stays: nothing is lost (blobs already copied are simply there the next time).
import type { Queryable } from '../db/index.ts';
import type { MigrationSteps } from '../db/migrate.ts';
import type { FileStore } from './store.ts';
import { sha256Hex } from './service.ts';

export const CONTENT_DROPPED_IN = '0032_attachment_content_moved';

/** Copies bytes one attachment at a time (up to 10 MB each), so memory stays small however many there are. */
export async function copyContentToStore(tx: Queryable, store: FileStore | null): Promise<number> {
  let copied = 0;
  let after = 0;
  for (;;) {
    const [row] = await tx.query<{ id: number; sha256: string; content: Uint8Array }>(
      `SELECT a.id, a.sha256, a.content FROM attachment a
       WHERE a.id > $1 AND NOT EXISTS (SELECT 1 FROM file_blob b WHERE b.sha256 = a.sha256) ORDER BY a.id LIMIT 1`, [after]);
    if (!row) return copied;
    if (!store) throw new Error('Attachments must be copied into the file store before migration 0032, but no file store was given.');
    after = Number(row.id);
    const content = Buffer.from(row.content);
    const sha256 = sha256Hex(content);
    await store.put(sha256, content);
    // a recorded hash that does not match the bytes is corrected: the store is keyed by the bytes
    if (sha256 !== row.sha256) await tx.query('UPDATE attachment SET sha256 = $2 WHERE id = $1', [row.id, sha256]);
    await tx.query(
      `INSERT INTO file_blob (sha256, size) VALUES ($1, $2) ON CONFLICT (sha256) DO NOTHING`, [sha256, content.length]);
    copied++;
  }
}

export function fileMigrationSteps(store: FileStore | null, onCopied?: (n: number) => void): MigrationSteps {
  return {
    [CONTENT_DROPPED_IN]: async (tx) => {
      const n = await copyContentToStore(tx, store);
      if (n) onCopied?.(n);
    },
  };
}
