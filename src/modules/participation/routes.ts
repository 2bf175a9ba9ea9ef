// The participation API: thin handlers over the use cases. Every route checks the policy and the region
// scope in its use case.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../platform/auth/actor.ts';
import { idempotencyKeyOf, runOnce } from '../../platform/http/idempotency.ts';
import { route } from '../../platform/http/route.ts';
import {
  BallotCast, IdParams, LinkByIdentity, LinkByStaff, Moderate, PaperBallot, Reveal, VoteCreate, VoteListQuery, WallParams, WishClaim, WishConfirm,
  WishCreate, WishFulfil, WishListQuery, PageQuery,
} from './contracts.ts';
import { z } from 'zod';
import type { ParticipationDeps } from './deps.ts';
import { castBallot, closeVote, createVote, getVote, listBallots, listVotes, publishVote, recordPaperBallot } from './votes.ts';
import { claimWish, confirmWish, fulfilWish, getWish, listWishes, moderateWish, postWish, releaseWish, revealWisher, wall, wishPhoto, withdrawWish } from './wishes.ts';
import { answerSurvey, closeSurvey, createSurvey, getSurvey, listSurveys, surveyResults } from './surveys.ts';
import { SurveyAnswer, SurveyCreate } from './contracts.ts';
import { CodeRequest, CodeSignIn, TopicCreate, TopicModerate } from './contracts.ts';
import { listAnnouncements, markRead, publishAnnouncement } from './announcements.ts';
import { AnnouncementCreate } from './contracts.ts';
import { checkIn, createActivity, createTeam, getMobilisation, joinVolunteers, listActivities, listMobilisations, listSignups, listTeams, listVolunteers, mobilise, myVolunteering, signUp, standDown } from './volunteers.ts';
import { ActivityCreate, MobiliseCreate, StandDown, TeamCreate, VolunteerJoin, VolunteerQuery } from './contracts.ts';
import { partyRecord, recordPatrol } from './party.ts';
import { moderationTrail } from './moderation.ts';
import { ItemPatch, ModerationQuery, PartyPatrol, RedemptionQuery } from './contracts.ts';
import { listTopics, moderateTopic, proposeTopic, supportTopic } from './topics.ts';
import { SESSION_COOKIE } from '../../platform/http/server.ts';
import { getProcedure, listProcedures, publicNotice, publicNotices, recordStep, startProcedure, voidProcedure } from './procedures.ts';
import { CommunityParams, ProcedureCreate, ProcedureVoid, StepParams, StepRecord } from './contracts.ts';
import { issueLinkCode, linkByCode, linkByIdentity, linkByStaff, listCommunities, residentOf } from './residents.ts';
import { markMessageRead, myMessages } from './messages.ts';
import { LinkByCode, LinkCodeCreate, MessageQuery } from './contracts.ts';
import { appeal, award, createItem, findPeople, createRule, decideAppeal, householdLedger, leaderboard, listAppeals, listRedemptions, listRules, personLedger, redeem, restock, setRuleActive, shop, updateItem } from './points.ts';
import { PeopleQuery, TopicListQuery } from './contracts.ts';
import { participationOverview } from './overview.ts';
import { announcementUnread } from './announcements.ts';
import { AppealCreate, AppealDecide, AppealListQuery, AwardCreate, ItemCreate, LeaderboardQuery, LedgerQuery, RedemptionCreate, Restock, RuleCreate, RulePatch } from './contracts.ts';

const tags = ['participation'];
const P = '/api/v1/participation';
const Empty = z.object({}).strict();

