// Request schemas of the participation API (zod), with their inferred types.
import { z } from 'zod';
import { line, prose } from '../../platform/http/text.ts';

const id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
export const IdParams = z.object({ id }).strict();
export const regionCode = z.string().regex(/^\d{6}(\d{3}(\d{3}(\d{2})?)?)?$/, 'region codes are 6, 9, 12 or 14 digits');
const instant = z.string().datetime({ offset: true });
export const PageQuery = {
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
};
const phone = z.string().trim().regex(/^1\d{10}$/, 'a mainland mobile number: 11 digits starting with 1');

// ---- votes
export const VoteCreate = z.object({
  regionCode,
  title: line(200),
  description: prose(4000).optional(),
  choice: z.enum(['single', 'multiple']),
  maxChoices: z.number().int().min(1).max(30).optional(),
  voterUnit: z.enum(['person', 'household']),
  anonymous: z.boolean(),
  quorum: z.union([
    z.object({ count: z.number().int().min(0).max(10_000_000) }).strict(),
    z.object({ percent: z.number().min(0).max(100) }).strict(),
  ]).optional(),
  opensAt: instant,
  closesAt: instant,
  options: z.array(line(200)).min(2).max(30),
  meetingId: id.optional(),
  topicId: id.optional(),
}).strict();
export type VoteCreate = z.infer<typeof VoteCreate>;

/** A community (village) to narrow a staff list to: its 12-digit code; only regions of the territory answer. */
const community = z.string().regex(/^\d{12}$/, 'a community code is 12 digits').optional();
export const VoteListQuery = z.object({ ...PageQuery, community, status: z.enum(['upcoming', 'open', 'closed', 'published']).optional() }).strict();
export const BallotCast = z.object({ optionIds: z.array(id).min(1).max(30) }).strict();
export const PaperBallot = z.object({ personId: id, optionIds: z.array(id).min(1).max(30) }).strict();

// ---- residents
export const LinkByStaff = z.object({ userId: id, personId: id }).strict();
export const LinkCodeCreate = z.object({ personId: id }).strict();
export const LinkByCode = z.object({ code: z.string().trim().regex(/^[0-9A-Za-z]{4}-?[0-9A-Za-z]{4}$/, 'a code of 8 letters and digits (XXXX-XXXX)') }).strict();
export const LinkByIdentity = z.object({ idNumber: z.string().trim().regex(/^\d{17}[\dXx]$/, 'an 18-character ID number'), phone }).strict();

// ---- 微心愿
export const wishCategories = ['goods', 'service', 'care', 'study', 'other'] as const;
export const WishCreate = z.object({
  title: line(100),
  description: prose(1000).optional(),
  category: z.enum(wishCategories),
  /** A worker posting on a resident's behalf: where the resident lives and who they are (sealed, shown masked). */
  regionCode: regionCode.optional(),
  wisher: z.object({ name: line(50), phone: phone.optional() }).strict().optional(),
}).strict();
export type WishCreate = z.infer<typeof WishCreate>;
export const WishListQuery = z.object({
  ...PageQuery, state: z.enum(['open', 'claimed', 'fulfilled', 'confirmed', 'withdrawn']).optional(), mine: z.enum(['posted', 'claimed']).optional(), community,
  /** true: only the wishes still to fulfil (waiting or claimed, not hidden, not merged) — what the street's overview counts */
  unfulfilled: z.enum(['true', 'false']).optional(),
}).strict();
export const TopicListQuery = z.object({ community }).strict();
export const WallParams = z.object({ communityCode: z.string().regex(/^\d{12}$/, 'a community code is 12 digits') }).strict();
export const WishClaim = z.object({ kind: z.enum(['volunteer', 'party_member', 'unit']), name: line(50).optional() }).strict();
export const WishFulfil = z.object({ note: prose(1000, 1), photoId: id }).strict();
export const WishConfirm = z.object({ thanks: prose(500, 1) }).strict();
/** Why a wish or a topic is hidden (its author is told): a short list, with free text (required for 'other'). */
export const hideReasons = ['off_topic', 'personal_data', 'abusive', 'advertising', 'duplicate', 'other'] as const;
export const Moderate = z.object({
  action: z.enum(['hide', 'unhide', 'merge', 'answer']),
  note: prose(1000).optional(),
  /** hide: the reason from the list (the wisher is told) */
  reason: z.enum(hideReasons).optional(),
  /** merge: the wish this one duplicates */
  intoId: id.optional(),
}).strict();
export const Reveal = z.object({ purpose: line(200).refine((s) => s.length >= 4, 'state the purpose in a few words') }).strict();

// ---- points
export const RuleCreate = z.object({
  regionCode, code: z.string().regex(/^[a-z][a-z0-9_]{1,39}$/, 'rule codes are lower-case letters, digits and underscores'), label: line(100),
  points: z.number().int().min(-10000).max(10000).refine((n) => n !== 0, 'a rule awards (> 0) or deducts (< 0) points'),
}).strict();
export const RulePatch = z.object({ active: z.boolean() }).strict();
export const AwardCreate = z.object({ personId: id, ruleId: id, note: line(200).optional() }).strict();
export const ItemCreate = z.object({ regionCode, name: line(100), cost: z.number().int().min(1).max(1_000_000), stock: z.number().int().min(0).max(1_000_000) }).strict();
export const Restock = z.object({ add: z.number().int().min(1).max(1_000_000) }).strict();
export const ItemPatch = z.object({ name: line(100).optional(), cost: z.number().int().min(1).max(1_000_000).optional(), active: z.boolean().optional() }).strict()
  .refine((b) => b.name !== undefined || b.cost !== undefined || b.active !== undefined, 'change the name, the cost or whether it is on the shelf');
