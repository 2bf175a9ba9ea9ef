// Volunteers (志愿服务队): residents join the registry with skills and availability (and a team); staff set
// up activities; volunteers sign up (the capacity is a guarded counter, so a full activity takes no one
// more whatever races) and check in, which credits the activity's hours — the hours ledger.
// 平战转换: a street or the command centre switches a region to emergency with tasks (emergency activities)
// broadcast to its volunteers and the staff working in it (an outbox event; staff of a grid or community
// inside the switched region see the emergency and its tasks as those above it do); acceptance is the
// sign-up, presence the check-in, and an emergency task's hours are credited when the emergency ends (the
// switch back to normal closes it), not when the volunteer arrives. Each switch is a pt_mobilisation row and an audit entry; one emergency
// at a time per region (a unique index).
import type { Actor } from '../../platform/auth/actor.ts';
import type { Queryable } from '../../platform/db/index.ts';
import { conflict, notFound, unprocessable } from '../../platform/errors.ts';
import { appendEvent } from '../../platform/events/index.ts';
import { regionLevels, regionScope } from '../../platform/scope.ts';
import { both, type ParticipationDeps } from './deps.ts';
import { participationPolicy } from './policy.ts';
import { residentOf } from './residents.ts';

const iso = (d: unknown) => (d ? new Date(d as string).toISOString() : null);

export async function joinVolunteers(deps: ParticipationDeps, actor: Actor, b: { skills: string[]; availability?: string; teamId?: number }) {
  participationPolicy.assert(actor, 'participation.volunteer.join');
  const home = (await residentOf(deps.ctx.db, actor)).regionCode;
  if (b.teamId) {
    const [t] = await deps.ctx.db.query<any>('SELECT region_code FROM pt_volunteer_team WHERE id = $1', [b.teamId]);
    if (!t || !home.startsWith(t.region_code)) throw unprocessable('unknown_team', both('队伍不存在或不在您所在区域', 'The team does not exist or is not where you live.'));
  }
  const [v] = await deps.ctx.db.query<any>(
    `INSERT INTO pt_volunteer (district_code, region_code, user_id, skills, availability, team_id, joined_at) VALUES ($1,$2,$3,$4::text[],$5,$6,$7)
     ON CONFLICT (user_id, district_code) DO UPDATE SET skills = excluded.skills, availability = excluded.availability, team_id = excluded.team_id RETURNING *`,
    [regionLevels(home).district, home, actor.id, b.skills, b.availability ?? null, b.teamId ?? null, deps.ctx.now()]);
  return myVolunteering(deps, actor, v);
}

async function volunteerOf(q: Queryable, actor: Actor) {
  const [v] = await q.query<any>('SELECT * FROM pt_volunteer WHERE user_id = $1', [actor.id]);
  if (!v) throw unprocessable('not_volunteer', both('请先登记成为志愿者', 'Join the volunteers first.'));
  return v;
}

/** A volunteer's record: skills, team, activities and the hours credited. */
/**
 * The resident's volunteering; one who has not joined gets `joined: false` and nothing else (the volunteer tab
 * asks this on every load, so not having joined is an answer, not a refusal).
 */
export async function myVolunteering(deps: ParticipationDeps, actor: Actor, v?: any) {
  const vol = v ?? (await deps.ctx.db.query<any>('SELECT * FROM pt_volunteer WHERE user_id = $1', [actor.id]))[0];
  if (!vol) return { joined: false as const, id: null, skills: [] as string[], availability: null, teamId: null, hours: 0, activities: [] };
  const rows = await deps.ctx.db.query<any>(
    `SELECT a.id, a.title, a.starts_at, a.mobilisation_id, s.checked_in_at, s.hours FROM pt_activity_signup s JOIN pt_activity a ON a.id = s.activity_id AND a.district_code = s.district_code
     WHERE s.volunteer_id = $1 ORDER BY a.starts_at DESC`, [vol.id]);
  return {
    joined: true as const, id: Number(vol.id), skills: vol.skills, availability: vol.availability, teamId: vol.team_id == null ? null : Number(vol.team_id),
    hours: rows.reduce((s, r) => s + Number(r.hours ?? 0), 0),
    activities: rows.map((r) => ({ id: Number(r.id), title: r.title, startsAt: iso(r.starts_at), emergency: r.mobilisation_id != null, checkedIn: !!r.checked_in_at, hours: r.hours == null ? null : Number(r.hours) })),
  };
}

