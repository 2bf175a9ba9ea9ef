// Votes (表决) with integrity: single or multiple choice; one person one vote or one household one vote;
// quorum; anonymous or named; opening and closing times; results published. Nobody votes twice: the
// ballot's unique key (vote, voter key, district) settles every race in the database — two requests of
// one person, or two members of one household, both reach the INSERT and only one row can exist. No
// "have I voted?" read precedes it. Anonymous ballots only raise the options' tallies (pt_vote_option),
// so no row links a voter to a choice; named ballots also keep their choices (pt_ballot_choice).
import type { Actor } from '../../platform/auth/actor.ts';
import type { Queryable } from '../../platform/db/index.ts';
import { AppError, conflict, notFound, unprocessable } from '../../platform/errors.ts';
import { appendEvent } from '../../platform/events/index.ts';
import { regionLevels, regionScope } from '../../platform/scope.ts';
import { countParticipants, participant, type Participant } from '../registry/index.ts';
import type { VoteCreate } from './contracts.ts';
import { both, type ParticipationDeps } from './deps.ts';
import { participationPolicy } from './policy.ts';
import { addressedTo, linkedParticipant, residentOf } from './residents.ts';
import { autoAward } from './points.ts';

export type VoteStatus = 'upcoming' | 'open' | 'closed' | 'published';

const iso = (d: unknown) => (d ? new Date(d as string).toISOString() : null);

export function voteStatus(v: { opens_at: unknown; closes_at: unknown; closed_early_at: unknown; published_at: unknown }, now: Date): VoteStatus {
  if (v.published_at) return 'published';
  const closes = new Date((v.closed_early_at ?? v.closes_at) as string);
  if (now >= closes) return 'closed';
  return now < new Date(v.opens_at as string) ? 'upcoming' : 'open';
}

export async function createVote(deps: ParticipationDeps, actor: Actor, b: VoteCreate): Promise<number> {
  participationPolicy.assert(actor, 'participation.vote.manage');
  const { db } = deps.ctx;
  if (!regionScope(actor).has(b.regionCode)) throw unprocessable('outside_scope', both('只能在本辖区发起表决', 'A vote is held in a region of your territory.'));
  const [r] = await db.query('SELECT code FROM region WHERE code = $1', [b.regionCode]);
  if (!r) throw unprocessable('unknown_region', both('区域不存在', `Region ${b.regionCode} does not exist.`));
  if (new Date(b.closesAt) <= new Date(b.opensAt)) throw unprocessable('closes_before_opens', both('截止时间须晚于开始时间', 'The vote closes after it opens.'));
  const maxChoices = b.choice === 'single' ? 1 : (b.maxChoices ?? b.options.length);
  if (b.choice === 'single' && b.maxChoices != null && b.maxChoices !== 1) throw unprocessable('single_choice_max', both('单选表决只能选一项', 'A single-choice vote takes one choice.'));
  if (maxChoices > b.options.length) throw unprocessable('max_choices_too_many', both('可选项数不能超过选项总数', 'At most as many choices as there are options.'));
  if (new Set(b.options).size !== b.options.length) throw unprocessable('duplicate_option', both('选项重复', 'Two options have the same text.'));
  const eligible = await countParticipants(db, b.regionCode, b.voterUnit);
  const quorum = !b.quorum ? 0 : 'count' in b.quorum ? b.quorum.count : Math.ceil((eligible * b.quorum.percent) / 100);
  const district = regionLevels(b.regionCode).district;
  return db.transaction(async (tx) => {
    const [v] = await tx.query<{ id: number }>(
      `INSERT INTO pt_vote (district_code, region_code, title, description, choice, max_choices, voter_unit, anonymous, eligible, quorum,
         opens_at, closes_at, meeting_id, topic_id, created_by, created_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16) RETURNING id`,
      [district, b.regionCode, b.title, b.description ?? null, b.choice, maxChoices, b.voterUnit, b.anonymous, eligible, quorum,
        b.opensAt, b.closesAt, b.meetingId ?? null, b.topicId ?? null, actor.id, deps.ctx.now()]);
    for (const [i, label] of b.options.entries()) {
      await tx.query('INSERT INTO pt_vote_option (district_code, vote_id, seq, label) VALUES ($1, $2, $3, $4)', [district, v.id, i + 1, label]);
    }
    await appendEvent(tx, { topic: 'participation.vote_created', regionCode: b.regionCode, unitIds: [], userIds: [], payload: { voteId: Number(v.id) } });
    return Number(v.id);
  });
}

