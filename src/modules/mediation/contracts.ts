// Request schemas of the mediation API and their inferred types, side by side.
import { z } from 'zod';

const text = (max: number) => z.string().trim().min(1).max(max);
const optText = (max: number) => z.string().trim().max(max).optional();
export const id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
export const IdParams = z.object({ id }).strict();
const region = z.string().regex(/^\d{6,16}$/, 'region codes are 6–16 digits');
const category = z.string().trim().regex(/^\d{2,12}$/, 'category codes are 2–12 digits');
const date = z.iso.date();
const phone = z.string().trim().regex(/^\+?[\d-]{5,20}$/, 'phone numbers are 5–20 digits');
const unitId = z.string().trim().min(1).max(64).regex(/^[\w.-]+$/);

export const vulnerabilities = ['elderly', 'minor', 'disabled', 'mental_illness', 'pregnant', 'low_income', 'serious_illness'] as const;

export const PartyInput = z.object({
  role: z.enum(['applicant', 'respondent', 'third_party', 'petitioner', 'respondent_org', 'agent']),
  kind: z.enum(['person', 'organisation']).default('person'),
  name: text(100),
  idType: z.string().regex(/^\d{2,3}$/, 'GA/T 517 证件代码: 2–3 digits').optional(),
  idNumber: z.string().trim().regex(/^[0-9A-Za-z]{6,30}$/, 'ID numbers are 6–30 letters and digits').optional(),
  phone: phone.optional(),
  address: optText(300),
  sex: z.enum(['1', '2', '9']).optional(),           // GB/T 2261.1
  ethnicity: z.string().regex(/^\d{2}$/).optional(),  // GB/T 3304
  education: z.string().regex(/^\d{2}$/).optional(),  // GB/T 4658
  personType: optText(40),                             // 主要当事人人员类别
  birthYear: z.number().int().min(1900).max(2100).optional(),
  vulnerable: z.array(z.enum(vulnerabilities)).max(7).optional(),
  orgCode: z.string().trim().regex(/^[0-9A-HJ-NPQRTUWXY]{18}$/, '统一社会信用代码: 18 characters').optional(),
}).strict();
export type PartyInputT = z.infer<typeof PartyInput>;

const DisputeRecord = {
  occurredOn: date.optional(),
  scale: z.enum(['ordinary', 'larger', 'major', 'especially_major']).optional(),
  peopleInvolved: z.number().int().min(1).max(100000).optional(),
  unitsInvolved: optText(300),
  source: z.enum(['application', 'proactive', 'court', 'procuratorate', 'police', 'petition', 'department', 'hotline', 'grid']).optional(),
  method: z.enum(['people', 'administrative', 'judicial', 'industry']).optional(),
  limitOn: date.optional(),
};

export const DisputeCreate = z.object({
  categoryCode: category,
  title: text(200),
  description: text(2000),
  regionCode: region,
  address: optText(300),
  urgency: z.enum(['normal', 'urgent']).default('normal'),
  ...DisputeRecord,
  parties: z.array(PartyInput).min(1).max(50),
}).strict();
export type DisputeCreateT = z.infer<typeof DisputeCreate>;

/** The GB/T 31000 record's fields a mediator completes later (化解情况, 考评 …). */
export const DisputeRecordPatch = z.object({
  ...DisputeRecord,
  address: optText(300),
  resultText: optText(2000),
  evaluatedOn: date.optional(),
  evaluation: optText(2000),
}).strict().refine((v) => Object.keys(v).length > 0, { message: 'change at least one field' });

export const PartiesAdd = z.object({ parties: z.array(PartyInput).min(1).max(50) }).strict();
export const Reveal = z.object({ purpose: text(200) }).strict();

/** 靶向分流 and 四包: the organisation (its level follows), the lead mediator and the four roles. */
export const Assignment = z.object({
  orgId: id,
  leadMediatorId: id,
  investigateBy: id, mediateBy: id, concludeBy: id, followUpBy: id,
}).strict();

export const InvestigationCreate = z.object({
  investigatedAt: z.iso.datetime({ offset: true }),
  place: optText(200),
  investigator: text(100),
  interviewee: text(200),
  content: text(5000),
}).strict();

export const SessionCreate = z.object({
  scheduledAt: z.iso.datetime({ offset: true }),
  place: optText(200),
  onlineLink: z.url({ protocol: /^https?$/ }).max(500).optional(),
  participants: z.array(z.object({ partyId: id.optional(), name: text(100), role: optText(40) }).strict()).min(1).max(50),
  mediatorIds: z.array(id).max(10).default([]),
}).strict().refine((v) => v.place || v.onlineLink, { message: 'give a place or an online link', path: ['place'] });

export const SessionMinutes = z.object({ minutes: text(20000) }).strict();

export const AgreementDraft = z.object({
  content: text(5000),
  signedPlace: optText(200),
  /** 回访: the planned follow-up visit; it shows in the lists once due and the agreement has been performed. */
  followUpOn: date,
  obligations: z.array(z.object({
    /** 义务人: every obligation names the party who owes it */
    obligorPartyId: id,
    description: text(1000),
    dueOn: date,
    amount: z.number().min(0).max(1e11).optional(),
  }).strict()).max(50),
}).strict();

