// The resident portal (公众门户): anonymous reports, tracking by case number and token, and rating.
// Every portal case is reported by one built-in resident-role system account, `portal`, so the case
// engine's own rules apply unchanged (a resident reports hotline cases; the reporter rates). What ties a
// case to the person who reported it is the tracking token handed out once at intake. No HTTP types.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Queryable } from '../../platform/db/index.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import { getActor } from '../../platform/auth/service.ts';
import { AppError, conflict, notFound, unprocessable } from '../../platform/errors.ts';
import { createCase, transition, type CaseDeps } from '../cases/service.ts';
import { actionLabels, type ActionName } from '../cases/workflow.ts';

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
    if (!row) throw new AppError(503, 'portal_unavailable', 'The portal is not set up yet: the platform has no regions.');
    if (!row.is_system) throw new AppError(503, 'portal_unavailable', `The username "${PORTAL_USERNAME}" belongs to an ordinary account; the portal cannot act.`);
    cached = await getActor(db, Number(row.id));
    return cached!;
  };
}

const sha256 = (s: string) => createHash('sha256').update(s).digest();
function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(sha256(a), sha256(b));
}

// ---------------------------------------------------------------------------------------------
// Uploads

const UNCLAIMED_TTL_MS = 24 * 3600_000;

export async function storeUpload(deps: PortalDeps, file: { content: Buffer; filename: string; mime: string }) {
  const { db } = deps.cases.ctx;
  const actor = await deps.actor();
  const token = randomBytes(18).toString('base64url');
  const now = deps.cases.ctx.now();
  // Anonymous uploads nobody claimed within a day are dropped, a few at a time.
  await db.query(
    `DELETE FROM attachment WHERE id IN (SELECT a.id FROM attachment a JOIN portal_upload p ON p.attachment_id = a.id
       WHERE a.case_id IS NULL AND p.created_at < $1 LIMIT 50)`, [new Date(now.getTime() - UNCLAIMED_TTL_MS)]);
  const [row] = await db.query<{ id: number }>(
    `WITH a AS (
       INSERT INTO attachment (uploaded_by, filename, mime, size, sha256, content, created_at) VALUES ($1, $2, $3, $4, $5, $6, $8) RETURNING id
     ), p AS (
       INSERT INTO portal_upload (attachment_id, token_hash, created_at) SELECT id, $7, $8 FROM a
     ) SELECT id FROM a`,
    [actor.id, file.filename, file.mime, file.content.length, createHash('sha256').update(file.content).digest('hex'), file.content,
      sha256(token).toString('hex'), now]);
  return { id: Number(row.id), token, filename: file.filename, mime: file.mime, size: file.content.length };
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
      throw unprocessable('unknown_attachment', 'Some attachments do not exist, were already used, or the token does not match.');
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
  const r = await createCase(deps.cases, actor, {
    type: 'hotline', channel: 'web', urgency: 'normal', categoryCode: input.categoryCode, title: input.title,
    description: input.description, lat: input.lat, lng: input.lng, address: input.address,
    reporter: input.contact && (input.contact.name || input.contact.phone) ? input.contact : undefined,
    attachmentIds: attachmentIds.length ? attachmentIds : undefined,
  });
  const [c] = await ctx.db.query<any>('SELECT case_no, public_token, state, type, workflow_version, created_at FROM "case" WHERE id = $1', [r.caseId]);
  const def = deps.cases.workflows.get(c.type, c.workflow_version);
  return {
    caseNo: c.case_no, trackingToken: c.public_token, state: c.state,
    stateLabel: def.states[c.state]?.label ?? { zh: c.state, en: c.state }, createdAt: new Date(c.created_at).toISOString(),
  };
}

// ---------------------------------------------------------------------------------------------
// Tracking and rating

async function findTracked(deps: PortalDeps, caseNo: string, token: string) {
  const [c] = await deps.cases.ctx.db.query<any>(
    `SELECT c.id, c.case_no, c.public_token, c.type, c.workflow_version, c.state, c.title, c.category_code, c.created_at,
       c.closed_at, c.rating, c.reporter_user_id, cat.name_zh, cat.name_en
     FROM "case" c JOIN category cat ON cat.code = c.category_code WHERE c.case_no = $1`, [caseNo]);
  // A wrong token and an unknown number answer alike: neither tells whether the case exists.
  if (!c || !sameSecret(c.public_token, token)) throw notFound(`Case ${caseNo}`);
  return c;
}