/** The vote row when the actor may see it: staff in their territory, residents where they live; 404 otherwise. */
async function load(q: Queryable, actor: Actor, id: number): Promise<any> {
  const [v] = await q.query<any>('SELECT * FROM pt_vote WHERE id = $1', [id]);
  if (!v) throw notFound({ zh: `表决 ${id}`, en: `Vote ${id}` });
  if (actor.role === 'resident') {
    if (!addressedTo(await residentOf(q, actor), v.region_code)) throw notFound({ zh: `表决 ${id}`, en: `Vote ${id}` });
  } else {
    // staff read the votes of their territory and of the regions above it (a community's vote concerns its grids)
    participationPolicy.assert(actor, 'participation.read');
    if (!regionScope(actor).has(v.region_code) && !actor.regionCode.startsWith(v.region_code)) throw notFound({ zh: `表决 ${id}`, en: `Vote ${id}` });
  }
  return v;
}

async function results(q: Queryable, v: any) {
  const options = await q.query<any>('SELECT id, seq, label, tally FROM pt_vote_option WHERE vote_id = $1 AND district_code = $2 ORDER BY seq', [v.id, v.district_code]);
  const [{ n }] = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM pt_ballot WHERE vote_id = $1 AND district_code = $2', [v.id, v.district_code]);
  return {
    ballots: n, eligible: v.eligible, quorum: v.quorum, quorumMet: n >= v.quorum,
    turnout: v.eligible ? Math.round((1000 * n) / v.eligible) / 10 : null,
    options: options.map((o) => ({ id: Number(o.id), label: o.label, tally: o.tally, share: n ? Math.round((1000 * o.tally) / n) / 10 : 0 })),
  };
}

export async function getVote(deps: ParticipationDeps, actor: Actor, id: number) {
  const { db } = deps.ctx;
  const v = await load(db, actor, id);
  const now = deps.ctx.now();
  const status = voteStatus(v, now);
  const res = await results(db, v);
  const isResident = actor.role === 'resident';
  let myBallot: { castAt: string; optionIds: number[] | null } | null = null;
  let eligibility: Eligibility | null = null;
  if (isResident) {
    const me = await residentOf(db, actor);
    const p = me.personId == null ? null : await participant(db, me.personId);
    eligibility = eligibilityOf(v, p);
    const key = p && voterKey(v, p);
    if (key) {
      const [b] = await db.query<any>('SELECT id, cast_at FROM pt_ballot WHERE vote_id = $1 AND voter_key = $2 AND district_code = $3', [v.id, key, v.district_code]);
      if (b) {
        const choices = v.anonymous ? null : (await db.query<any>('SELECT option_id FROM pt_ballot_choice WHERE ballot_id = $1 AND district_code = $2 ORDER BY option_id', [b.id, v.district_code])).map((c) => Number(c.option_id));
        myBallot = { castAt: iso(b.cast_at)!, optionIds: choices };
      }
    }
  }
  // residents see the tallies once the results are published; staff while counting
  const showResults = !isResident || status === 'published';
  return {
    id: Number(v.id), regionCode: v.region_code, title: v.title, description: v.description, choice: v.choice, maxChoices: v.max_choices,
    voterUnit: v.voter_unit, anonymous: v.anonymous, opensAt: iso(v.opens_at), closesAt: iso(v.closed_early_at ?? v.closes_at), status,
    publishedAt: iso(v.published_at), meetingId: v.meeting_id == null ? null : Number(v.meeting_id), topicId: v.topic_id == null ? null : Number(v.topic_id),
    options: res.options.map((o) => (showResults ? o : { id: o.id, label: o.label })),
    results: showResults ? { ballots: res.ballots, eligible: res.eligible, quorum: res.quorum, quorumMet: res.quorumMet, turnout: res.turnout } : null,
    myBallot,
    eligibility,
    mayManage: participationPolicy.can(actor, 'participation.vote.manage', { regionCode: v.region_code }),
  };
}

