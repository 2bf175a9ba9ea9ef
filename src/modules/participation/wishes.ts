// 微心愿: a resident (or a worker on their behalf) posts a small wish; a volunteer, a party member or a
// unit claims it, fulfils it with a photo; the wisher confirms and thanks. The wish is the module's own
// record with a small state machine (open → claimed → fulfilled → confirmed; open → withdrawn; claimed →
// open when released), not a case: it has no deadline, no dispatch and no handling unit, and its helper
// is a volunteer rather than a unit of the responsibility list (docs/participation.md). Each step is one
// UPDATE guarded by the state it leaves, so two claims that race leave one claimant.
// The wisher's identity is sealed; the wall and the claimant see a masked name only; staff reveal it for
// a stated purpose, with an audit row.
import type { Actor } from '../../platform/auth/actor.ts';
import type { Queryable } from '../../platform/db/index.ts';
import { maskName } from '../../platform/crypto.ts';

/** The person's name in an account's display name: "志愿者 王强" → "王强" (the role word is no name to mask). */
const personalName = (displayName: string) => displayName.trim().split(/\s+/).pop() ?? '';
/** A claimant's masked name; a phone sign-in account's display name (居民 139****5678) is no name: 居民. */
const claimantName = (displayName: string) => { const n = personalName(displayName); return !n || /[\d*]/.test(n) ? '居民' : maskName(n); };
import { AppError, conflict, notFound, unprocessable } from '../../platform/errors.ts';
import { appendEvent } from '../../platform/events/index.ts';
import { regionLevels, regionScope } from '../../platform/scope.ts';
import type { WishCreate } from './contracts.ts';
import { both, type ParticipationDeps } from './deps.ts';
import { participationPolicy } from './policy.ts';
import { residentOf, wisherLabel } from './residents.ts';
import { autoAward } from './points.ts';
import { recordModeration, type HideReason } from './moderation.ts';
import { notifyUser } from './messages.ts';
import { participant } from '../registry/index.ts';

export type WishState = 'open' | 'claimed' | 'fulfilled' | 'confirmed' | 'withdrawn';
/**
 * A wish still to be fulfilled (待实现), as the street's overview counts them and its link lists them: waiting or
 * claimed, and on the wall (not hidden, not merged into another). One condition for both, so they cannot drift.
 */
export const unfulfilledWish = (a: string) => `${a}.state IN ('open', 'claimed') AND NOT ${a}.hidden AND ${a}.merged_into IS NULL`;
const iso = (d: unknown) => (d ? new Date(d as string).toISOString() : null);

export async function postWish(deps: ParticipationDeps, actor: Actor, b: WishCreate): Promise<number> {
  participationPolicy.assert(actor, 'participation.wish.post');
  const { db, cipher } = deps.ctx;
  let regionCode: string; let wisher: { name: string; phone?: string }; let wisherUser: number | null; let masked: string | null = null;
  if (actor.role === 'resident') {
    if (b.wisher || b.regionCode) throw unprocessable('resident_posts_own', both('居民只能为自己发布心愿', 'A resident posts their own wish; workers post on behalf of others.'));
    regionCode = (await residentOf(db, actor)).regionCode;
    wisher = { name: actor.displayName.replace(/^居民\s*/, '') };
    wisherUser = actor.id;
    masked = await wisherLabel(db, actor);
  } else {
    if (!b.wisher || !b.regionCode) throw unprocessable('wisher_required', both('代发心愿须填写心愿人和所在区域', 'A wish posted on a resident\'s behalf names the resident and where they live.'));
    if (!regionScope(actor).has(b.regionCode)) throw unprocessable('outside_scope', both('只能为本辖区居民代发', 'Post wishes for residents of your territory.'));
    regionCode = b.regionCode; wisher = b.wisher; wisherUser = null;
  }
  const levels = regionLevels(regionCode);
  if (!levels.community) throw unprocessable('region_too_broad', both('心愿须落到社区或网格', 'A wish belongs to a community or a grid.'));
  const [r] = await db.query('SELECT code FROM region WHERE code = $1', [regionCode]);
  if (!r) throw unprocessable('unknown_region', both('区域不存在', `Region ${regionCode} does not exist.`));
  return db.transaction(async (tx) => {
    const [w] = await tx.query<{ id: number }>(
      `INSERT INTO pt_wish (district_code, region_code, community_code, title, description, category, wisher_user_id, wisher_sealed, wisher_masked, posted_by, created_at, updated_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$11) RETURNING id`,
      [levels.district, regionCode, levels.community, b.title, b.description ?? null, b.category, wisherUser, cipher.encrypt(JSON.stringify(wisher)),
        masked ?? maskName(wisher.name), actor.id, deps.ctx.now()]);
    await appendEvent(tx, { topic: 'participation.wish_posted', regionCode, unitIds: [], userIds: [], payload: { wishId: Number(w.id) } });
    return Number(w.id);
  });
}