export async function createTeam(deps: ParticipationDeps, actor: Actor, b: { regionCode: string; name: string }) {
  participationPolicy.assert(actor, 'participation.volunteer.manage');
  if (!regionScope(actor).has(b.regionCode)) throw unprocessable('outside_scope', both('只能在本辖区组建队伍', 'Teams are formed in your territory.'));
  try {
    const [t] = await deps.ctx.db.query<any>('INSERT INTO pt_volunteer_team (district_code, region_code, name) VALUES ($1,$2,$3) RETURNING *', [regionLevels(b.regionCode).district, b.regionCode, b.name]);
    return { id: Number(t.id), regionCode: t.region_code, name: t.name };
  } catch (err: any) {
    if (err?.code === '23505') throw conflict('team_exists', both('同名队伍已存在', 'A team of that name exists here.'));
    throw err;
  }
}

/** The volunteer teams of the territory, with how many volunteers each has and their hours (staff); residents: the teams they may join. */
export async function listTeams(deps: ParticipationDeps, actor: Actor) {
  const params: unknown[] = [];
  let where: string;
  if (actor.role === 'resident') {
    participationPolicy.assert(actor, 'participation.volunteer.join');
    params.push((await residentOf(deps.ctx.db, actor)).regionCode);
    where = 'starts_with($1, t.region_code)';
  } else {
    participationPolicy.assert(actor, 'participation.read');
    where = regionScope(actor).sql('t', params, false);
  }
  const rows = await deps.ctx.db.query<any>(
    `SELECT t.id, t.region_code, t.name, r.name AS region_name,
       (SELECT count(*)::int FROM pt_volunteer v WHERE v.team_id = t.id AND v.district_code = t.district_code) AS members,
       (SELECT coalesce(sum(s.hours), 0) FROM pt_volunteer v JOIN pt_activity_signup s ON s.volunteer_id = v.id AND s.district_code = v.district_code
         WHERE v.team_id = t.id AND v.district_code = t.district_code) AS hours
     FROM pt_volunteer_team t LEFT JOIN region r ON r.code = t.region_code WHERE ${where} ORDER BY t.region_code, t.name LIMIT 500`, params);
  return { items: rows.map((t) => ({ id: Number(t.id), regionCode: t.region_code, regionName: t.region_name ?? null, name: t.name, members: t.members, hours: Number(t.hours) })) };
}

/** The volunteers of the territory, with their skills and hours (staff). */
export async function listVolunteers(deps: ParticipationDeps, actor: Actor, skill?: string) {
  participationPolicy.assert(actor, 'participation.read');
  const params: unknown[] = [];
  let where = regionScope(actor).sql('v', params, false);
  if (skill) { params.push(skill); where += ` AND $${params.length} = ANY(v.skills)`; }
  const rows = await deps.ctx.db.query<any>(
    `SELECT v.*, u.display_name, t.name AS team, r.name AS region_name,
       (SELECT coalesce(sum(s.hours), 0) FROM pt_activity_signup s WHERE s.volunteer_id = v.id) AS hours,
       (SELECT count(s.checked_in_at)::int FROM pt_activity_signup s WHERE s.volunteer_id = v.id) AS activities
     FROM pt_volunteer v JOIN app_user u ON u.id = v.user_id LEFT JOIN pt_volunteer_team t ON t.id = v.team_id LEFT JOIN region r ON r.code = v.region_code
     WHERE ${where} ORDER BY hours DESC, v.id LIMIT 500`, params);
  return { items: rows.map((v) => ({ id: Number(v.id), name: v.display_name, regionCode: v.region_code, regionName: v.region_name ?? null, skills: v.skills,
    availability: v.availability, team: v.team, hours: Number(v.hours), activities: v.activities, joinedAt: iso(v.joined_at) })) };
}

async function insertActivity(tx: Queryable, actor: Actor, now: Date, b: { regionCode: string; title: string; place?: string; startsAt: string; hours: number; capacity: number }, mobilisationId: number | null) {
  const [a] = await tx.query<any>(
    `INSERT INTO pt_activity (district_code, region_code, title, place, starts_at, hours, capacity, mobilisation_id, created_by, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) RETURNING id`,
    [regionLevels(b.regionCode).district, b.regionCode, b.title, b.place ?? null, b.startsAt, b.hours, b.capacity, mobilisationId, actor.id, now]);
  return Number(a.id);
}