export async function listVotes(deps: ParticipationDeps, actor: Actor, q: { page: number; pageSize: number; status?: VoteStatus; community?: string }) {
  const { db } = deps.ctx;
  const params: unknown[] = [];
  let where: string;
  if (actor.role === 'resident') {
    const me = await residentOf(db, actor);
    params.push(me.regionCode);
    where = `starts_with($1, v.region_code)`;
  } else {
    participationPolicy.assert(actor, 'participation.read');
    params.push(actor.regionCode);
    where = `(${regionScope(actor).sql('v', params, false)} OR starts_with($1, v.region_code))`;
  }
  const now = deps.ctx.now();
  params.push(now);
  const n = params.length;
  const statusSql: Record<VoteStatus, string> = {
    published: 'v.published_at IS NOT NULL',
    closed: `v.published_at IS NULL AND coalesce(v.closed_early_at, v.closes_at) <= $${n}`,
    open: `v.opens_at <= $${n} AND coalesce(v.closed_early_at, v.closes_at) > $${n}`,
    upcoming: `v.opens_at > $${n}`,
  };
  if (q.status) where += ` AND ${statusSql[q.status]}`;
  // one community's votes (staff above community level narrow the list; the territory still bounds it)
  if (q.community) { params.push(q.community); where += ` AND v.region_code LIKE $${params.length} || '%'`; }
  params.push(q.pageSize, (q.page - 1) * q.pageSize);
  const rows = await db.query<any>(
    `SELECT v.*, (SELECT count(*)::int FROM pt_ballot b WHERE b.vote_id = v.id AND b.district_code = v.district_code) AS ballots, c.name AS community_name
     FROM pt_vote v LEFT JOIN region c ON length(v.region_code) >= 12 AND c.code = left(v.region_code, 12) WHERE ${where} AND $${n}::timestamptz IS NOT NULL ORDER BY v.closes_at DESC, v.id DESC LIMIT $${params.length - 1} OFFSET $${params.length}`, params);
  return {
    page: q.page, pageSize: q.pageSize,
    items: rows.map((v) => ({
      id: Number(v.id), regionCode: v.region_code, title: v.title, choice: v.choice, voterUnit: v.voter_unit, anonymous: v.anonymous,
      opensAt: iso(v.opens_at), closesAt: iso(v.closed_early_at ?? v.closes_at), status: voteStatus(v, now), ballots: v.ballots, quorum: v.quorum,
      quorumMet: v.ballots >= v.quorum, communityCode: v.region_code.length >= 12 ? v.region_code.slice(0, 12) : null, communityName: v.community_name ?? null,
    })),
  };
}

/** Whether a resident may vote in this vote, and if not why and what to do: told before the ballot is shown. */
export interface Eligibility { canVote: boolean; reason: { code: string; zh: string; en: string } | null }

const refusals = {
  not_linked: { zh: '您的账号尚未关联实有人口，暂不能参加表决。请在“我的”页面完成实名关联，或请社区网格员确认身份。', en: 'Your account is not linked to your registry record yet, so you cannot vote. Link it on the Mine page, or ask your grid worker to confirm you.' },
  no_household: { zh: '本次表决按户进行，您尚未登记户信息，暂不能参加。请联系社区为您登记户信息后再投票。', en: 'This vote is one vote per household, and you do not belong to a registered household yet. Ask your community to register your household, then vote.' },
  not_adult: { zh: '未满十八周岁不能参加表决。', en: 'Voters are 18 or older.' },
  outside_region: { zh: '您不在本次表决的范围内。', en: 'This vote is for the residents of another region.' },
};

export function eligibilityOf(v: { voter_unit: string; region_code: string }, p: Participant | null): Eligibility {
  const no = (code: keyof typeof refusals): Eligibility => ({ canVote: false, reason: { code, ...refusals[code] } });
  if (!p) return no('not_linked');
  if (!p.regionCode.startsWith(v.region_code)) return no('outside_region');
  if (v.voter_unit === 'person' && !p.adult) return no('not_adult');
  if (v.voter_unit === 'household' && p.householdId == null) return no('no_household');
  return { canVote: true, reason: null };
}