/** How a wish looks to the actor: the wall's fields for everyone, the photo and answer for those involved. */
function view(w: any, actor: Actor | null) {
  const involved = !!actor && (Number(w.posted_by) === actor.id || Number(w.wisher_user_id) === actor.id || Number(w.claimed_by) === actor.id);
  const staff = !!actor && participationPolicy.can(actor, 'participation.read', { regionCode: w.region_code });
  return {
    id: Number(w.id), regionCode: w.region_code, communityCode: w.community_code, title: w.title, description: w.description, category: w.category,
    state: w.state as WishState, wisher: w.wisher_masked, claimant: w.claimed_by ? { kind: w.claimant_kind, name: w.claimant_kind === 'unit' ? w.claimant_name : claimantName(w.claimant_name) } : null,
    claimedAt: iso(w.claimed_at), fulfilledAt: iso(w.fulfilled_at), fulfilNote: w.fulfil_note, confirmedAt: iso(w.confirmed_at), thanks: w.thanks, answer: w.answer,
    createdAt: iso(w.created_at),
    hasPhoto: w.photo_id != null && (involved || staff),
    hidden: staff ? w.hidden : undefined, mergedInto: staff && w.merged_into ? Number(w.merged_into) : undefined,
    mine: !!actor && (Number(w.wisher_user_id) === actor.id || (w.wisher_user_id == null && Number(w.posted_by) === actor.id)),
    claimedByMe: !!actor && Number(w.claimed_by) === actor.id,
  };
}

/** The public wall of a community: wishes not hidden or withdrawn, newest first (no sign-in needed). */
export async function wall(deps: ParticipationDeps, actor: Actor | null, communityCode: string, q: { page: number; pageSize: number }) {
  const rows = await deps.ctx.db.query<any>(
    `SELECT * FROM pt_wish WHERE community_code = $1 AND NOT hidden AND state <> 'withdrawn'
     ORDER BY (state = 'open') DESC, created_at DESC, id DESC LIMIT $2 OFFSET $3`, [communityCode, q.pageSize, (q.page - 1) * q.pageSize]);
  const [c] = await deps.ctx.db.query<any>('SELECT code, name FROM region WHERE code = $1', [communityCode]);
  if (!c) throw notFound({ zh: `社区 ${communityCode}`, en: `Community ${communityCode}` });
  const [counts] = await deps.ctx.db.query<any>(
    `SELECT count(*) FILTER (WHERE state IN ('fulfilled', 'confirmed'))::int AS fulfilled, count(*) FILTER (WHERE state = 'open')::int AS open,
       count(*) FILTER (WHERE state = 'claimed')::int AS claimed, count(*)::int AS total
     FROM pt_wish WHERE community_code = $1 AND NOT hidden AND state <> 'withdrawn'`, [communityCode]);
  // the counts cover every wish on the wall: waiting, claimed (in progress) and fulfilled
  return { community: { code: c.code, name: c.name }, total: counts.total, open: counts.open, claimed: counts.claimed, fulfilled: counts.fulfilled, page: q.page, pageSize: q.pageSize, items: rows.map((w) => view(w, actor)) };
}

/** Staff: wishes in the territory; residents and claimers: their own (mine=posted|claimed). */
export async function listWishes(deps: ParticipationDeps, actor: Actor, q: { page: number; pageSize: number; state?: WishState; mine?: 'posted' | 'claimed'; community?: string; unfulfilled?: 'true' | 'false' }) {
  const params: unknown[] = [];
  let where: string;
  if (q.mine === 'posted') { params.push(actor.id); where = '(w.wisher_user_id = $1 OR w.posted_by = $1)'; }
  else if (q.mine === 'claimed') { params.push(actor.id); where = 'w.claimed_by = $1'; }
  else if (actor.role === 'resident' || actor.role === 'department') {
    // volunteers and units find wishes to claim on the walls; their own lists are "mine"
    const home = actor.role === 'resident' ? (await residentOf(deps.ctx.db, actor)).regionCode : actor.regionCode;
    params.push(home.slice(0, 12));
    where = `w.community_code LIKE $1 || '%' AND NOT w.hidden AND w.state <> 'withdrawn'`;
  } else {
    participationPolicy.assert(actor, 'participation.read');
    where = regionScope(actor).sql('w', params, false);
  }
  if (q.state) { params.push(q.state); where += ` AND w.state = $${params.length}`; }
  if (q.community) { params.push(q.community); where += ` AND w.community_code = $${params.length}`; }
  if (q.unfulfilled === 'true') where += ` AND ${unfulfilledWish('w')}`;
  params.push(q.pageSize, (q.page - 1) * q.pageSize);
  const rows = await deps.ctx.db.query<any>(`SELECT w.*, c.name AS community_name FROM pt_wish w LEFT JOIN region c ON c.code = w.community_code
    WHERE ${where} ORDER BY w.created_at DESC, w.id DESC LIMIT $${params.length - 1} OFFSET $${params.length}`, params);
  return { page: q.page, pageSize: q.pageSize, items: rows.map((w) => ({ ...view(w, actor), communityName: w.community_name ?? null })) };
}