export function participationRoutes(app: FastifyInstance, deps: ParticipationDeps): void {
  // Every create honours an Idempotency-Key: a double click or a retry makes one record and gets its answer.
  const once = async <T>(req: FastifyRequest, reply: FastifyReply, actor: Actor, write: () => Promise<T>): Promise<T> => {
    const r = await runOnce(deps.ctx.db, actor.id, idempotencyKeyOf(req.headers), `${req.method} ${req.url}`, req.body, write);
    if (r.replayed) reply.header('idempotent-replayed', 'true');
    return r.value;
  };

  // ---- resident sign-in by phone and a one-time code (signin.ts)
  route(app, { method: 'POST', url: `${P}/sign-in/code`, tags, auth: 'none', status: 202, summary: 'Send a one-time sign-in code to a resident\'s phone', body: CodeRequest,
    rateLimit: { max: 10, timeWindow: 10 * 60_000 },
    handler: async ({ body }) => deps.signIn!.sendCode(body.phone) });
  route(app, { method: 'POST', url: `${P}/sign-in`, tags, auth: 'none', summary: 'Sign in with the phone and its code (the first time, name your community)', body: CodeSignIn,
    rateLimit: { max: 20, timeWindow: 10 * 60_000 },
    handler: async ({ body, reply }) => {
      const s = await deps.signIn!.signIn(body.phone, body.code, body.communityCode);
      reply.setCookie(SESSION_COOKIE, s.token, { path: '/', httpOnly: true, sameSite: 'lax', expires: s.expiresAt, secure: deps.ctx.config.production });
      return { token: s.token, expiresAt: s.expiresAt.toISOString(), user: s.user };
    } });

  // ---- resident accounts
  route(app, { method: 'GET', url: `${P}/me`, tags, summary: 'The signed-in resident: home region, registry link and household',
    handler: async ({ actor }) => residentOf(deps.ctx.db, actor) });
  route(app, { method: 'POST', url: `${P}/me/link`, tags, summary: 'Link your resident account by the ID number and phone the registry holds', body: LinkByIdentity,
    handler: async ({ actor, body }) => linkByIdentity(deps, actor, body.idNumber, body.phone) });
  route(app, { method: 'POST', url: `${P}/me/link-code`, tags, summary: 'Link your resident account with the one-time 关联码 a grid worker gave you', body: LinkByCode,
    rateLimit: { max: 10, timeWindow: 10 * 60_000 },
    handler: async ({ actor, body }) => linkByCode(deps, actor, body.code) });
  route(app, { method: 'POST', url: `${P}/link-codes`, tags, status: 201, summary: 'Make a one-time 关联码 (7 days) for a registry person of your territory, to hand to the resident (grid workers, community)', body: LinkCodeCreate,
    handler: async ({ actor, body }) => issueLinkCode(deps, actor, body.personId) });
  route(app, { method: 'GET', url: `${P}/me/messages`, tags, summary: 'Your messages: your 议事 topic hidden (with the reason) or shown again; newest first, with the unread count', query: MessageQuery,
    handler: async ({ actor, query }) => myMessages(deps, actor, query) });
  route(app, { method: 'POST', url: `${P}/me/messages/:id/read`, tags, summary: 'Mark one of your messages read', params: IdParams, body: Empty,
    handler: async ({ actor, params }) => markMessageRead(deps, actor, params.id) });
  route(app, { method: 'GET', url: `${P}/communities`, tags, auth: 'none', summary: 'The communities (villages) with their street, for a visitor to choose a wish wall or notice board, or a resident their home at the first sign-in',
    handler: async ({ reply }) => { reply.header('cache-control', 'public, max-age=300'); return listCommunities(deps); } });
  route(app, { method: 'POST', url: `${P}/residents/link`, tags, summary: 'Confirm that a resident account is a registry person (staff)', body: LinkByStaff,
    handler: async ({ actor, body }) => linkByStaff(deps, actor, body.userId, body.personId) });

  // ---- the 街道 overview
  route(app, { method: 'GET', url: `${P}/overview`, tags, summary: 'Per community of your territory: wishes, topics, open votes, meetings held, 四议两公开 in progress, volunteers and hours, points awarded, announcements read (staff)',
    handler: async ({ actor }) => participationOverview(deps, actor) });

  // ---- votes
  route(app, { method: 'GET', url: `${P}/votes`, tags, summary: 'Votes in your territory (staff) or where you live (residents)', query: VoteListQuery,
    handler: async ({ actor, query }) => listVotes(deps, actor, query) });
  route(app, { method: 'POST', url: `${P}/votes`, tags, status: 201, summary: 'Set up a vote: choice, voter unit (person or household), quorum, anonymity, times; honours Idempotency-Key', body: VoteCreate,
    handler: async ({ actor, body, req, reply }) => once(req, reply, actor, async () => getVote(deps, actor, await createVote(deps, actor, body))) });
  route(app, { method: 'GET', url: `${P}/votes/:id`, tags, summary: 'A vote; its tallies for staff, and for residents once published', params: IdParams,
    handler: async ({ actor, params }) => getVote(deps, actor, params.id) });
  route(app, { method: 'POST', url: `${P}/votes/:id/ballots`, tags, status: 201, summary: 'Vote (once per person or household, whatever races); honours Idempotency-Key', params: IdParams, body: BallotCast,
    handler: async ({ actor, params, body, req, reply }) => once(req, reply, actor, async () => castBallot(deps, actor, params.id, body.optionIds)) });
  route(app, { method: 'POST', url: `${P}/votes/:id/paper-ballots`, tags, status: 201, summary: 'Record a paper ballot of a registry person (same one-vote rule); honours Idempotency-Key', params: IdParams, body: PaperBallot,
    handler: async ({ actor, params, body, req, reply }) => once(req, reply, actor, async () => recordPaperBallot(deps, actor, params.id, body.personId, body.optionIds)) });
  route(app, { method: 'GET', url: `${P}/votes/:id/ballots`, tags, summary: 'Who voted (masked), with their choices when the vote is named', params: IdParams,
    handler: async ({ actor, params }) => listBallots(deps, actor, params.id) });
  route(app, { method: 'POST', url: `${P}/votes/:id/close`, tags, summary: 'Close a vote before its closing time', params: IdParams, body: Empty,
    handler: async ({ actor, params }) => closeVote(deps, actor, params.id) });
  route(app, { method: 'POST', url: `${P}/votes/:id/publish`, tags, summary: 'Publish the results of a closed vote', params: IdParams, body: Empty,
    handler: async ({ actor, params }) => publishVote(deps, actor, params.id) });

  // ---- 微心愿
  route(app, { method: 'GET', url: `${P}/wall/:communityCode`, tags, auth: 'optional', summary: 'A community\'s public wish wall (wishers masked)', params: WallParams, query: z.object(PageQuery).strict(),
    handler: async ({ actor, params, query }) => wall(deps, actor ?? null, params.communityCode, query) });
  route(app, { method: 'GET', url: `${P}/wishes`, tags, summary: 'Wishes in your territory (staff), near you, or yours (mine=posted|claimed); unfulfilled=true: only those still to fulfil, as the overview counts them', query: WishListQuery,
    handler: async ({ actor, query }) => listWishes(deps, actor, query) });
  route(app, { method: 'POST', url: `${P}/wishes`, tags, status: 201, summary: 'Post a 微心愿 (a resident, or a worker on a resident\'s behalf); honours Idempotency-Key', body: WishCreate,
    handler: async ({ actor, body, req, reply }) => once(req, reply, actor, async () => getWish(deps, actor, await postWish(deps, actor, body))) });
  route(app, { method: 'GET', url: `${P}/wishes/:id`, tags, summary: 'A wish', params: IdParams,
    handler: async ({ actor, params }) => getWish(deps, actor, params.id) });
  route(app, { method: 'POST', url: `${P}/wishes/:id/claim`, tags, summary: 'Claim a wish as a volunteer, a party member or a unit', params: IdParams, body: WishClaim,
    handler: async ({ actor, params, body }) => claimWish(deps, actor, params.id, body) });
  route(app, { method: 'POST', url: `${P}/wishes/:id/release`, tags, summary: 'Give a claimed wish back', params: IdParams, body: Empty,
    handler: async ({ actor, params }) => releaseWish(deps, actor, params.id) });
  route(app, { method: 'POST', url: `${P}/wishes/:id/fulfil`, tags, summary: 'Record the fulfilment with a photo (an uploaded attachment)', params: IdParams, body: WishFulfil,
    handler: async ({ actor, params, body }) => fulfilWish(deps, actor, params.id, body) });
  route(app, { method: 'POST', url: `${P}/wishes/:id/confirm`, tags, summary: 'The wisher confirms and thanks', params: IdParams, body: WishConfirm,
    handler: async ({ actor, params, body }) => confirmWish(deps, actor, params.id, body.thanks) });
  route(app, { method: 'POST', url: `${P}/wishes/:id/withdraw`, tags, summary: 'Withdraw your unclaimed wish', params: IdParams, body: Empty,
    handler: async ({ actor, params }) => withdrawWish(deps, actor, params.id) });
  route(app, { method: 'GET', url: `${P}/wishes/:id/photo`, tags, summary: 'The fulfilment photo (those involved, staff)', params: IdParams,
    handler: async ({ actor, params, reply }) => {
      const f = await wishPhoto(deps, actor, params.id);
      reply.header('content-type', f.mime).header('content-length', f.size).header('x-content-type-options', 'nosniff');
      return reply.send(f.body);
    } });
  route(app, { method: 'POST', url: `${P}/wishes/:id/moderate`, tags, summary: 'Hide, unhide, merge or answer a wish (audited)', params: IdParams, body: Moderate,
    handler: async ({ actor, params, body }) => moderateWish(deps, actor, params.id, body) });
  route(app, { method: 'GET', url: `${P}/moderation`, tags, summary: 'The moderation trail of your territory: who hid, merged, answered or scheduled which wish or topic', query: ModerationQuery,
    handler: async ({ actor, query }) => moderationTrail(deps, actor, query) });
  route(app, { method: 'POST', url: `${P}/wishes/:id/wisher/reveal`, tags, summary: 'Reveal the wisher for a stated purpose (audited)', params: IdParams, body: Reveal,
    handler: async ({ actor, params, body }) => revealWisher(deps, actor, params.id, body.purpose) });

  // ---- points
  route(app, { method: 'GET', url: `${P}/points/rules`, tags, summary: 'Point rules that apply where you live or work', handler: async ({ actor }) => listRules(deps, actor) });
  route(app, { method: 'POST', url: `${P}/points/rules`, tags, status: 201, summary: 'Add a rule that awards (> 0) or deducts (< 0) points; honours Idempotency-Key', body: RuleCreate,
    handler: async ({ actor, body, req, reply }) => once(req, reply, actor, async () => createRule(deps, actor, body)) });
  route(app, { method: 'PATCH', url: `${P}/points/rules/:id`, tags, summary: 'Switch a rule on or off', params: IdParams, body: RulePatch,
    handler: async ({ actor, params, body }) => setRuleActive(deps, actor, params.id, body.active) });
  route(app, { method: 'POST', url: `${P}/points/awards`, tags, status: 201, summary: 'Award or deduct points for a person by a rule, with a note; honours Idempotency-Key', body: AwardCreate,
    handler: async ({ actor, body, req, reply }) => once(req, reply, actor, async () => award(deps, actor, body)) });
  route(app, { method: 'GET', url: `${P}/points/people`, tags, summary: 'Find residents of your territory to award or deduct points (names masked, with household and balance)', query: PeopleQuery,
    handler: async ({ actor, query }) => findPeople(deps, actor, query.q) });
  route(app, { method: 'GET', url: `${P}/points/ledger`, tags, summary: 'A person\'s ledger: your own (residents) or a person of your territory (personId)', query: LedgerQuery,
    handler: async ({ actor, query }) => personLedger(deps, actor, query.personId) });
  route(app, { method: 'GET', url: `${P}/points/household-ledger`, tags, summary: 'A household\'s ledger: its members\' entries, summed', query: LedgerQuery,
    handler: async ({ actor, query }) => householdLedger(deps, actor, query.householdId) });
  route(app, { method: 'GET', url: `${P}/points/leaderboard`, tags, summary: 'Top balances of persons or households', query: LeaderboardQuery,
    handler: async ({ actor, query }) => leaderboard(deps, actor, query) });
  route(app, { method: 'GET', url: `${P}/points/shop`, tags, summary: 'The points shop (积分超市) where you live or work', handler: async ({ actor }) => shop(deps, actor) });
  route(app, { method: 'POST', url: `${P}/points/shop`, tags, status: 201, summary: 'Put an item on the shelf; honours Idempotency-Key', body: ItemCreate, handler: async ({ actor, body, req, reply }) => once(req, reply, actor, async () => createItem(deps, actor, body)) });
  route(app, { method: 'POST', url: `${P}/points/shop/:id/restock`, tags, summary: 'Add stock', params: IdParams, body: Restock,
    handler: async ({ actor, params, body }) => restock(deps, actor, params.id, body.add) });
  route(app, { method: 'PATCH', url: `${P}/points/shop/:id`, tags, summary: 'Rename an item, change its price, or take it off the shelf (audited)', params: IdParams, body: ItemPatch,
    handler: async ({ actor, params, body }) => updateItem(deps, actor, params.id, body) });
  route(app, { method: 'GET', url: `${P}/points/redemptions`, tags, summary: 'Redemptions at the shops of your territory (staff)', query: RedemptionQuery,
    handler: async ({ actor, query }) => listRedemptions(deps, actor, query) });
  route(app, { method: 'POST', url: `${P}/points/redemptions`, tags, status: 201, summary: 'Redeem points for an item (stock and balance checked together); honours Idempotency-Key', body: RedemptionCreate,
    handler: async ({ actor, body, req, reply }) => once(req, reply, actor, async () => redeem(deps, actor, body.itemId)) });
  route(app, { method: 'POST', url: `${P}/points/entries/:id/appeal`, tags, status: 201, summary: 'Appeal an award or deduction of yours; honours Idempotency-Key', params: IdParams, body: AppealCreate,
    handler: async ({ actor, params, body, req, reply }) => once(req, reply, actor, async () => appeal(deps, actor, params.id, body.reason)) });
  route(app, { method: 'GET', url: `${P}/points/appeals`, tags, summary: 'Appeals in your territory', query: AppealListQuery, handler: async ({ actor, query }) => listAppeals(deps, actor, query.status) });
  route(app, { method: 'POST', url: `${P}/points/appeals/:id/decide`, tags, summary: 'Decide an appeal: upheld reverses the entry', params: IdParams, body: AppealDecide,
    handler: async ({ actor, params, body }) => decideAppeal(deps, actor, params.id, body) });

  // ---- 四议两公开
  route(app, { method: 'GET', url: `${P}/procedures`, tags, summary: '四议两公开 procedures in your territory', handler: async ({ actor }) => listProcedures(deps, actor) });
  route(app, { method: 'POST', url: `${P}/procedures`, tags, status: 201, summary: 'Start a 四议两公开 procedure for a village (community); honours Idempotency-Key', body: ProcedureCreate,
    handler: async ({ actor, body, req, reply }) => once(req, reply, actor, async () => getProcedure(deps, actor, await startProcedure(deps, actor, body))) });
  route(app, { method: 'GET', url: `${P}/procedures/:id`, tags, summary: 'A procedure with its six steps', params: IdParams, handler: async ({ actor, params }) => getProcedure(deps, actor, params.id) });
  route(app, { method: 'POST', url: `${P}/procedures/:id/steps/:seq`, tags, status: 201, summary: 'Record step seq (1–6): only after step seq − 1 passed; honours Idempotency-Key', params: StepParams, body: StepRecord,
    handler: async ({ actor, params, body, req, reply }) => once(req, reply, actor, async () => recordStep(deps, actor, params.id, params.seq, body)) });
  route(app, { method: 'POST', url: `${P}/procedures/:id/void`, tags, summary: 'Void a procedure started by mistake or twice, with the reason (before its resolution is public; audited)', params: IdParams, body: ProcedureVoid,
    handler: async ({ actor, params, body }) => voidProcedure(deps, actor, params.id, body.reason) });
  route(app, { method: 'GET', url: `${P}/notices/:communityCode`, tags, auth: 'none', summary: 'A community\'s public notices of 四议两公开 resolutions', params: CommunityParams,
    handler: async ({ params }) => publicNotices(deps, params.communityCode) });
  route(app, { method: 'GET', url: `${P}/procedures/:id/notice`, tags, auth: 'none', summary: 'The public notice of a procedure (from 决议公开 on)', params: IdParams,
    handler: async ({ params }) => publicNotice(deps, params.id) });

  // ---- surveys
  route(app, { method: 'GET', url: `${P}/surveys`, tags, summary: 'Surveys in your territory (staff) or where you live (residents)', handler: async ({ actor }) => listSurveys(deps, actor) });
  route(app, { method: 'POST', url: `${P}/surveys`, tags, status: 201, summary: 'Set up a survey (template: safety for the 平安建设民意调查), sampled by grid; honours Idempotency-Key', body: SurveyCreate,
    handler: async ({ actor, body, req, reply }) => once(req, reply, actor, async () => getSurvey(deps, actor, await createSurvey(deps, actor, body))) });
  route(app, { method: 'GET', url: `${P}/surveys/:id`, tags, summary: 'A survey and its questions', params: IdParams, handler: async ({ actor, params }) => getSurvey(deps, actor, params.id) });
  route(app, { method: 'POST', url: `${P}/surveys/:id/responses`, tags, status: 201, summary: 'Answer (residents, once) or enter a phone interview (workers, with the grid); honours Idempotency-Key', params: IdParams, body: SurveyAnswer,
    handler: async ({ actor, params, body, req, reply }) => once(req, reply, actor, async () => answerSurvey(deps, actor, params.id, body)) });
  route(app, { method: 'POST', url: `${P}/surveys/:id/close`, tags, summary: 'End a survey before its closing date (audited): it takes no answers from then on', params: IdParams, body: Empty,
    handler: async ({ actor, params }) => closeSurvey(deps, actor, params.id) });
  route(app, { method: 'GET', url: `${P}/surveys/:id/results`, tags, summary: 'Results per question and grid, and the safety and satisfaction index', params: IdParams,
    handler: async ({ actor, params }) => surveyResults(deps, actor, params.id) });

  // ---- 议事 topics (meetings: /api/v1/meetings with kind participation.deliberation)
  route(app, { method: 'GET', url: `${P}/topics`, tags, summary: '议事 topics where you live (residents) or in your territory (staff, narrowed to a community), most supported first', query: TopicListQuery,
    handler: async ({ actor, query }) => listTopics(deps, actor, query) });
  route(app, { method: 'POST', url: `${P}/topics`, tags, status: 201, summary: 'Propose a topic; honours Idempotency-Key', body: TopicCreate, handler: async ({ actor, body, req, reply }) => once(req, reply, actor, async () => proposeTopic(deps, actor, body)) });
  route(app, { method: 'POST', url: `${P}/topics/:id/support`, tags, summary: 'Support a topic (once)', params: IdParams, body: Empty, handler: async ({ actor, params }) => supportTopic(deps, actor, params.id) });
  route(app, { method: 'POST', url: `${P}/topics/:id/moderate`, tags, summary: 'Hide, unhide, answer, or put on a deliberation meeting\'s agenda (audited)', params: IdParams, body: TopicModerate,
    handler: async ({ actor, params, body }) => moderateTopic(deps, actor, deps.meetings!, params.id, body) });

  // ---- announcements
  route(app, { method: 'GET', url: `${P}/announcements`, tags, summary: 'Announcements where you live (with read) or in your territory (with read counts)', handler: async ({ actor }) => listAnnouncements(deps, actor) });
  route(app, { method: 'POST', url: `${P}/announcements`, tags, status: 201, summary: 'Publish an announcement to the residents of a region; honours Idempotency-Key', body: AnnouncementCreate,
    handler: async ({ actor, body, req, reply }) => once(req, reply, actor, async () => publishAnnouncement(deps, actor, body)) });
  route(app, { method: 'GET', url: `${P}/announcements/:id/unread`, tags, summary: 'The resident accounts an announcement reaches that have not read it (masked; staff of the territory)', params: IdParams,
    handler: async ({ actor, params }) => announcementUnread(deps, actor, params.id) });
  route(app, { method: 'POST', url: `${P}/announcements/:id/read`, tags, summary: 'Mark an announcement read (once)', params: IdParams, body: Empty, handler: async ({ actor, params }) => markRead(deps, actor, params.id) });

  // ---- volunteers and 平战转换
  route(app, { method: 'POST', url: `${P}/volunteers/me`, tags, summary: 'Join the volunteers (skills, availability, team)', body: VolunteerJoin, handler: async ({ actor, body }) => joinVolunteers(deps, actor, body) });
  route(app, { method: 'GET', url: `${P}/volunteers/me`, tags, summary: 'Your volunteering: activities and the hours ledger (joined: false before you join)', handler: async ({ actor }) => myVolunteering(deps, actor) });
  route(app, { method: 'GET', url: `${P}/volunteers`, tags, summary: 'Volunteers of your territory with skills and hours', query: VolunteerQuery, handler: async ({ actor, query }) => listVolunteers(deps, actor, query.skill) });
  route(app, { method: 'POST', url: `${P}/volunteer-teams`, tags, status: 201, summary: 'Form a volunteer team; honours Idempotency-Key', body: TeamCreate, handler: async ({ actor, body, req, reply }) => once(req, reply, actor, async () => createTeam(deps, actor, body)) });
  route(app, { method: 'GET', url: `${P}/volunteer-teams`, tags, summary: 'Volunteer teams of your territory, with members and hours', handler: async ({ actor }) => listTeams(deps, actor) });
  route(app, { method: 'GET', url: `${P}/activities/:id/signups`, tags, summary: 'Who signed up or accepted a task, and who checked in (staff)', params: IdParams,
    handler: async ({ actor, params }) => listSignups(deps, actor, params.id) });
  route(app, { method: 'GET', url: `${P}/activities`, tags, summary: 'Volunteer activities and emergency tasks', handler: async ({ actor }) => listActivities(deps, actor) });
  route(app, { method: 'POST', url: `${P}/activities`, tags, status: 201, summary: 'Set up a volunteer activity; honours Idempotency-Key', body: ActivityCreate, handler: async ({ actor, body, req, reply }) => once(req, reply, actor, async () => createActivity(deps, actor, body)) });
  route(app, { method: 'POST', url: `${P}/activities/:id/signup`, tags, summary: 'Sign up (accept a task), within the capacity', params: IdParams, body: Empty, handler: async ({ actor, params }) => signUp(deps, actor, params.id) });
  route(app, { method: 'POST', url: `${P}/activities/:id/check-in`, tags, summary: 'Check in: the hours go on your ledger', params: IdParams, body: Empty, handler: async ({ actor, params }) => checkIn(deps, actor, params.id) });
  route(app, { method: 'GET', url: `${P}/mobilisations`, tags, summary: 'Every 平战转换 switch of your territory', handler: async ({ actor }) => listMobilisations(deps, actor) });
  route(app, { method: 'POST', url: `${P}/mobilisations`, tags, status: 201, summary: 'Switch a region to emergency with tasks broadcast to its volunteers; honours Idempotency-Key', body: MobiliseCreate, handler: async ({ actor, body, req, reply }) => once(req, reply, actor, async () => mobilise(deps, actor, body)) });
  route(app, { method: 'GET', url: `${P}/mobilisations/:id`, tags, summary: 'A switch with its tasks: acceptance and check-ins', params: IdParams, handler: async ({ actor, params }) => getMobilisation(deps, actor, params.id) });
  route(app, { method: 'POST', url: `${P}/mobilisations/:id/stand-down`, tags, summary: 'Return the region to normal', params: IdParams, body: StandDown, handler: async ({ actor, params, body }) => standDown(deps, actor, params.id, body.note) });

  // ---- party members' record
  route(app, { method: 'GET', url: `${P}/party-record`, tags, summary: 'Your 党员 record: grid registration, services, wishes claimed as a party member, volunteering',
    handler: async ({ actor }) => partyRecord(deps, actor) });
  route(app, { method: 'POST', url: `${P}/party-record/patrols`, tags, status: 201, summary: 'A party member records a patrol of the grid they are registered to (党员巡逻); honours Idempotency-Key', body: PartyPatrol,
    handler: async ({ actor, body, req, reply }) => once(req, reply, actor, async () => recordPatrol(deps, actor, body)) });
}