const voterKey = (v: { voter_unit: string }, p: Participant): string | null =>
  v.voter_unit === 'household' ? (p.householdId == null ? null : `h${p.householdId}`) : `p${p.personId}`;

/**
 * Casts one ballot: a resident for themselves (online), or staff recording a paper ballot for a
 * registry person. The INSERT … ON CONFLICT DO NOTHING on the unique voter key is the only guard
 * against a second ballot; the tallies move in the same transaction, options in id order (no deadlock).
 */
async function cast(deps: ParticipationDeps, actor: Actor, v: any, p: Participant, optionIds: number[], channel: 'online' | 'paper') {
  const { db } = deps.ctx;
  if (!p.regionCode.startsWith(v.region_code)) throw new AppError(403, 'not_eligible', both('您不在本次表决的范围内', 'This vote is for the residents of another region.'));
  if (v.voter_unit === 'person' && !p.adult) throw new AppError(403, 'not_eligible', both('未满十八周岁不能参加表决', 'Voters are 18 or older.'));
  const key = voterKey(v, p);
  if (!key) throw unprocessable('no_household', refusals.no_household);
  const ids = [...new Set(optionIds)].sort((a, b) => a - b);
  if (ids.length !== optionIds.length) throw unprocessable('duplicate_choice', both('同一选项只能选一次', 'Each option can be chosen once.'));
  if (ids.length > v.max_choices) throw unprocessable('too_many_choices', both(`最多可选 ${v.max_choices} 项`, `Choose at most ${v.max_choices} option(s).`));
  const now = deps.ctx.now();
  const status = voteStatus(v, now);
  if (status !== 'open') throw conflict('vote_not_open', both(status === 'upcoming' ? '表决尚未开始' : '表决已截止', status === 'upcoming' ? 'The vote has not opened yet.' : 'The vote has closed.'), { status });
  return db.transaction(async (tx) => {
    const opts = await tx.query<{ id: number }>('SELECT id FROM pt_vote_option WHERE vote_id = $1 AND district_code = $2 AND id = ANY($3::bigint[])', [v.id, v.district_code, ids]);
    if (opts.length !== ids.length) throw unprocessable('unknown_option', both('选项不属于本次表决', 'An option is not one of this vote\'s.'));
    // the window is checked again in the statement itself, against a close that commits meanwhile
    const [b] = await tx.query<{ id: number }>(
      `INSERT INTO pt_ballot (district_code, vote_id, voter_key, person_id, cast_by, channel, cast_at)
       SELECT v.district_code, v.id, $3, $4, $5, $6, $7 FROM pt_vote v
       WHERE v.id = $1 AND v.district_code = $2 AND v.opens_at <= $7 AND coalesce(v.closed_early_at, v.closes_at) > $7 AND v.published_at IS NULL
       ON CONFLICT (vote_id, voter_key, district_code) DO NOTHING RETURNING id`,
      [v.id, v.district_code, key, p.personId, actor.id, channel, now]);
    if (!b) {
      const [open] = await tx.query('SELECT 1 FROM pt_vote v WHERE v.id = $1 AND v.district_code = $2 AND coalesce(v.closed_early_at, v.closes_at) > $3 AND v.published_at IS NULL', [v.id, v.district_code, now]);
      if (!open) throw conflict('vote_not_open', both('表决已截止', 'The vote has closed.'), { status: 'closed' });
      throw conflict('already_voted', both(v.voter_unit === 'household' ? '本户已投票，一户只能投一票' : '您已投过票', v.voter_unit === 'household' ? 'Your household has voted: one vote per household.' : 'You have voted already.'));
    }
    await tx.query('UPDATE pt_vote_option SET tally = tally + 1 WHERE vote_id = $1 AND district_code = $2 AND id = ANY($3::bigint[])', [v.id, v.district_code, ids]);
    if (!v.anonymous) {
      for (const o of ids) await tx.query('INSERT INTO pt_ballot_choice (district_code, ballot_id, option_id) VALUES ($1, $2, $3)', [v.district_code, b.id, o]);
    }
    // taking part earns the vote_cast rule's points, once per vote
    if (channel === 'online') await autoAward(tx, p, 'vote_cast', `vote:${v.id}`, now);
    return { ballotId: Number(b.id), castAt: now.toISOString() };
  });
}