/** Steps a resident may see; the rest (returns, extensions, supervision, whistles, overdue facts) stay internal. */
const PUBLIC_ACTIONS = new Set<string>([
  'report', 'accept', 'reject', 'file', 'dispatch', 'sign', 'suspend', 'resume', 'reply', 'answer_directly',
  'verify_pass', 'call_back', 'rate', 'redo', 'close', 'merge', 'self_close',
]);
/** The only notes that were written for the public: the handling reply and a direct answer. */
const PUBLIC_NOTES = new Set<string>(['reply', 'answer_directly']);

async function publicView(deps: PortalDeps, c: any) {
  const def = deps.cases.workflows.get(c.type, c.workflow_version);
  const portal = await deps.actor();
  const flow = await deps.cases.ctx.db.query<any>(
    'SELECT seq, action, to_state, at, note, data FROM flow_record WHERE case_id = $1 ORDER BY seq', [c.id]);
  return {
    caseNo: c.case_no,
    title: c.title,
    category: { code: c.category_code, name: { zh: c.name_zh, en: c.name_en } },
    state: c.state,
    stateLabel: def.states[c.state]?.label ?? { zh: c.state, en: c.state },
    createdAt: new Date(c.created_at).toISOString(),
    closedAt: c.closed_at ? new Date(c.closed_at).toISOString() : null,
    rating: c.rating ?? null,
    canRate: c.state === 'awaiting_callback' && Number(c.reporter_user_id) === portal.id,
    timeline: flow.filter((f) => PUBLIC_ACTIONS.has(f.action)).map((f) => {
      const data = typeof f.data === 'string' ? JSON.parse(f.data) : f.data ?? {};
      return {
        action: f.action,
        label: actionLabels[f.action as ActionName] ?? { zh: f.action, en: f.action },
        state: f.to_state,
        stateLabel: def.states[f.to_state]?.label ?? { zh: f.to_state, en: f.to_state },
        at: new Date(f.at).toISOString(),
        ...(PUBLIC_NOTES.has(f.action) && f.note ? { note: f.note } : {}),
        ...((f.action === 'call_back' || f.action === 'rate') && data.rating ? { rating: data.rating } : {}),
      };
    }),
  };
}

export async function trackCase(deps: PortalDeps, caseNo: string, token: string) {
  return publicView(deps, await findTracked(deps, caseNo, token));
}

export type Rating = 'satisfied' | 'basically_satisfied' | 'unsatisfied';

/** 评价: the workflow's `rate` action, done by the portal account as the case's reporter. */
export async function rateCase(deps: PortalDeps, caseNo: string, token: string, input: { rating: Rating; comment?: string }) {
  const c = await findTracked(deps, caseNo, token);
  const portal = await deps.actor();
  if (Number(c.reporter_user_id) !== portal.id) {
    throw conflict('not_rateable_here', 'This case was not reported through the portal; its rating is taken by the hotline call-back.');
  }
  if (c.state !== 'awaiting_callback') {
    throw conflict('invalid_transition', `The case can be rated only once it has been handled and awaits your rating; it is ${c.state} now.`, { state: c.state });
  }
  await transition(deps.cases, portal, Number(c.id), 'rate', { rating: input.rating, note: input.comment || undefined });
  return trackCase(deps, caseNo, token);
}

/** The hotline category tree, for the public report form. */
export async function publicCategories(deps: PortalDeps) {
  const rows = await deps.cases.ctx.db.query<any>(
    `SELECT code, parent_code, name_zh, name_en, limit_minutes FROM category WHERE active AND 'hotline' = ANY(case_types) ORDER BY code`);
  return { items: rows.map((c) => ({ code: c.code, parentCode: c.parent_code, name: { zh: c.name_zh, en: c.name_en }, leaf: c.limit_minutes != null })) };
}