export async function createActivity(deps: ParticipationDeps, actor: Actor, b: { regionCode: string; title: string; place?: string; startsAt: string; hours: number; capacity: number }) {
  participationPolicy.assert(actor, 'participation.volunteer.manage');
  if (!regionScope(actor).has(b.regionCode)) throw unprocessable('outside_scope', both('只能在本辖区组织活动', 'Activities are held in your territory.'));
  const id = await insertActivity(deps.ctx.db, actor, deps.ctx.now(), b, null);
  return getActivity(deps, actor, id);
}

async function loadActivity(deps: ParticipationDeps, actor: Actor, id: number) {
  const [a] = await deps.ctx.db.query<any>('SELECT * FROM pt_activity WHERE id = $1', [id]);
  if (!a) throw notFound({ zh: `活动 ${id}`, en: `Activity ${id}` });
  if (actor.role === 'resident') {
    if (!(await residentOf(deps.ctx.db, actor)).regionCode.startsWith(a.region_code)) throw notFound({ zh: `活动 ${id}`, en: `Activity ${id}` });
  } else if (!participationPolicy.can(actor, 'participation.read', { regionCode: a.region_code })
    && !(a.mobilisation_id != null && participationPolicy.can(actor, 'participation.read') && actor.regionCode.startsWith(a.region_code))) {
    // an emergency's tasks are seen by the staff working inside its region too (a grid worker under the community)
    throw notFound({ zh: `活动 ${id}`, en: `Activity ${id}` });
  }
  return a;
}

export async function getActivity(deps: ParticipationDeps, actor: Actor, id: number) {
  const a = await loadActivity(deps, actor, id);
  const [c] = await deps.ctx.db.query<any>(
    `SELECT count(*)::int AS signed, count(checked_in_at)::int AS checked, (SELECT name FROM region WHERE code = $2) AS region_name
     FROM pt_activity_signup WHERE activity_id = $1`, [id, a.region_code]);
  return { id: Number(a.id), regionCode: a.region_code, regionName: c.region_name ?? null, title: a.title, place: a.place ?? null, startsAt: iso(a.starts_at),
    endsAt: new Date(new Date(a.starts_at).getTime() + Number(a.hours) * 3600_000).toISOString(), hours: Number(a.hours), capacity: a.capacity,
    signedUp: c.signed, checkedIn: c.checked, emergency: a.mobilisation_id != null, mobilisationId: a.mobilisation_id == null ? null : Number(a.mobilisation_id) };
}

/** Who signed up for an activity or accepted an emergency task, and who checked in with the hours credited (staff). */
export async function listSignups(deps: ParticipationDeps, actor: Actor, id: number) {
  participationPolicy.assert(actor, 'participation.read');
  const a = await loadActivity(deps, actor, id);
  const rows = await deps.ctx.db.query<any>(
    `SELECT s.volunteer_id, s.signed_up_at, s.checked_in_at, s.hours, u.display_name, v.skills, t.name AS team
     FROM pt_activity_signup s JOIN pt_volunteer v ON v.id = s.volunteer_id AND v.district_code = s.district_code JOIN app_user u ON u.id = v.user_id
     LEFT JOIN pt_volunteer_team t ON t.id = v.team_id AND t.district_code = v.district_code
     WHERE s.activity_id = $1 AND s.district_code = $2 ORDER BY s.signed_up_at, s.volunteer_id`, [id, a.district_code]);
  return { activity: await getActivity(deps, actor, id), items: rows.map((r) => ({
    volunteerId: Number(r.volunteer_id), name: r.display_name, skills: r.skills, team: r.team ?? null,
    signedUpAt: iso(r.signed_up_at), checkedInAt: iso(r.checked_in_at), hours: r.hours == null ? null : Number(r.hours),
  })) };
}

/** Activities (and emergency tasks) where the volunteer lives, or in the staff's territory. */
export async function listActivities(deps: ParticipationDeps, actor: Actor) {
  const params: unknown[] = [];
  let where: string;
  if (actor.role === 'resident') {
    params.push((await residentOf(deps.ctx.db, actor)).regionCode);
    // the tasks of an emergency that is over are no longer offered
    where = `starts_with($1, a.region_code) AND NOT EXISTS (SELECT 1 FROM pt_mobilisation m WHERE m.id = a.mobilisation_id AND m.district_code = a.district_code AND m.off_at IS NOT NULL)`;
  }
  else { participationPolicy.assert(actor, 'participation.read'); where = regionScope(actor).sql('a', params, false); }
  const rows = await deps.ctx.db.query<any>(`SELECT a.id FROM pt_activity a WHERE ${where} ORDER BY a.mobilisation_id IS NULL, a.starts_at DESC LIMIT 100`, params);
  return { items: await Promise.all(rows.map((r) => getActivity(deps, actor, Number(r.id)))) };
}