export async function castBallot(deps: ParticipationDeps, actor: Actor, id: number, optionIds: number[]) {
  participationPolicy.assert(actor, 'participation.vote.cast');
  const v = await load(deps.ctx.db, actor, id);
  const p = await linkedParticipant(deps.ctx.db, actor);
  return cast(deps, actor, v, p, optionIds, 'online');
}

export async function recordPaperBallot(deps: ParticipationDeps, actor: Actor, id: number, personId: number, optionIds: number[]) {
  participationPolicy.assert(actor, 'participation.vote.manage');
  const v = await load(deps.ctx.db, actor, id);
  const p = await participant(deps.ctx.db, personId);
  if (!p || !regionScope(actor).has(p.regionCode)) throw notFound({ zh: `人员 ${personId}`, en: `Person ${personId}` });
  return cast(deps, actor, v, p, optionIds, 'paper');
}

export async function closeVote(deps: ParticipationDeps, actor: Actor, id: number) {
  const { db } = deps.ctx;
  const v = await load(db, actor, id);
  participationPolicy.assert(actor, 'participation.vote.manage', { regionCode: v.region_code }, { zh: `表决 ${id}`, en: `Vote ${id}` });
  const now = deps.ctx.now();
  if (voteStatus(v, now) !== 'open' && voteStatus(v, now) !== 'upcoming') throw conflict('vote_not_open', both('表决已截止', 'The vote has closed already.'));
  await db.query('UPDATE pt_vote SET closed_early_at = $3 WHERE id = $1 AND district_code = $2', [v.id, v.district_code, now]);
  return getVote(deps, actor, id);
}

/** Publishes the results of a closed vote: residents see the tallies from now on. */
export async function publishVote(deps: ParticipationDeps, actor: Actor, id: number) {
  const { db } = deps.ctx;
  const v = await load(db, actor, id);
  participationPolicy.assert(actor, 'participation.vote.manage', { regionCode: v.region_code }, { zh: `表决 ${id}`, en: `Vote ${id}` });
  const status = voteStatus(v, deps.ctx.now());
  if (status !== 'closed') throw conflict(status === 'published' ? 'already_published' : 'vote_not_closed', both(status === 'published' ? '结果已公布' : '表决截止后才能公布结果', status === 'published' ? 'The results are published already.' : 'Results are published once the vote has closed.'));
  await db.transaction(async (tx) => {
    await tx.query('UPDATE pt_vote SET published_at = $3 WHERE id = $1 AND district_code = $2', [v.id, v.district_code, deps.ctx.now()]);
    await appendEvent(tx, { topic: 'participation.vote_published', regionCode: v.region_code, unitIds: [], userIds: [], payload: { voteId: Number(v.id) } });
  });
  return getVote(deps, actor, id);
}

/** Who voted (masked names), with their choices when the vote is named; staff only. */
export async function listBallots(deps: ParticipationDeps, actor: Actor, id: number) {
  const { db } = deps.ctx;
  const v = await load(db, actor, id);
  participationPolicy.assert(actor, 'participation.read');
  const rows = await db.query<any>(
    `SELECT b.id, b.person_id, b.channel, b.cast_at, b.voter_key,
       ARRAY(SELECT c.option_id FROM pt_ballot_choice c WHERE c.ballot_id = b.id AND c.district_code = b.district_code ORDER BY c.option_id) AS choices
     FROM pt_ballot b WHERE b.vote_id = $1 AND b.district_code = $2 ORDER BY b.cast_at, b.id`, [v.id, v.district_code]);
  const names = new Map<number, string>();
  for (const r of rows) { const p = await participant(db, Number(r.person_id)); if (p) names.set(Number(r.person_id), p.nameMasked); }
  return {
    anonymous: v.anonymous,
    items: rows.map((r) => ({
      voter: names.get(Number(r.person_id)) ?? '—', household: r.voter_key.startsWith('h'), channel: r.channel, castAt: iso(r.cast_at),
      optionIds: v.anonymous ? null : (r.choices as unknown[]).map(Number),
    })),
  };
}
