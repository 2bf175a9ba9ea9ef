// Joining a report (+1, 附议) instead of filing a duplicate: the portal shows open reports of the same
// kind near the resident's point; joining records the resident as a caller on that case (a
// case_supporter row, contact sealed, with an outbox event in the same transaction: the case itself
// changes only through the engine) and gives them a query code of their own to follow it.
import { normalizePhone } from '../../platform/text.ts';
import { createHash } from 'node:crypto';
import { AppError, notFound } from '../../platform/errors.ts';
import { maskPhone, queryCode } from '../../platform/crypto.ts';
import { appendEvent } from '../../platform/events/index.ts';
import { categoriesByCode, distanceMeters, joinableCase, openCasesNear, publicCase, publicPhotoIds } from '../cases/index.ts';
import type { PortalDeps } from './service.ts';

const sha256hex = (s: string) => createHash('sha256').update(s).digest('hex');
const NEARBY_DAYS = 30;

/** Open portal reports of a category within `radius` metres of a point, nearest first, with their supporters. */
export async function nearbyReports(deps: PortalDeps, q: { lat: number; lng: number; category?: string; radius: number }, gridCode: string | null) {
  const { ctx } = deps.cases;
  const actor = await deps.actor();
  const now = ctx.now();
  const rows = await openCasesNear(deps.cases, actor, {
    excludeId: 0, from: new Date(now.getTime() - NEARBY_DAYS * 86_400_000), to: now,
    near: { lat: q.lat, lng: q.lng, radius: q.radius }, communityCode: (gridCode ?? '').slice(0, 12) || '-', limit: 200,
  });
  const near = rows
    .filter((r: any) => r.lat != null && (!q.category || r.category_code === q.category))
    .map((r: any) => ({ r, d: distanceMeters(q.lat, q.lng, Number(r.lat), Number(r.lng)) }))
    .filter((x) => x.d <= q.radius)
    .sort((a, b) => a.d - b.d)
    .slice(0, 10);
  if (!near.length) return { items: [] };
  const names = await categoriesByCode(deps.cases, [...new Set(near.map((x) => x.r.category_code as string))]);
  const counts = await ctx.db.query<{ case_id: string; n: number }>(
    'SELECT case_id, count(*)::int AS n FROM case_supporter WHERE case_id = ANY($1::bigint[]) GROUP BY case_id', [near.map((x) => Number(x.r.id))]);
  const supporters = new Map(counts.map((c) => [Number(c.case_id), c.n]));
  return {
    items: near.map(({ r, d }) => ({
      caseNo: r.case_no, title: r.title, stateLabel: r.stateLabel, createdAt: new Date(r.created_at).toISOString(),
      category: { code: r.category_code, name: names.get(r.category_code)?.name ?? null },
      distanceMetres: Math.round(d), supporters: supporters.get(Number(r.id)) ?? 0,
    })),
  };
}

/** Records the resident as a caller on an open case; returns their query code (shown once) and the count. */
export async function joinReport(deps: PortalDeps, caseNo: string, contact?: { name?: string; phone?: string }) {
  const { ctx } = deps.cases;
  const c = await joinableCase(deps.cases, caseNo);
  // only reports made through the portal can be joined from it
  if (!c || c.reporterUserId !== (await deps.actor()).id) throw notFound({ zh: `案件 ${caseNo}`, en: `Case ${caseNo}` });
  const token = queryCode(12);
  const { cipher } = ctx;
  const phone = contact?.phone ? normalizePhone(contact.phone) : undefined;
  const n = await ctx.db.transaction(async (tx) => {
    if (phone) {
      const [dup] = await tx.query('SELECT 1 FROM case_supporter WHERE case_id = $1 AND district_code = $2 AND phone_hash = $3', [c.id, c.districtCode, cipher.lookupHash(phone)]);
      if (dup) throw new AppError(409, 'already_joined', { zh: `该手机号已附议过此诉求。`, en: 'This phone number has already joined this report.' }, { zh: '该手机号已附议过此问题。' });
    }
    await tx.query(
      `INSERT INTO case_supporter (district_code, case_id, channel, name_sealed, phone_sealed, phone_hash, phone_masked, token_hash, created_at)
       VALUES ($1, $2, 'portal', $3, $4, $5, $6, $7, $8)`,
      [c.districtCode, c.id, contact?.name ? cipher.encrypt(contact.name) : null, phone ? cipher.encrypt(phone) : null,
        phone ? cipher.lookupHash(phone) : null, phone ? maskPhone(phone) : null, sha256hex(token), ctx.now()]);
    const [{ n }] = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM case_supporter WHERE case_id = $1', [c.id]);
    await appendEvent(tx, { topic: 'case.joined', regionCode: c.regionCode, payload: { caseId: c.id, caseNo, supporters: n } });
    return n;
  });
  ctx.events.poke();
  // supporters: those who joined; concerned: they and the first reporter (共 N 人关注)
  return { caseNo, trackingToken: token, supporters: n, concerned: n + 1 };
}

/**
 * The public view for a tracking code: the case's own (the reporter's), or a joiner's code, which reads
 * the same view without the rating. Unknown number and wrong code answer alike (404).
 */
export async function trackWithCode(deps: PortalDeps, caseNo: string, token: string) {
  const actor = await deps.actor();
  try {
    const view = await publicCase(deps.cases, caseNo, token, actor);
    const supporters = await countFor(deps, caseNo);
    return { ...view, supporters, concerned: supporters + 1 };
  } catch (err) {
    if (!(err instanceof AppError) || err.status !== 404) throw err;
  }
  if (!(await isSupporter(deps, caseNo, token))) throw notFound({ zh: `案件 ${caseNo}`, en: `Case ${caseNo}` });
  const view = await publicCase(deps.cases, caseNo, null, { id: -1 } as typeof actor);
  const supporters = await countFor(deps, caseNo);
  return { ...view, canRate: false, joined: true, supporters, concerned: supporters + 1 };
}

async function isSupporter(deps: PortalDeps, caseNo: string, token: string): Promise<boolean> {
  const rows = await deps.cases.ctx.db.query<{ token_hash: string }>(
    `SELECT s.token_hash FROM case_supporter s WHERE s.case_id = ANY($1::bigint[])`, [await caseIdsOf(deps, caseNo)]);
  const h = sha256hex(token.toUpperCase());
  return rows.some((r) => r.token_hash === h);
}

async function caseIdsOf(deps: PortalDeps, caseNo: string): Promise<number[]> {
  // closed cases stay trackable: their id comes from the public photo lookup's case search
  try { return [(await publicPhotoIds(deps.cases, caseNo, null)).caseId]; } catch { return []; }
}

async function countFor(deps: PortalDeps, caseNo: string): Promise<number> {
  const ids = await caseIdsOf(deps, caseNo);
  if (!ids.length) return 0;
  const [r] = await deps.cases.ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM case_supporter WHERE case_id = $1', [ids[0]]);
  return r.n;
}

/** A photo of a tracked case's public step (the reply's after-photo), for the holder of a tracking code. */
export async function publicPhoto(deps: PortalDeps, caseNo: string, token: string, id: number) {
  await trackWithCode(deps, caseNo, token); // 404 for a wrong code
  const { caseId, ids } = await publicPhotoIds(deps.cases, caseNo, null);
  if (!ids.has(id)) throw notFound({ zh: `附件 ${id}`, en: `Attachment ${id}` });
  return deps.cases.ctx.files.open(await deps.actor(), id, async (_actor, attachmentCase) => attachmentCase === caseId);
}