async function load(q: Queryable, id: number, lock = false): Promise<any> {
  const [w] = await q.query<any>(`SELECT * FROM pt_wish WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
  if (!w) throw notFound({ zh: `心愿 ${id}`, en: `Wish ${id}` });
  return w;
}

/** A wish as the actor may see it: on the wall, or hidden but theirs or in their territory. */
export async function getWish(deps: ParticipationDeps, actor: Actor, id: number) {
  const w = await load(deps.ctx.db, id);
  const v = view(w, actor);
  const staff = participationPolicy.can(actor, 'participation.read', { regionCode: w.region_code });
  if ((w.hidden || w.state === 'withdrawn') && !staff && !v.mine && !v.claimedByMe) throw notFound({ zh: `心愿 ${id}`, en: `Wish ${id}` });
  return v;
}

/** Moves a wish from one state to the next in one guarded UPDATE: the race's loser gets 409. */
async function step(deps: ParticipationDeps, actor: Actor, id: number, from: WishState[], set: string, params: unknown[], topic: string, refusal: { code: string; zh: string; en: string },
  after?: (tx: Queryable, row: any) => Promise<void>) {
  const now = deps.ctx.now();
  return deps.ctx.db.transaction(async (tx) => {
    const base = [id, from, now];
    const rows = await tx.query<any>(`UPDATE pt_wish SET ${set}, updated_at = $3 WHERE id = $1 AND state = ANY($2::text[]) AND NOT hidden RETURNING *`, [...base, ...params]);
    if (!rows.length) throw conflict(refusal.code, both(refusal.zh, refusal.en));
    await after?.(tx, rows[0]);
    await appendEvent(tx, { topic, regionCode: rows[0].region_code, unitIds: [], userIds: [], payload: { wishId: id } });
    return view(rows[0], actor);
  });
}

export async function claimWish(deps: ParticipationDeps, actor: Actor, id: number, b: { kind: 'volunteer' | 'party_member' | 'unit'; name?: string }) {
  participationPolicy.assert(actor, 'participation.wish.claim');
  const w = await getWish(deps, actor, id);
  if (w.mine) throw unprocessable('own_wish', both('不能认领自己的心愿', 'You cannot claim your own wish.'));
  let name = b.name ?? actor.displayName;
  if (b.kind === 'unit') {
    if (!actor.unitId) throw unprocessable('no_unit', both('以单位名义认领须使用单位账号', 'Claim as a unit from a unit\'s account.'));
    const [u] = await deps.ctx.db.query<{ name: string }>('SELECT name FROM unit WHERE id = $1', [actor.unitId]);
    name = u?.name ?? name;
  }
  return step(deps, actor, id, ['open'], `state = 'claimed', claimed_by = $4, claimant_kind = $5, claimant_name = $6, claimed_at = $3`, [actor.id, b.kind, name],
    'participation.wish_claimed', { code: 'already_claimed', zh: '心愿已被认领', en: 'Someone has claimed this wish already.' });
}

/** The claimant gives the wish back (or a moderator does for them): it is open again. */
export async function releaseWish(deps: ParticipationDeps, actor: Actor, id: number) {
  const w = await load(deps.ctx.db, id);
  const moderator = participationPolicy.can(actor, 'participation.moderate', { regionCode: w.region_code });
  if (Number(w.claimed_by) !== actor.id && !moderator) throw notFound({ zh: `心愿 ${id}`, en: `Wish ${id}` });
  return step(deps, actor, id, ['claimed'], `state = 'open', claimed_by = NULL, claimant_kind = NULL, claimant_name = NULL, claimed_at = NULL`, [],
    'participation.wish_released', { code: 'not_claimed', zh: '心愿未处于认领状态', en: 'The wish is not claimed.' });
}

export async function fulfilWish(deps: ParticipationDeps, actor: Actor, id: number, b: { note: string; photoId: number }) {
  participationPolicy.assert(actor, 'participation.wish.claim');
  const w = await load(deps.ctx.db, id);
  if (Number(w.claimed_by) !== actor.id) throw new AppError(403, 'not_claimant', both('只有认领人可以登记完成', 'Only the claimant records the fulfilment.'));
  const [photo] = await deps.ctx.db.query<any>('SELECT uploaded_by, mime FROM attachment WHERE id = $1', [b.photoId]);
  if (!photo || Number(photo.uploaded_by) !== actor.id) throw unprocessable('unknown_photo', both('照片不存在或不是您上传的', 'The photo does not exist or was not uploaded by you.'));
  if (!String(photo.mime).startsWith('image/')) throw unprocessable('photo_not_image', both('请上传照片', 'The fulfilment is recorded with a photo (JPEG, PNG or WebP).'));
  return step(deps, actor, id, ['claimed'], `state = 'fulfilled', fulfilled_at = $3, fulfil_note = $4, photo_id = $5`, [b.note, b.photoId],
    'participation.wish_fulfilled', { code: 'not_claimed', zh: '心愿未处于认领状态', en: 'The wish is not claimed (or is fulfilled already).' });
}

/** The wisher (or the worker who posted for them) confirms the fulfilment and thanks the helper. */
export async function confirmWish(deps: ParticipationDeps, actor: Actor, id: number, thanks: string) {
  const w = await load(deps.ctx.db, id);
  if (!view(w, actor).mine) throw new AppError(403, 'not_wisher', both('只有心愿人（或代发的网格员）可以确认', 'Only the wisher, or the worker who posted for them, confirms.'));
  return step(deps, actor, id, ['fulfilled'], `state = 'confirmed', confirmed_at = $3, thanks = $4`, [thanks],
    'participation.wish_confirmed', { code: 'not_fulfilled', zh: '心愿尚未完成', en: 'The wish has not been fulfilled yet.' },
    // a volunteer linked to the registry earns the wish_fulfilled rule's points, once per wish
    async (tx, row) => {
      const [claimant] = await tx.query<any>('SELECT person_id FROM pt_resident WHERE user_id = $1 AND person_id IS NOT NULL', [row.claimed_by]);
      const p = claimant && await participant(tx, Number(claimant.person_id));
      if (p) await autoAward(tx, p, 'wish_fulfilled', `wish:${id}`, deps.ctx.now());
    });
}

export async function withdrawWish(deps: ParticipationDeps, actor: Actor, id: number) {
  const w = await load(deps.ctx.db, id);
  if (!view(w, actor).mine) throw notFound({ zh: `心愿 ${id}`, en: `Wish ${id}` });
  return step(deps, actor, id, ['open'], `state = 'withdrawn'`, [], 'participation.wish_withdrawn', { code: 'not_open', zh: '已被认领的心愿不能撤回', en: 'Only an unclaimed wish can be withdrawn.' });
}

/** The fulfilment photo, for those involved and staff in the territory. */
export async function wishPhoto(deps: ParticipationDeps, actor: Actor, id: number) {
  const w = await load(deps.ctx.db, id);
  const v = view(w, actor);
  if (!v.hasPhoto) throw notFound({ zh: `心愿 ${id} 的照片`, en: `Photo of wish ${id}` });
  const [a] = await deps.ctx.db.query<any>('SELECT filename, mime, size, sha256 FROM attachment WHERE id = $1', [w.photo_id]);
  return { filename: a.filename as string, mime: a.mime as string, size: Number(a.size), body: await deps.ctx.files.store.get(a.sha256) };
}

/**
 * Moderation (hide, unhide, merge into another wish, answer), each a row of pt_moderation and the audit log.
 * Hiding says why, as for topics: a reason from the list (and, for 'other', the words); the wisher with an
 * account is told in 我的 › 消息 (and when the wish is shown again, or merged into the wish it repeats).
 */
export async function moderateWish(deps: ParticipationDeps, actor: Actor, id: number, b: { action: 'hide' | 'unhide' | 'merge' | 'answer'; note?: string; reason?: HideReason; intoId?: number }) {
  const { db } = deps.ctx;
  const w = await load(db, id);
  participationPolicy.assert(actor, 'participation.moderate', { regionCode: w.region_code }, { zh: `心愿 ${id}`, en: `Wish ${id}` });
  if (b.action === 'hide' && !b.reason) {
    throw unprocessable('hide_reason_required', { zh: '隐藏心愿须选择原因，原因会告知心愿人。', en: 'Hiding a wish needs a reason; the wisher is told.' },
      { errors: [{ path: 'body.reason', message: 'choose a reason', zh: '请选择隐藏原因' }] });
  }
  if (b.action === 'hide' && b.reason === 'other' && !b.note?.trim()) {
    throw unprocessable('hide_reason_text_required', { zh: '原因选“其他”时请写明具体原因。', en: 'With the reason “other”, write the reason out.' },
      { errors: [{ path: 'body.note', message: 'write the reason out', zh: '请写明具体原因' }] });
  }
  if (b.reason && b.action !== 'hide') {
    throw unprocessable('reason_only_for_hide', { zh: '只有隐藏心愿时才填写隐藏原因。', en: 'A hiding reason goes with hiding only.' });
  }
  if (b.action === 'answer' && !b.note) throw unprocessable('answer_required', both('请填写答复内容', 'An answer needs its text.'));
  let into: any = null;
  if (b.action === 'merge') {
    if (!b.intoId || b.intoId === id) throw unprocessable('merge_target', both('请指定要合并到的心愿', 'Name the wish this one duplicates.'));
    into = await load(db, b.intoId).catch(() => null);
    if (!into || into.community_code !== w.community_code || into.hidden) throw unprocessable('merge_target', both('只能合并到同一社区未隐藏的心愿', 'Merge into a visible wish of the same community.'));
  }
  const now = deps.ctx.now();
  await db.transaction(async (tx) => {
    if (b.action === 'hide') await tx.query('UPDATE pt_wish SET hidden = true, updated_at = $2 WHERE id = $1', [id, now]);
    if (b.action === 'unhide') await tx.query('UPDATE pt_wish SET hidden = false, merged_into = NULL, updated_at = $2 WHERE id = $1', [id, now]);
    if (b.action === 'merge') await tx.query('UPDATE pt_wish SET hidden = true, merged_into = $3, updated_at = $2 WHERE id = $1', [id, now, b.intoId]);
    if (b.action === 'answer') await tx.query('UPDATE pt_wish SET answer = $3, updated_at = $2 WHERE id = $1', [id, now, b.note]);
    await recordModeration(tx, actor, { subject: 'wish', subjectId: id, districtCode: w.district_code, regionCode: w.region_code, action: b.action, note: b.note,
      targetId: b.action === 'merge' ? b.intoId : null, reason: b.action === 'hide' ? b.reason : null, at: now });
    // the wisher (when they posted it from their own account) hears that it left the wall, and why, or that it is back
    const wisher = w.wisher_user_id == null ? null : Number(w.wisher_user_id);
    if (wisher != null && b.action === 'hide' && !w.hidden) await notifyUser(tx, { userId: wisher, kind: 'wish_hidden', subjectId: id, title: w.title, reason: b.reason, note: b.note, at: now });
    if (wisher != null && b.action === 'merge' && !w.hidden) await notifyUser(tx, { userId: wisher, kind: 'wish_hidden', subjectId: id, title: w.title, reason: 'duplicate', note: into.title, at: now });
    if (wisher != null && b.action === 'unhide' && w.hidden) await notifyUser(tx, { userId: wisher, kind: 'wish_unhidden', subjectId: id, title: w.title, at: now });
  });
  const history = await db.query<any>('SELECT action, note, reason, target_id, actor_id, at FROM pt_moderation WHERE subject = \'wish\' AND subject_id = $1 ORDER BY id', [id]);
  return { ...(await getWish(deps, actor, id)), moderation: history.map((h) => ({ action: h.action, note: h.note, reason: h.reason ?? null, targetId: h.target_id == null ? null : Number(h.target_id), actorId: Number(h.actor_id), at: iso(h.at) })) };
}

/** Staff reveal the wisher's name and phone for a stated purpose; the audit log keeps who, when and why. */
export async function revealWisher(deps: ParticipationDeps, actor: Actor, id: number, purpose: string) {
  const { db, cipher } = deps.ctx;
  const w = await load(db, id);
  participationPolicy.assert(actor, 'participation.moderate', { regionCode: w.region_code }, { zh: `心愿 ${id}`, en: `Wish ${id}` });
  await db.query(`INSERT INTO audit_log (actor_id, action, target, region_code, detail) VALUES ($1, 'participation.reveal_wisher', $2, $3, $4::jsonb)`,
    [actor.id, `wish:${id}`, w.region_code, JSON.stringify({ purpose })]);
  return JSON.parse(cipher.decrypt(w.wisher_sealed)) as { name: string; phone?: string };
}