export const RedemptionQuery = z.object({ ...PageQuery, itemId: id.optional() }).strict();
export const RedemptionCreate = z.object({ itemId: id }).strict();
export const AppealCreate = z.object({ reason: prose(500, 2) }).strict();
export const AppealDecide = z.object({ uphold: z.boolean(), note: prose(500, 2) }).strict();
export const PeopleQuery = z.object({ q: line(40).refine((s) => s.trim().length >= 1, 'a name, surname, address or ID number') }).strict();
export const LedgerQuery = z.object({ personId: id.optional(), householdId: id.optional() }).strict();
export const LeaderboardQuery = z.object({ by: z.enum(['person', 'household']).default('person'), regionCode: regionCode.optional(), limit: z.coerce.number().int().min(1).max(100).default(20) }).strict();
export const AppealListQuery = z.object({ status: z.enum(['open', 'upheld', 'rejected']).optional() }).strict();

// ---- 四议两公开
export const ProcedureCreate = z.object({ regionCode, title: line(200), description: prose(4000).optional() }).strict();
export const StepParams = z.object({ id, seq: z.coerce.number().int().min(1).max(6) }).strict();
const count = z.number().int().min(0).max(1_000_000);
export const StepRecord = z.object({
  heldAt: instant, record: prose(20000, 2),
  expected: count.optional(), present: count.optional(), attendees: z.array(line(50)).max(2000).optional(),
  votesFor: count.optional(), votesAgainst: count.optional(), abstentions: count.optional(),
  assembly: z.enum(['representatives', 'villagers']).optional(),
  meetingId: id.optional(), voteId: id.optional(),
  /** a step that misses its quorum or is voted down ends the procedure: recorded only when confirmed */
  confirmFailure: z.boolean().optional(),
}).strict();
export const ProcedureVoid = z.object({ reason: prose(500, 2) }).strict();
export const CommunityParams = z.object({ communityCode: z.string().regex(/^\d{12}$/, 'a community code is 12 digits') }).strict();

// ---- surveys
const grid = z.string().regex(/^\d{14}$/, 'a grid code is 14 digits');
export const SurveyCreate = z.object({
  regionCode, title: line(200), description: prose(2000).optional(), template: z.enum(['safety']).optional(),
  questions: z.array(z.object({
    kind: z.enum(['single', 'multiple', 'scale', 'text']), text: line(300), options: z.array(line(100)).max(20).optional(),
    scaleMax: z.number().int().min(2).max(10).optional(), dimension: z.enum(['safety', 'satisfaction']).optional(), required: z.boolean().optional(),
  }).strict()).max(60).optional(),
  sampleGrids: z.array(grid).max(500).optional(), quota: z.number().int().min(0).max(100_000).optional(),
  opensAt: instant, closesAt: instant,
}).strict();
export const SurveyAnswer = z.object({
  gridCode: grid.optional(),
  answers: z.array(z.object({
    questionId: id, choices: z.array(z.number().int().min(0).max(19)).max(20).optional(), value: z.number().int().min(1).max(10).optional(), text: prose(2000).optional(),
  }).strict()).min(1).max(60),
}).strict();

// ---- resident sign-in
export const CodeRequest = z.object({ phone }).strict();
export const MessageQuery = z.object({ unread: z.enum(['true', 'false']).optional() }).strict();
export const CodeSignIn = z.object({ phone, code: z.string().regex(/^\d{6}$/, 'six digits'), communityCode: z.string().regex(/^\d{12}$/, 'a community code is 12 digits').optional() }).strict();

// ---- 议事 topics
export const TopicCreate = z.object({ title: line(200), body: prose(4000).optional() }).strict();
export const TopicModerate = z.object({
  action: z.enum(['hide', 'unhide', 'answer', 'schedule', 'merge']), note: prose(1000).optional(),
  /** hide: the reason from the list */
  reason: z.enum(hideReasons).optional(),
  /** schedule: the deliberation meeting whose agenda takes the topic */
  meetingId: id.optional(),
  /** merge: the topic this one duplicates */
  intoId: id.optional(),
}).strict();
export const ModerationQuery = z.object({ ...PageQuery, subject: z.enum(['wish', 'topic']).optional(), subjectId: id.optional() }).strict();

// ---- announcements
export const AnnouncementCreate = z.object({ regionCode, title: line(200), body: prose(10000, 1) }).strict();

// ---- volunteers and 平战转换
export const VolunteerJoin = z.object({ skills: z.array(line(30)).max(20), availability: line(200).optional(), teamId: id.optional() }).strict();
export const TeamCreate = z.object({ regionCode, name: line(100) }).strict();
const hours = z.number().positive().max(999);
export const ActivityCreate = z.object({ regionCode, title: line(200), place: line(200).optional(), startsAt: instant, hours, capacity: z.number().int().min(1).max(100_000) }).strict();
export const MobiliseCreate = z.object({ regionCode, reason: line(500), tasks: z.array(z.object({ title: line(200), hours, capacity: z.number().int().min(1).max(100_000) }).strict()).min(1).max(50) }).strict();
/** what the street writes when it returns to normal: lines of its own are kept */
export const StandDown = z.object({ note: prose(500, 1) }).strict();
export const VolunteerQuery = z.object({ skill: line(30).optional() }).strict();

// ---- party members
/** A party member's patrol of their grid (党员巡逻): when it started and ended, what they saw. */
export const PartyPatrol = z.object({ startedAt: instant, endedAt: instant, note: prose(500, 2).optional() }).strict();
