// Attachments: metadata in the `attachment` table (who uploaded it, which case it belongs to, name,
// type, size, SHA-256), bytes in the file store. The case engine links an attachment to a case by
// setting attachment.case_id and region_code (uploaded_by and case_id keep their meaning).
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Db, Queryable } from '../db/index.ts';
import type { Actor } from '../auth/actor.ts';
import { AppError, notFound } from '../errors.ts';
import type { HousekeepingTask } from '../housekeeping.ts';
import type { FileStore } from './store.ts';

export const sha256Hex = (b: Buffer) => createHash('sha256').update(b).digest('hex');

export interface NewAttachment { uploadedBy: number; filename: string; mime: string; content: Buffer }
export interface SavedAttachment { id: number; filename: string; mime: string; size: number; sha256: string }

/** Whether the actor may see the case an attachment belongs to (the case engine's scope). */
export type CaseVisible = (actor: Actor, caseId: number) => Promise<boolean>;

/** Blobs no attachment uses are dropped this long after an upload last touched them. */
const GRACE_MS = 24 * 3600_000;

export class Attachments {
  constructor(private readonly db: Db, readonly store: FileStore, private readonly now: () => Date,
    private readonly log?: { error(o: object, msg: string): void }) {}

  /**
   * Stores the bytes (once per content), then writes the attachment row; `link` runs in the row's
   * transaction for writes that belong with it (the portal's claim token).
   */
  async save(a: NewAttachment, link?: (tx: Queryable, id: number) => Promise<void>): Promise<SavedAttachment> {
    const sha256 = sha256Hex(a.content);
    const now = this.now();
    // touched first: housekeeping leaves a blob alone for a day after an upload touched it
    await this.db.query(
      `INSERT INTO file_blob (sha256, size, created_at, touched_at) VALUES ($1, $2, $3, $3)
       ON CONFLICT (sha256) DO UPDATE SET touched_at = excluded.touched_at`, [sha256, a.content.length, now]);
    try {
      await this.store.put(sha256, a.content);
    } catch (err) {
      this.log?.error({ err, store: this.store.description }, 'file store write failed');
      throw new AppError(503, 'file_store_unavailable', { zh: `文件未能保存，请稍后再试。`, en: 'The file could not be stored; try again later.' });
    }
    const id = await this.db.transaction(async (tx) => {
      const [row] = await tx.query<{ id: number }>(
        `INSERT INTO attachment (uploaded_by, filename, mime, size, sha256, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [a.uploadedBy, a.filename, a.mime, a.content.length, sha256, now]);
      await link?.(tx, Number(row.id));
      return Number(row.id);
    });
    return { id, filename: a.filename, mime: a.mime, size: a.content.length, sha256 };
  }

  /** The attachment's bytes for its uploader or whoever may see its case; 404 for anyone else. */
  async open(actor: Actor, id: number, caseVisible: CaseVisible): Promise<{ filename: string; mime: string; size: number; body: Readable }> {
    const [row] = await this.db.query<{ filename: string; mime: string; size: number; sha256: string; case_id: number | null; uploaded_by: number }>(
      'SELECT filename, mime, size, sha256, case_id, uploaded_by FROM attachment WHERE id = $1', [id]);
    const allowed = row && (Number(row.uploaded_by) === actor.id || (row.case_id != null && (await caseVisible(actor, Number(row.case_id)))));
    if (!allowed) throw notFound({ zh: `附件 ${id}`, en: `Attachment ${id}` });
    return { filename: row.filename, mime: row.mime, size: Number(row.size), body: await this.store.get(row.sha256) };
  }

  /** Housekeeping: drops blobs that no attachment uses (anonymous uploads never claimed, …). */
  garbageTask(): HousekeepingTask {
    return async (now) => ({ fileBlobs: await this.dropUnusedBlobs(new Date(now.getTime() - GRACE_MS)) });
  }

  async dropUnusedBlobs(touchedBefore: Date): Promise<number> {
    const unused = `b.touched_at < $1 AND NOT EXISTS (SELECT 1 FROM attachment a WHERE a.sha256 = b.sha256)`;
    const candidates = await this.db.query<{ sha256: string }>(`SELECT b.sha256 FROM file_blob b WHERE ${unused} LIMIT 500`, [touchedBefore]);
    let dropped = 0;
    for (const { sha256 } of candidates) {
      // the row lock makes an upload of the same bytes wait, and then store them anew
      dropped += await this.db.transaction(async (tx) => {
        const [still] = await tx.query(`SELECT 1 FROM file_blob b WHERE b.sha256 = $2 AND ${unused} FOR UPDATE`, [touchedBefore, sha256]);
        if (!still) return 0;
        await this.store.delete(sha256);
        await tx.query('DELETE FROM file_blob WHERE sha256 = $1', [sha256]);
        return 1;
      });
    }
    return dropped;
  }
}
