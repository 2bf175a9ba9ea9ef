// Building blocks the built-in case types share: field declarations, state labels and the handling loop
// (dispatch → sign → handle → reply → verify, with time, supervision and 吹哨报到). A type's own file
// composes these into its one definition; nothing outside the definitions names a state or an action.
import type { Role } from '../../../platform/auth/actor.ts';
import type { ActionDef, FieldDef, Label } from '../definition.ts';

const L = (zh: string, en: string): Label => ({ zh, en });

export const F = {
  note: { name: 'note', kind: 'note', label: L('办理意见', 'Note') },
  result: { name: 'note', kind: 'note', required: true, label: L('处置结果', 'Handling result') },
  answer: { name: 'note', kind: 'note', required: true, label: L('答复内容', 'Answer') },
  reason: { name: 'reason', kind: 'reason', required: true, label: L('理由', 'Reason') },
  lead: { name: 'leadUnitId', kind: 'unit', required: true, label: L('主办单位', 'Lead unit') },
  assists: { name: 'assistUnitIds', kind: 'units', label: L('协办单位', 'Assisting units') },
  extension: {
    name: 'extensionMinutes', kind: 'minutes', required: true, label: L('延期时长', 'Extension'),
    hint: L('按工作时间计算，1个工作日 = 7小时', 'In working time; one working day is 7 hours'),
  },
  extensionOptional: {
    name: 'extensionMinutes', kind: 'minutes', label: L('批准的延期时长', 'Extension granted'),
    hint: L('不填则按申请的时长批准', 'Leave empty to grant what was asked'),
  },
  rating: { name: 'rating', kind: 'rating', required: true, label: L('满意度', 'Rating') },
  summons: { name: 'units', kind: 'summons', required: true, label: L('召集单位', 'Summoned units') },
  intoCase: { name: 'intoCaseId', kind: 'case', required: true, label: L('并入案件', 'Merge into case') },
  conditionMet: { name: 'conditionMet', kind: 'confirm', required: true, label: L('经核实，符合该类事项的立案条件', 'Checked: the filing condition of this category holds') },
  photos: { name: 'attachmentIds', kind: 'photos', label: L('现场照片', 'Photos') },
  reveal: { name: 'reporter', kind: 'reveal', label: L('来电人', 'Caller') },
  toType: { name: 'toType', kind: 'case_type', required: true, label: L('转为', 'Change to') },
  superviseMinutes: {
    name: 'superviseMinutes', kind: 'minutes', required: true, label: L('督办时限', 'Supervision deadline'),
    hint: L('按工作时间计算，到期未办结计入督办超期', 'In working time; a case still open then is overdue under supervision'),
  },
  returnLead: { name: 'leadUnitId', kind: 'unit', required: true, label: L('承办单位', 'Handling unit') },
  category: { name: 'categoryCode', kind: 'category', label: L('新分类', 'New category'), hint: L('新类型不使用原分类时必填', 'Required when the new type does not use the current category') },
} satisfies Record<string, FieldDef>;

/** State labels shared by the built-in types. */
export const S = {
  return_review: L('退回待审', 'Return under review'),
  reported: L('待受理', 'Reported'),
  accepted: L('待派遣', 'Accepted'),
  filed: L('已立案', 'Filed'),
  dispatched: L('待签收', 'Dispatched'),
  handling: L('处置中', 'Handling'),
  suspended: L('挂账', 'Suspended'),
  replied: L('待核查', 'Replied'),
  verified: L('待结案', 'Verified'),
  awaiting_callback: L('待回访', 'Awaiting call-back'),
  reopened: L('不满意重办', 'Reopened for redo'),
  closed: L('已结案', 'Closed'),
  rejected: L('不予受理', 'Rejected'),
  merged: L('已合并', 'Merged'),
} satisfies Record<string, Label>;

export const HOUR = 60;
/** One working day of the default calendar. */
export const DAY = 7 * HOUR;

const handlers: Role[] = ['department', 'street_centre', 'community'];
const summonable: Role[] = ['department', 'street_centre', 'community', 'command_centre'];
const whistlers: Role[] = ['community', 'street_centre', 'command_centre'];
const supervisors: Role[] = ['street_centre', 'command_centre'];

export interface LoopStates {
  /** The state where a case waits to be dispatched (受理/立案 done). */
  waiting: string;
  dispatched: string;
  handling: string;
  paused: string;
  replied: string;
  /** Where a passed verification goes. */
  afterVerify: string;
  /** Every open state, for oversight. */
  open: string[];
  /** States from which a case can be merged into another, and the state it then ends in. */
  mergeable: string[];
  merged: string;
}

/**
 * The actions every type shares once a case is with a unit: dispatch, sign, return, extension, pause,
 * reply, verification, supervision, merge, whistle and report-in.
 */
