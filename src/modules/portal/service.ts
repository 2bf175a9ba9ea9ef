// The resident portal (公众门户): anonymous reports, tracking by case number and token, and rating.
// Every portal case is reported by one built-in resident-role system account, `portal`, so the case
// engine's own rules apply unchanged (a resident reports hotline cases; the reporter rates). What ties a
// case to the person who reported it is the tracking token handed out once at intake. No HTTP types.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Queryable } from '../../platform/db/index.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import { getActor } from '../../platform/auth/service.ts';
import { AppError, conflict, notFound, unprocessable } from '../../platform/errors.ts';
import { categoriesForIntake, createCase, publicCase, rateAsReporter, type CaseDeps } from '../cases/index.ts';

export const PORTAL_USERNAME = 'portal';

export interface PortalDeps {
  cases: CaseDeps;
  /** The portal account, found or created on first use. */
  actor: () => Promise<Actor>;
}

/** The portal account: created by migration 0003 when regions existed, otherwise here on first use. */
export function portalActorLoader(db: Queryable): () => Promise<Actor> {
  let cached: Actor | null = null;
  return async () => {
    if (cached) return cached;
    let [row] = await db.query<{ id: number; is_system: boolean }>('SELECT id, is_system FROM app_user WHERE username = $1', [PORTAL_USERNAME]);
    if (!row) {
      await db.query(
        `INSERT INTO app_user (username, display_name, password_hash, role, region_code, active, is_system)
         SELECT $1, '公众门户', '!', 'resident', code, false, true FROM region WHERE parent_code IS NULL ORDER BY code LIMIT 1
         ON CONFLICT (username) DO NOTHING`, [PORTAL_USERNAME]);
      [row] = await db.query('SELECT id, is_system FROM app_user WHERE username = $1', [PORTAL_USERNAME]);
    }
    if (!row) throw new AppError(503, 'portal_unavailable', { zh: `群众门户尚未启用：平台还没有设置行政区划。`, en: 'The portal is not set up yet: the platform has no regions.' });
    if (!row.is_system) throw new AppError(503, 'portal_unavailable', { zh: `用户名“${PORTAL_USERNAME}”属于普通账号，群众门户无法使用。`, en: `The username "${PORTAL_USERNAME}" belongs to an ordinary account; the portal cannot act.` });
    cached = await getActor(db, Number(row.id));
    return cached!;
  };
}

const sha256 = (s: string) => createHash('sha256').update(s).digest();

// ---------------------------------------------------------------------------------------------
// Uploads

const UNCLAIMED_TTL_MS = 24 * 3600_000;

export async function storeUpload(deps: PortalDeps, file: { content: Buffer; filename: string; mime: string }) {
  const { db, files } = deps.cases.ctx;
  const actor = await deps.actor();
  const token = randomBytes(18).toString('base64url');
  const now = deps.cases.ctx.now();
  // Anonymous uploads nobody claimed within a day are dropped, a few at a time (their bytes leave the
  // file store with the platform's housekeeping, once no attachment uses them).
  await db.query(
    `DELETE FROM attachment WHERE id IN (SELECT a.id FROM attachment a JOIN portal_upload p ON p.attachment_id = a.id
       WHERE a.case_id IS NULL AND p.created_at < $1 LIMIT 50)`, [new Date(now.getTime() - UNCLAIMED_TTL_MS)]);
  const saved = await files.save({ uploadedBy: actor.id, ...file }, async (tx, id) => {
    await tx.query('INSERT INTO portal_upload (attachment_id, token_hash, created_at) VALUES ($1, $2, $3)', [id, sha256(token).toString('hex'), now]);
  });
  return { id: saved.id, token, filename: saved.filename, mime: saved.mime, size: saved.size };
}

// ---------------------------------------------------------------------------------------------
// Intake

export interface PortalReport {
  categoryCode: string; title: string; description: string; lat: number; lng: number; address?: string;
  contact?: { name?: string; phone?: string };
  attachments?: Array<{ id: number; token: string }>;
}

async function claimableAttachments(deps: PortalDeps, actor: Actor, claims: Array<{ id: number; token: string }>): Promise<number[]> {
  if (!claims.length) return [];
  const ids = [...new Set(claims.map((c) => c.id))];
  const rows = await deps.cases.ctx.db.query<{ id: number; token_hash: string }>(
    `SELECT a.id, p.token_hash FROM attachment a JOIN portal_upload p ON p.attachment_id = a.id
     WHERE a.id = ANY($1::bigint[]) AND a.uploaded_by = $2 AND a.case_id IS NULL`, [ids, actor.id]);
  const hashes = new Map(rows.map((r) => [Number(r.id), Buffer.from(r.token_hash, 'hex')]));
  for (const c of claims) {
    const h = hashes.get(c.id);
    if (!h || !timingSafeEqual(h, sha256(c.token))) {
      throw unprocessable('unknown_attachment', { zh: `部分附件不存在、已被使用，或凭证不匹配。`, en: 'Some attachments do not exist, were already used, or the token does not match.' });
    }
  }
  return ids;
}

export async function reportCase(deps: PortalDeps, input: PortalReport) {
  const { ctx } = deps.cases;
  const actor = await deps.actor();
  const attachmentIds = await claimableAttachments(deps, actor, input.attachments ?? []);
  // No Idempotency-Key here: every anonymous caller is the same account, so a replay could hand one
  // caller another's tracking token.
  // the portal account reports the type residents report (12345 web channel)
  const r = await createCase(deps.cases, actor, {
    channel: 'web', urgency: 'normal', categoryCode: input.categoryCode, title: input.title,
    description: input.description, lat: input.lat, lng: input.lng, address: input.address,
    reporter: input.contact && (input.contact.name || input.contact.phone) ? input.contact : undefined,
    attachmentIds: attachmentIds.length ? attachmentIds : undefined,
  });
  const c = r.row!;
  const view = await publicCase(deps.cases, c.case_no, c.public_token, actor);
  return { caseNo: c.case_no, trackingToken: c.public_token, state: view.state, stateLabel: view.stateLabel, createdAt: view.createdAt };
}

// ---------------------------------------------------------------------------------------------
// Tracking and rating

export async function trackCase(deps: PortalDeps, caseNo: string, token: string) {
  return publicCase(deps.cases, caseNo, token, await deps.actor());
}

export type Rating = 'satisfied' | 'basically_satisfied' | 'unsatisfied';

/** 评价: the rating action the case's type offers its reporter, taken by the portal account. */
export async function rateCase(deps: PortalDeps, caseNo: string, token: string, input: { rating: Rating; comment?: string }) {
  await rateAsReporter(deps.cases, caseNo, token, await deps.actor(), input);
  return trackCase(deps, caseNo, token);
}

/** The categories of the type residents report, for the public report form. */
export async function publicCategories(deps: PortalDeps) {
  return categoriesForIntake(deps.cases, 'resident');
}