/** Signs up (accepts a task): once per volunteer, never beyond the capacity. */
export async function signUp(deps: ParticipationDeps, actor: Actor, id: number) {
  participationPolicy.assert(actor, 'participation.volunteer.join');
  const a = await loadActivity(deps, actor, id);
  const v = await volunteerOf(deps.ctx.db, actor);
  if (a.mobilisation_id != null) {
    const [m] = await deps.ctx.db.query<any>('SELECT off_at FROM pt_mobilisation WHERE id = $1 AND district_code = $2', [a.mobilisation_id, a.district_code]);
    if (m?.off_at) throw conflict('emergency_over', both('应急状态已解除，任务不再接受报名', 'The emergency is over; its tasks take no one more.'));
  }
  await deps.ctx.db.transaction(async (tx) => {
    const [s] = await tx.query('INSERT INTO pt_activity_signup (district_code, activity_id, volunteer_id, signed_up_at) VALUES ($1,$2,$3,$4) ON CONFLICT DO NOTHING RETURNING activity_id',
      [a.district_code, id, v.id, deps.ctx.now()]);
    if (!s) throw conflict('already_signed_up', both('您已报名', 'You have signed up already.'));
    const [room] = await tx.query('UPDATE pt_activity SET signed_up = signed_up + 1 WHERE id = $1 AND district_code = $2 AND signed_up < capacity RETURNING id', [id, a.district_code]);
    if (!room) throw conflict('activity_full', both('名额已满', 'The activity is full.'));
  });
  return getActivity(deps, actor, id);
}

/** China time of an instant as a volunteer reads it: 11月20日 09:00. */
const chinaClock = (at: Date) => {
  const s = new Date(at.getTime() + 8 * 3600_000).toISOString();
  return { zh: `${Number(s.slice(5, 7))}月${Number(s.slice(8, 10))}日 ${s.slice(11, 16)}`, en: `${s.slice(0, 10)} ${s.slice(11, 16)}` };
};

/** How early before its start an activity takes check-ins. */
const CHECK_IN_EARLY_MS = 3600_000;

/**
 * Checks in (the volunteer at the activity): the activity's hours — its duration — go on the volunteer's
 * ledger, once. Only from an hour before the start until the end (start + hours): hours are not credited for
 * an activity that has not begun or is over. An emergency task takes check-ins from its start while the
 * emergency lasts.
 */
export async function checkIn(deps: ParticipationDeps, actor: Actor, id: number, now = deps.ctx.now()) {
  participationPolicy.assert(actor, 'participation.volunteer.join');
  const a = await loadActivity(deps, actor, id);
  const v = await volunteerOf(deps.ctx.db, actor);
  const start = new Date(a.starts_at);
  const end = new Date(start.getTime() + Number(a.hours) * 3600_000);
  if (now.getTime() < start.getTime() - CHECK_IN_EARLY_MS) {
    const s = chinaClock(start);
    throw conflict('check_in_too_early', both(`活动 ${s.zh} 开始，开始前 1 小时起才能签到`, `The activity starts at ${s.en} (China time); check-in opens an hour before.`), { startsAt: start.toISOString() });
  }
  if (a.mobilisation_id == null && now > end) {
    const e = chinaClock(end);
    throw conflict('activity_ended', both(`活动已于 ${e.zh} 结束，不能再签到`, `The activity ended at ${e.en} (China time); check-in is closed.`), { endsAt: end.toISOString() });
  }
  if (a.mobilisation_id != null) {
    const [m] = await deps.ctx.db.query<any>('SELECT off_at FROM pt_mobilisation WHERE id = $1 AND district_code = $2', [a.mobilisation_id, a.district_code]);
    if (m?.off_at) throw conflict('emergency_over', both('应急状态已解除，不能再签到', 'The emergency is over; check-in is closed.'));
  }
  // an emergency task's hours wait for the stand-down (the work is done then); an activity's are its duration
  const rows = await deps.ctx.db.query('UPDATE pt_activity_signup SET checked_in_at = $4, hours = $5 WHERE activity_id = $1 AND volunteer_id = $2 AND district_code = $3 AND checked_in_at IS NULL RETURNING activity_id',
    [id, v.id, a.district_code, now, a.mobilisation_id != null ? null : a.hours]);
  if (!rows.length) throw conflict('not_signed_up', both('未报名或已签到', 'Not signed up, or checked in already.'));
  return myVolunteering(deps, actor);
}