export function handlingLoop(dispatchers: Role[], verifiers: Role[], s: LoopStates): ActionDef[] {
  const working = [s.dispatched, s.handling];
  return [
    { name: 'dispatch', label: L('派遣', 'Dispatch'), from: [s.waiting], to: s.dispatched, roles: dispatchers, party: 'scope', fields: [F.lead, F.assists, F.note], effect: 'assign', public: true, style: 'primary', context: ['routing', 'category'] },
    { name: 'sign', label: L('签收', 'Sign for'), from: [s.dispatched], to: s.handling, roles: handlers, party: 'lead_unit', fields: [F.note], public: true, style: 'primary' },
    { name: 'return', label: L('退回', 'Return'), from: working, to: s.waiting, roles: handlers, party: 'lead_unit', fields: [F.reason], effect: 'unassign', style: 'danger' },
    { name: 'request_extension', label: L('申请延期', 'Request extension'), from: [s.handling], to: '$same', roles: handlers, party: 'lead_unit', fields: [F.extension, F.reason], guard: 'no_pending_extension', effect: 'extension_request' },
    { name: 'approve_extension', label: L('批准延期', 'Approve extension'), from: [s.handling], to: '$same', roles: dispatchers, party: 'scope', fields: [F.extensionOptional, F.note], guard: 'pending_extension', effect: 'extension_grant', oversight: true, style: 'primary' },
    { name: 'reject_extension', label: L('驳回延期', 'Reject extension'), from: [s.handling], to: '$same', roles: dispatchers, party: 'scope', fields: [F.reason], guard: 'pending_extension', effect: 'extension_refusal', oversight: true, style: 'danger' },
    { name: 'suspend', label: L('挂账', 'Suspend'), from: working, to: s.paused, roles: dispatchers, party: 'scope', fields: [F.reason], public: true, oversight: true },
    { name: 'resume', label: L('恢复办理', 'Resume'), from: [s.paused], to: '$prev', roles: dispatchers, party: 'scope', fields: [F.note], public: true, oversight: true, style: 'primary' },
    { name: 'reply', label: L('处置反馈', 'Reply'), from: [s.handling], to: s.replied, roles: handlers, party: 'lead_unit', fields: [F.result, F.photos], public: 'with_note', style: 'primary' },
    { name: 'verify_pass', label: L('核查通过', 'Verify: pass'), from: [s.replied], to: s.afterVerify, roles: verifiers, party: 'scope', fields: [F.note, F.photos], public: true, style: 'primary' },
    { name: 'verify_fail', label: L('核查不通过(返工)', 'Verify: fail (rework)'), from: [s.replied], to: s.handling, roles: verifiers, party: 'scope', fields: [F.reason, F.photos], effect: 'count_rework', style: 'danger' },
    { name: 'supervise', label: L('督办', 'Supervise'), from: s.open, to: '$same', roles: supervisors, party: 'scope', fields: [F.note], effect: 'mark_supervised', oversight: true },
    { name: 'urge', label: L('催办', 'Urge'), from: s.open, to: '$same', roles: [...supervisors, 'hotline_operator'], party: 'scope', fields: [F.note], effect: 'count_urge', oversight: true },
    { name: 'merge', label: L('合并重复件', 'Merge duplicate'), from: s.mergeable, to: s.merged, roles: dispatchers, party: 'scope', fields: [F.intoCase, F.note], effect: 'merge_into', public: true, oversight: true, context: ['duplicates'] },
    { name: 'whistle', label: L('吹哨', 'Blow the whistle'), from: [s.waiting, ...working], to: '$same', roles: whistlers, party: 'scope', fields: [F.summons, F.note], guard: 'whistle_level', effect: 'summon_units', oversight: true },
    { name: 'escalate', label: L('吹哨上升一级', 'Escalate whistle'), from: [s.waiting, ...working], to: '$same', roles: whistlers, party: 'scope', fields: [F.note], guard: 'escalation_level', effect: 'raise_whistle_level', oversight: true },
    { name: 'report_in', label: L('报到', 'Report in'), from: [s.waiting, ...working, s.paused], to: '$same', roles: summonable, party: 'summoned_unit', fields: [F.note], guard: 'summons_open', effect: 'summons_report_in', style: 'primary' },
    { name: 'whistle_reply', label: L('吹哨反馈', 'Whistle reply'), from: [s.waiting, ...working, s.paused], to: '$same', roles: summonable, party: 'summoned_unit', fields: [F.result, F.photos], guard: 'summons_reported', effect: 'summons_reply', style: 'primary' },
  ];
}

/** A change of type (a 12345 ticket becomes a dispute …): the new type's workflow starts at its entry state. */
export function changeType(from: string[], roles: Role[]): ActionDef {
  return {
    name: 'change_type', label: L('转换案件类型', 'Change case type'), from, to: '$entry', roles, party: 'scope',
    fields: [F.toType, F.category, F.reason], effect: 'switch_type', public: true, oversight: true,
  };
}

/**
 * Version 2 of a workflow adds 自动派单: the system may dispatch a freshly reported case straight to the
 * unit the text model and the responsibility list name, when the model is confident enough.
 */
export function withSystemDispatch<T extends { version: number; initial: string; actions: ActionDef[] }>(def: T, dispatched: string): T {
  const dispatch = def.actions.find((a) => a.effect === 'assign')!;
  return {
    ...def,
    version: def.version + 1,
    actions: [...def.actions, { ...dispatch, from: [def.initial], to: dispatched, roles: 'system', party: 'scope' }],
  };
}