/** A signature drawn on a phone or tablet: a PNG as a data URL. */
export const SignatureCreate = z.object({
  partyId: id.optional(),
  signer: z.enum(['party', 'mediator']).default('party'),
  image: z.string().max(700_000).regex(/^data:image\/png;base64,[A-Za-z0-9+/=]+$/, 'a PNG data URL (data:image/png;base64,…)'),
}).strict();

export const ObligationRecord = z.object({
  status: z.enum(['performed', 'breached']),
  note: optText(1000),
}).strict();

export const FollowUpRecord = z.object({
  method: z.enum(['visit', 'phone', 'online']),
  content: text(2000),
  satisfaction: z.enum(['satisfied', 'basically_satisfied', 'unsatisfied']),
}).strict();

export const DockingDraft = z.object({
  kind: z.enum(['court', 'arbitration', 'petition', 'procuratorate', 'police']),
  receiver: text(200),
  note: optText(2000),
}).strict();

export const DisputeListQuery = z.object({
  open: z.enum(['true', 'false']).optional(),
  risk: z.enum(['medium', 'high', 'critical']).optional(),
  region: z.string().regex(/^\d{6,16}$/).optional(),
  page: z.coerce.number().int().min(1).max(1000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
}).strict();

export const OrgCreate = z.object({
  regionCode: region,
  level: z.enum(['district', 'street', 'community']),
  kind: z.enum(['centre', 'committee', 'room']),
  name: text(100),
  specialties: z.array(category).max(30).default([]),
  brand: z.boolean().default(false),
  brandName: optText(100),
  address: optText(300),
  phone: phone.optional(),
}).strict();

export const MediatorCreate = z.object({
  orgId: id,
  name: text(50),
  title: optText(50),
  phone: phone.optional(),
  userId: id.optional(),
  specialties: z.array(category).max(30).default([]),
  gold: z.boolean().default(false),
  maxLoad: z.number().int().min(1).max(200).default(10),
}).strict();

export const MediatorPatch = z.object({
  gold: z.boolean().optional(),
  active: z.boolean().optional(),
  specialties: z.array(category).max(30).optional(),
  maxLoad: z.number().int().min(1).max(200).optional(),
}).strict().refine((v) => Object.keys(v).length > 0, { message: 'change at least one field' });

export const OrgListQuery = z.object({ region: z.string().regex(/^\d{6,16}$/).optional() }).strict();

// ---------------------------------------------------------------------------------------------
// Petitions

export const PetitionCreate = z.object({
  categoryCode: category,
  title: text(200),
  description: text(5000),
  regionCode: region,
  address: optText(300),
  form: z.enum(['letter', 'visit', 'call', 'online']),
  petitioners: z.number().int().min(1).max(100000).default(1),
  respondent: optText(200),
  parties: z.array(PartyInput).min(1).max(50),
}).strict();
export type PetitionCreateT = z.infer<typeof PetitionCreate>;

export const BacklogMark = z.object({ reason: text(500) }).strict();

export const LeaderAssignment = z.object({
  leaders: z.array(z.object({
    role: z.enum(['county_leader', 'department', 'township', 'police_officer']),
    /** a user of the platform (GET /api/v1/petitions/:id/leader-candidates) */
    userId: id,
    title: optText(100),
    responsibility: optText(100),
  }).strict()).length(4),
}).strict().refine((v) => new Set(v.leaders.map((l) => l.role)).size === 4, { message: 'one each: county_leader, department, township, police_officer', path: ['leaders'] });

export const LeaderCandidateQuery = z.object({
  q: z.string().trim().max(50).optional(),
  pageSize: z.coerce.number().int().min(1).max(100).default(30),
}).strict();

export const ReceptionDayCreate = z.object({
  regionCode: region,
  leaderName: text(50),
  leaderTitle: text(100),
  day: date,
  startsAt: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM'),
  endsAt: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM'),
  place: text(200),
  topics: optText(500),
  capacity: z.number().int().min(1).max(500).default(10),
}).strict().refine((v) => v.startsAt < v.endsAt, { message: 'ends after it starts', path: ['endsAt'] });

export const BookingCreate = z.object({
  name: text(50),
  phone: phone.optional(),
  matter: text(1000),
  caseId: id.optional(),
}).strict();

export const BookingUpdate = z.object({ status: z.enum(['received', 'cancelled']), outcome: optText(2000) }).strict();

export const PetitionListQuery = z.object({
  open: z.enum(['true', 'false']).optional(),
  repeat: z.enum(['true', 'false']).optional(),
  backlog: z.enum(['true', 'false']).optional(),
  /** 超期: open petitions past the last day of their current step */
  overdue: z.enum(['true']).optional(),
  region: z.string().regex(/^\d{6,16}$/).optional(),
  page: z.coerce.number().int().min(1).max(1000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
}).strict();

export const StatsQuery = z.object({
  region: z.string().regex(/^\d{6,16}$/).optional(),
  from: date.optional(),
  to: date.optional(),
  by: z.enum(['category', 'level', 'org', 'mediator', 'region']).default('category'),
}).strict();
export type StatsQueryT = z.infer<typeof StatsQuery>;

export { unitId };