// ---- 平战转换

export async function mobilise(deps: ParticipationDeps, actor: Actor, b: { regionCode: string; reason: string; tasks: Array<{ title: string; hours: number; capacity: number }> }) {
  participationPolicy.assert(actor, 'participation.mobilise');
  if (!regionScope(actor).has(b.regionCode)) throw unprocessable('outside_scope', both('只能对本辖区启动', 'An emergency is switched on for your territory.'));
  const now = deps.ctx.now();
  try {
    const id = await deps.ctx.db.transaction(async (tx) => {
      const [m] = await tx.query<any>('INSERT INTO pt_mobilisation (district_code, region_code, reason, on_by, on_at) VALUES ($1,$2,$3,$4,$5) RETURNING id',
        [regionLevels(b.regionCode).district, b.regionCode, b.reason, actor.id, now]);
      for (const t of b.tasks) await insertActivity(tx, actor, now, { regionCode: b.regionCode, title: t.title, startsAt: now.toISOString(), hours: t.hours, capacity: t.capacity }, Number(m.id));
      await tx.query(`INSERT INTO audit_log (actor_id, action, target, region_code, detail) VALUES ($1, 'participation.mobilise.on', $2, $3, $4::jsonb)`,
        [actor.id, `mobilisation:${m.id}`, b.regionCode, JSON.stringify({ reason: b.reason, tasks: b.tasks.length })]);
      // the broadcast: every process's event stream tells the region's volunteers and staff
      await appendEvent(tx, { topic: 'participation.mobilised', regionCode: b.regionCode, unitIds: [], userIds: [], payload: { mobilisationId: Number(m.id) } });
      return Number(m.id);
    });
    return { ...(await getMobilisation(deps, actor, id)), reached: await reached(deps.ctx.db, b.regionCode) };
  } catch (err: any) {
    if (err?.code === '23505') throw conflict('already_mobilised', both('该区域已处于应急状态', 'The region is in emergency mode already.'));
    throw err;
  }
}

/** Who the broadcast reaches: the volunteers living in the region and the active staff working in it (at or under it). */
async function reached(q: Queryable, regionCode: string) {
  const [r] = await q.query<any>(
    `SELECT (SELECT count(*)::int FROM pt_volunteer WHERE region_code LIKE $1) AS volunteers,
       (SELECT count(*)::int FROM app_user WHERE active AND role IN ('street_centre', 'community', 'grid_worker') AND region_code LIKE $1) AS staff`,
    [`${regionCode.replace(/[^0-9]/g, '')}%`]);
  return { volunteers: r.volunteers as number, staff: r.staff as number };
}

export async function standDown(deps: ParticipationDeps, actor: Actor, id: number, note: string) {
  participationPolicy.assert(actor, 'participation.mobilise');
  const [m] = await deps.ctx.db.query<any>('SELECT * FROM pt_mobilisation WHERE id = $1', [id]);
  if (!m || !regionScope(actor).has(m.region_code)) throw notFound({ zh: `应急动员 ${id}`, en: `Mobilisation ${id}` });
  await deps.ctx.db.transaction(async (tx) => {
    const r = await tx.query('UPDATE pt_mobilisation SET off_at = $2, off_by = $3, off_note = $4 WHERE id = $1 AND off_at IS NULL RETURNING id', [id, deps.ctx.now(), actor.id, note]);
    if (!r.length) throw conflict('already_normal', both('已恢复常态', 'The region is back to normal already.'));
    // the work is done: those who checked in to its tasks get the tasks' hours on their ledger
    await tx.query(`UPDATE pt_activity_signup s SET hours = a.hours FROM pt_activity a
      WHERE a.mobilisation_id = $1 AND a.district_code = $2 AND s.activity_id = a.id AND s.district_code = a.district_code AND s.checked_in_at IS NOT NULL AND s.hours IS NULL`,
      [id, m.district_code]);
    await tx.query(`INSERT INTO audit_log (actor_id, action, target, region_code, detail) VALUES ($1, 'participation.mobilise.off', $2, $3, $4::jsonb)`,
      [actor.id, `mobilisation:${id}`, m.region_code, JSON.stringify({ note })]);
    await appendEvent(tx, { topic: 'participation.stood_down', regionCode: m.region_code, unitIds: [], userIds: [], payload: { mobilisationId: id } });
  });
  return getMobilisation(deps, actor, id);
}

