// The 街道 overview of participation: per community (village) under the actor's region, the counts a street's
// 综治中心 watches — wishes open and fulfilled, 议事 topics, open votes, deliberation meetings held, 四议两公开
// procedures in progress, volunteers and their hours, points awarded, announcements and their read rate.
// Scoped like every list: a street sees its communities, a community its own, a grid worker their
// community's row counting their grid only; nobody sees a region outside their territory.
import type { Actor } from '../../platform/auth/actor.ts';
import { regionScope } from '../../platform/scope.ts';
import type { ParticipationDeps } from './deps.ts';
import { participationPolicy } from './policy.ts';
import { unfulfilledWish } from './wishes.ts';

export interface CommunityOverview {
  code: string; name: string; streetName: string | null;
  wishesOpen: number; wishesFulfilled: number; topics: number; votesOpen: number; meetingsHeld: number; proceduresInProgress: number;
  volunteers: number; volunteerHours: number; pointsAwarded: number; announcements: number; announcementReads: number; announcementAudience: number;
  readRate: number | null;
}

export async function participationOverview(deps: ParticipationDeps, actor: Actor) {
  participationPolicy.assert(actor, 'participation.read');
  const { db } = deps.ctx;
  const scope = regionScope(actor);
  // the communities of the overview: those under the actor's region, or the one the actor works in
  const communities = await db.query<any>(
    `SELECT c.code, c.name, s.name AS street_name FROM region c LEFT JOIN region s ON s.code = c.parent_code
     WHERE c.level = 'community' AND (c.code LIKE $1 || '%' OR c.code = left($1, 12)) ORDER BY c.code`, [actor.regionCode]);
  const rows = new Map<string, CommunityOverview>(communities.filter((c) => scope.sees(c.code)).map((c) => [c.code, {
    code: c.code, name: c.name, streetName: c.street_name ?? null,
    wishesOpen: 0, wishesFulfilled: 0, topics: 0, votesOpen: 0, meetingsHeld: 0, proceduresInProgress: 0,
    volunteers: 0, volunteerHours: 0, pointsAwarded: 0, announcements: 0, announcementReads: 0, announcementAudience: 0, readRate: null,
  }]));
  if (!rows.size) return { regionCode: actor.regionCode, items: [] as CommunityOverview[] };
  const now = deps.ctx.now();
  /** One count per community: `select` yields (community, n[, m]) from table alias `a`, within the actor's scope. */
  const per = async (sql: (where: string, params: unknown[]) => string, extra: unknown[] = []) => {
    const params: unknown[] = [...extra];
    return db.query<any>(sql(scope.sql('a', params, false), params), params);
  };
  const add = (list: any[], set: (r: CommunityOverview, x: any) => void) => { for (const x of list) { const r = rows.get(x.c); if (r) set(r, x); } };

  add(await per((w) => `SELECT left(a.region_code, 12) AS c, count(*) FILTER (WHERE ${unfulfilledWish('a')})::int AS open,
      count(*) FILTER (WHERE a.state IN ('fulfilled', 'confirmed'))::int AS done
    FROM pt_wish a WHERE ${w} AND NOT a.hidden AND a.merged_into IS NULL GROUP BY 1`), (r, x) => { r.wishesOpen = x.open; r.wishesFulfilled = x.done; });
  add(await per((w) => `SELECT left(a.region_code, 12) AS c, count(*)::int AS n FROM pt_topic a WHERE ${w} AND NOT a.hidden AND a.merged_into IS NULL GROUP BY 1`),
    (r, x) => { r.topics = x.n; });
  add(await per((w) => `SELECT left(a.region_code, 12) AS c, count(*)::int AS n FROM pt_vote a
    WHERE ${w} AND a.published_at IS NULL AND a.opens_at <= $1 AND coalesce(a.closed_early_at, a.closes_at) > $1 GROUP BY 1`, [now]), (r, x) => { r.votesOpen = x.n; });
  add(await per((w) => `SELECT left(a.region_code, 12) AS c, count(*)::int AS n FROM meeting a
    WHERE ${w} AND a.kind = 'participation.deliberation' AND a.status = 'held' GROUP BY 1`), (r, x) => { r.meetingsHeld = x.n; });
  add(await per((w) => `SELECT left(a.region_code, 12) AS c, count(*)::int AS n FROM pt_procedure a
    WHERE ${w} AND a.voided_at IS NULL
      AND NOT EXISTS (SELECT 1 FROM pt_procedure_step s WHERE s.procedure_id = a.id AND s.district_code = a.district_code AND NOT s.passed)
      AND (SELECT count(*) FROM pt_procedure_step s WHERE s.procedure_id = a.id AND s.district_code = a.district_code AND s.passed) < 6 GROUP BY 1`),
  (r, x) => { r.proceduresInProgress = x.n; });
  add(await per((w) => `SELECT left(a.region_code, 12) AS c, count(*)::int AS n,
      coalesce(sum((SELECT sum(s.hours) FROM pt_activity_signup s WHERE s.volunteer_id = a.id AND s.district_code = a.district_code)), 0)::float8 AS hours
    FROM pt_volunteer a WHERE ${w} GROUP BY 1`), (r, x) => { r.volunteers = x.n; r.volunteerHours = Number(x.hours); });
  add(await per((w) => `SELECT left(a.region_code, 12) AS c, coalesce(sum(a.delta), 0)::int AS n FROM pt_point_entry a
    WHERE ${w} AND a.kind = 'rule' AND a.delta > 0 GROUP BY 1`), (r, x) => { r.pointsAwarded = x.n; });
  // announcements published to the community or a grid of it; the read rate is of its resident accounts
  add(await per((w) => `SELECT left(a.region_code, 12) AS c, count(*)::int AS n,
      coalesce(sum((SELECT count(*) FROM pt_announcement_read r WHERE r.announcement_id = a.id)), 0)::int AS reads,
      coalesce(sum((SELECT count(*) FROM pt_resident p WHERE p.region_code LIKE a.region_code || '%')), 0)::int AS audience
    FROM pt_announcement a WHERE ${w} AND length(a.region_code) >= 12 GROUP BY 1`), (r, x) => {
    r.announcements = x.n; r.announcementReads = x.reads; r.announcementAudience = x.audience;
    r.readRate = x.audience ? Math.round((1000 * x.reads) / x.audience) / 10 : null;
  });
  return { regionCode: actor.regionCode, items: [...rows.values()] };
}