/** A switch with its tasks: acceptance (sign-ups) and check-ins per task. */
export async function getMobilisation(deps: ParticipationDeps, actor: Actor, id: number) {
  participationPolicy.assert(actor, 'participation.read');
  const [m] = await deps.ctx.db.query<any>('SELECT * FROM pt_mobilisation WHERE id = $1', [id]);
  // staff above the region and staff working inside it (a grid under the switched community) follow it
  if (!m || !(regionScope(actor).has(m.region_code) || actor.regionCode.startsWith(m.region_code))) throw notFound({ zh: `应急动员 ${id}`, en: `Mobilisation ${id}` });
  const tasks = await deps.ctx.db.query<any>('SELECT id FROM pt_activity WHERE mobilisation_id = $1 ORDER BY id', [id]);
  // who accepted each task and who checked in, by name (the switcher follows people, not counts)
  const people = await deps.ctx.db.query<any>(
    `SELECT s.activity_id, s.signed_up_at, s.checked_in_at, u.display_name FROM pt_activity_signup s JOIN pt_activity a ON a.id = s.activity_id AND a.district_code = s.district_code
     JOIN pt_volunteer v ON v.id = s.volunteer_id AND v.district_code = s.district_code JOIN app_user u ON u.id = v.user_id
     WHERE a.mobilisation_id = $1 AND a.district_code = $2 ORDER BY s.signed_up_at, s.volunteer_id`, [id, m.district_code]);
  const [who] = await deps.ctx.db.query<any>(
    `SELECT (SELECT name FROM region WHERE code = $1) AS region_name, (SELECT display_name FROM app_user WHERE id = $2) AS on_by, (SELECT display_name FROM app_user WHERE id = $3) AS off_by`,
    [m.region_code, m.on_by, m.off_by]);
  return { id: Number(m.id), regionCode: m.region_code, regionName: who.region_name ?? null, reason: m.reason, onAt: iso(m.on_at), onBy: who.on_by, offAt: iso(m.off_at),
    offBy: who.off_by ?? null, offNote: m.off_note, active: !m.off_at,
    tasks: await Promise.all(tasks.map(async (t) => ({ ...(await getActivity(deps, actor, Number(t.id))), people: people.filter((x) => Number(x.activity_id) === Number(t.id))
      .map((x) => ({ name: x.display_name as string, acceptedAt: iso(x.signed_up_at), checkedInAt: iso(x.checked_in_at) })) }))) };
}

/** Every switch of the territory, on and off, and those of the regions the actor's own region lies in. */
export async function listMobilisations(deps: ParticipationDeps, actor: Actor) {
  participationPolicy.assert(actor, 'participation.read');
  const params: unknown[] = [];
  const rows = await deps.ctx.db.query<any>(
    `SELECT m.*, r.name AS region_name, u.display_name AS on_by_name, o.display_name AS off_by_name,
       (SELECT count(*)::int FROM pt_activity a WHERE a.mobilisation_id = m.id AND a.district_code = m.district_code) AS tasks,
       (SELECT count(*)::int FROM pt_activity_signup s JOIN pt_activity a ON a.id = s.activity_id AND a.district_code = s.district_code
         WHERE a.mobilisation_id = m.id AND a.district_code = m.district_code) AS accepted,
       (SELECT count(s.checked_in_at)::int FROM pt_activity_signup s JOIN pt_activity a ON a.id = s.activity_id AND a.district_code = s.district_code
         WHERE a.mobilisation_id = m.id AND a.district_code = m.district_code) AS checked_in
     FROM pt_mobilisation m LEFT JOIN region r ON r.code = m.region_code JOIN app_user u ON u.id = m.on_by LEFT JOIN app_user o ON o.id = m.off_by
     WHERE (${regionScope(actor).sql('m', params, false)} OR starts_with($${params.push(actor.regionCode)}, m.region_code)) ORDER BY m.on_at DESC LIMIT 100`, params);
  return { items: rows.map((m) => ({ id: Number(m.id), regionCode: m.region_code, regionName: m.region_name ?? null, reason: m.reason,
    onAt: iso(m.on_at), onBy: m.on_by_name, offAt: iso(m.off_at), offBy: m.off_by_name ?? null, offNote: m.off_note ?? null, active: !m.off_at,
    tasks: m.tasks, accepted: m.accepted, checkedIn: m.checked_in })) };
}
