// Workflows as data (DESIGN rule 2; STYLE habit 3). A case type lists its states and the transitions
// between them: which action, from which states, to which state, who may do it. One engine reads these.
import type { Role } from '../../platform/auth/actor.ts';

export type Label = { zh: string; en: string };

export const actionNames = [
  'accept', 'reject', 'file', 'dispatch', 'sign', 'return', 'request_extension', 'approve_extension',
  'reject_extension', 'suspend', 'resume', 'reply', 'verify_pass', 'verify_fail', 'close', 'call_back', 'rate',
  'supervise', 'urge', 'merge', 'whistle', 'escalate', 'report_in', 'whistle_reply', 'answer_directly',
  'self_close', 'redo',
] as const;
export type ActionName = (typeof actionNames)[number];
/** Facts the engine records that no user chooses: overdue flags and the report itself. */
export type SystemFact = 'report' | 'overdue' | 'whistle_overdue' | 'merged_in';

export interface StateDef {
  label: Label;
  terminal?: boolean;
  /** Time limit of the step that starts in this state: working minutes, or the category's handling limit. */
  limit?: number | 'category';
  /** A system action applied as soon as the case enters this state (e.g. 不满意 → 重办). */
  auto?: ActionName;
}

/**
 * Who among the allowed roles may act: anyone in the case's territorial scope, the lead unit's staff,
 * the person who reported the case, or the staff of a unit summoned by a whistle.
 */
export type Party = 'scope' | 'lead_unit' | 'reporter' | 'summoned_unit';

export interface TransitionDef {
  action: ActionName;
  from: string[];
  /** '$same' keeps the state; '$prev' returns to the state before suspension; a branch picks by an input field. */
  to: string | '$same' | '$prev' | { field: string; map: Record<string, string> };
  roles: Role[] | 'system';
  party: Party;
}

export interface WorkflowDef {
  type: CaseType;
  version: number;
  name: Label;
  initial: string;
  states: Record<string, StateDef>;
  transitions: TransitionDef[];
}

export const caseTypes = ['hotline', 'grid_event', 'urban'] as const;
export type CaseType = (typeof caseTypes)[number];

const S = {
  reported: { zh: '待受理', en: 'Reported' },
  accepted: { zh: '待派遣', en: 'Accepted' },
  filed: { zh: '已立案', en: 'Filed' },
  dispatched: { zh: '待签收', en: 'Dispatched' },
  handling: { zh: '处置中', en: 'Handling' },
  suspended: { zh: '挂账', en: 'Suspended' },
  replied: { zh: '待核查', en: 'Replied' },
  verified: { zh: '待结案', en: 'Verified' },
  awaiting_callback: { zh: '待回访', en: 'Awaiting call-back' },
  reopened: { zh: '不满意重办', en: 'Reopened for redo' },
  closed: { zh: '已结案', en: 'Closed' },
  rejected: { zh: '不予受理', en: 'Rejected' },
  merged: { zh: '已合并', en: 'Merged' },
} satisfies Record<string, Label>;

const HOUR = 60;
const DAY = 7 * HOUR; // one working day of the default calendar

const handlers: Role[] = ['department', 'street_centre', 'community'];
const summonable: Role[] = ['department', 'street_centre', 'community', 'command_centre'];
const whistlers: Role[] = ['community', 'street_centre', 'command_centre'];
const supervisors: Role[] = ['street_centre', 'command_centre'];

/** Transitions every type shares once a case is with a unit: handling, time, supervision, whistle. */
function handlingLoop(dispatchers: Role[], verifiers: Role[], afterVerify: string, openStates: string[], waitingForDispatch: string): TransitionDef[] {
  const working = ['dispatched', 'handling'];
  return [
    { action: 'dispatch', from: [waitingForDispatch], to: 'dispatched', roles: dispatchers, party: 'scope' },
    { action: 'sign', from: ['dispatched'], to: 'handling', roles: handlers, party: 'lead_unit' },
    { action: 'return', from: working, to: waitingForDispatch, roles: handlers, party: 'lead_unit' },
    { action: 'request_extension', from: ['handling'], to: '$same', roles: handlers, party: 'lead_unit' },
    { action: 'approve_extension', from: ['handling'], to: '$same', roles: dispatchers, party: 'scope' },
    { action: 'reject_extension', from: ['handling'], to: '$same', roles: dispatchers, party: 'scope' },
    { action: 'suspend', from: working, to: 'suspended', roles: dispatchers, party: 'scope' },
    { action: 'resume', from: ['suspended'], to: '$prev', roles: dispatchers, party: 'scope' },
    { action: 'reply', from: ['handling'], to: 'replied', roles: handlers, party: 'lead_unit' },
    { action: 'verify_pass', from: ['replied'], to: afterVerify, roles: verifiers, party: 'scope' },
    { action: 'verify_fail', from: ['replied'], to: 'handling', roles: verifiers, party: 'scope' },
    { action: 'supervise', from: openStates, to: '$same', roles: supervisors, party: 'scope' },
    { action: 'urge', from: openStates, to: '$same', roles: [...supervisors, 'hotline_operator'], party: 'scope' },
    { action: 'merge', from: ['reported', waitingForDispatch], to: 'merged', roles: dispatchers, party: 'scope' },
    { action: 'whistle', from: [waitingForDispatch, ...working], to: '$same', roles: whistlers, party: 'scope' },
    { action: 'escalate', from: [waitingForDispatch, ...working], to: '$same', roles: whistlers, party: 'scope' },
    { action: 'report_in', from: [waitingForDispatch, ...working, 'suspended'], to: '$same', roles: summonable, party: 'summoned_unit' },
    { action: 'whistle_reply', from: [waitingForDispatch, ...working, 'suspended'], to: '$same', roles: summonable, party: 'summoned_unit' },
  ];
}

// 12345 工单: accept, answer directly or dispatch, review the reply, call back and rate; 不满意 → 重办.
const hotlineOpen = ['reported', 'accepted', 'dispatched', 'handling', 'suspended', 'replied', 'awaiting_callback'];
export const hotlineWorkflow: WorkflowDef = {
  type: 'hotline',
  version: 1,
  name: { zh: '12345工单', en: '12345 hotline ticket' },
  initial: 'reported',
  states: {
    reported: { label: S.reported, limit: 1 * HOUR },
    accepted: { label: S.accepted, limit: 2 * HOUR },
    dispatched: { label: S.dispatched, limit: 2 * HOUR },
    handling: { label: S.handling, limit: 'category' },
    suspended: { label: S.suspended },
    replied: { label: S.replied, limit: 1 * DAY },
    awaiting_callback: { label: S.awaiting_callback, limit: 1 * DAY },
    reopened: { label: S.reopened, auto: 'redo' },
    closed: { label: S.closed, terminal: true },
    rejected: { label: S.rejected, terminal: true },
    merged: { label: S.merged, terminal: true },
  },
  transitions: [
    { action: 'accept', from: ['reported'], to: 'accepted', roles: ['hotline_operator'], party: 'scope' },
    { action: 'reject', from: ['reported'], to: 'rejected', roles: ['hotline_operator'], party: 'scope' },
    { action: 'answer_directly', from: ['accepted'], to: 'awaiting_callback', roles: ['hotline_operator'], party: 'scope' },
    ...handlingLoop(['hotline_operator'], ['hotline_operator'], 'awaiting_callback', hotlineOpen, 'accepted'),
    {
      action: 'call_back', from: ['awaiting_callback'], roles: ['hotline_operator'], party: 'scope',
      to: { field: 'rating', map: { satisfied: 'closed', basically_satisfied: 'closed', unsatisfied: 'reopened' } },
    },
    {
      action: 'rate', from: ['awaiting_callback'], roles: ['resident'], party: 'reporter',
      to: { field: 'rating', map: { satisfied: 'closed', basically_satisfied: 'closed', unsatisfied: 'reopened' } },
    },
    { action: 'redo', from: ['reopened'], to: 'dispatched', roles: 'system', party: 'scope' },
  ],
};

// 网格事件: a grid worker reports; small matters are handled on the spot (小事不出村); the rest go up.
const gridOpen = ['reported', 'accepted', 'dispatched', 'handling', 'suspended', 'replied', 'verified'];
const gridDispatchers: Role[] = ['community', 'street_centre', 'command_centre'];
export const gridEventWorkflow: WorkflowDef = {
  type: 'grid_event',
  version: 1,
  name: { zh: '网格事件', en: 'Grid event' },
  initial: 'reported',
  states: {
    reported: { label: S.reported, limit: 4 * HOUR },
    accepted: { label: S.accepted, limit: 4 * HOUR },
    dispatched: { label: S.dispatched, limit: 2 * HOUR },
    handling: { label: S.handling, limit: 'category' },
    suspended: { label: S.suspended },
    replied: { label: S.replied, limit: 1 * DAY },
    verified: { label: S.verified, limit: 4 * HOUR },
    closed: { label: S.closed, terminal: true },
    rejected: { label: S.rejected, terminal: true },
    merged: { label: S.merged, terminal: true },
  },
  transitions: [
    { action: 'self_close', from: ['reported'], to: 'closed', roles: ['grid_worker'], party: 'reporter' },
    { action: 'accept', from: ['reported'], to: 'accepted', roles: gridDispatchers, party: 'scope' },
    { action: 'reject', from: ['reported'], to: 'rejected', roles: gridDispatchers, party: 'scope' },
    ...handlingLoop(gridDispatchers, ['grid_worker', 'community', 'street_centre'], 'verified', gridOpen, 'accepted'),
    { action: 'close', from: ['verified'], to: 'closed', roles: gridDispatchers, party: 'scope' },
  ],
};

// 部件/事件案件 (GB/T 30428): the supervisor reports, the centre files when the 立案 condition holds,
// dispatches, the supervisor verifies on site, the centre closes.
const urbanOpen = ['reported', 'filed', 'dispatched', 'handling', 'suspended', 'replied', 'verified'];
const urbanCentre: Role[] = ['street_centre', 'command_centre'];
export const urbanWorkflow: WorkflowDef = {
  type: 'urban',
  version: 1,
  name: { zh: '部件/事件案件', en: 'Urban management case (GB/T 30428)' },
  initial: 'reported',
  states: {
    reported: { label: S.reported, limit: 1 * HOUR },
    filed: { label: S.filed, limit: 1 * HOUR },
    dispatched: { label: S.dispatched, limit: 1 * HOUR },
    handling: { label: S.handling, limit: 'category' },
    suspended: { label: S.suspended },
    replied: { label: S.replied, limit: 4 * HOUR },
    verified: { label: S.verified, limit: 2 * HOUR },
    closed: { label: S.closed, terminal: true },
    rejected: { label: { zh: '不予立案', en: 'Not filed' }, terminal: true },
    merged: { label: S.merged, terminal: true },
  },
  transitions: [
    { action: 'file', from: ['reported'], to: 'filed', roles: urbanCentre, party: 'scope' },
    { action: 'reject', from: ['reported'], to: 'rejected', roles: urbanCentre, party: 'scope' },
    ...handlingLoop(urbanCentre, ['grid_worker', 'street_centre'], 'verified', urbanOpen, 'filed'),
    { action: 'close', from: ['verified'], to: 'closed', roles: urbanCentre, party: 'scope' },
  ],
};

/**
 * Version 2 of a workflow adds 自动派单: the system may dispatch a freshly reported case straight to
 * the unit the text model and the responsibility list name, when the model is confident enough
 * (intelligence module, GONGZHI_AUTO_DISPATCH_THRESHOLD). Cases begun on version 1 keep version 1.
 * 部件/事件案件 are not auto-dispatched: 立案 needs a person to check the filing condition.
 */
function withSystemDispatch(def: WorkflowDef): WorkflowDef {
  return {
    ...def,
    version: def.version + 1,
    transitions: [...def.transitions, { action: 'dispatch', from: [def.initial], to: 'dispatched', roles: 'system', party: 'scope' }],
  };
}
export const hotlineWorkflowV2 = withSystemDispatch(hotlineWorkflow);
export const gridEventWorkflowV2 = withSystemDispatch(gridEventWorkflow);

export const builtinWorkflows: WorkflowDef[] = [hotlineWorkflow, gridEventWorkflow, urbanWorkflow, hotlineWorkflowV2, gridEventWorkflowV2];

export const actionLabels: Record<ActionName | SystemFact, Label> = {
  report: { zh: '上报', en: 'Report' },
  accept: { zh: '受理', en: 'Accept' },
  reject: { zh: '不予受理', en: 'Reject' },
  file: { zh: '立案', en: 'File' },
  dispatch: { zh: '派遣', en: 'Dispatch' },
  sign: { zh: '签收', en: 'Sign for' },
  return: { zh: '退回', en: 'Return' },
  request_extension: { zh: '申请延期', en: 'Request extension' },
  approve_extension: { zh: '批准延期', en: 'Approve extension' },
  reject_extension: { zh: '驳回延期', en: 'Reject extension' },
  suspend: { zh: '挂账', en: 'Suspend' },
  resume: { zh: '恢复办理', en: 'Resume' },
  reply: { zh: '处置反馈', en: 'Reply' },
  verify_pass: { zh: '核查通过', en: 'Verify: pass' },
  verify_fail: { zh: '核查不通过(返工)', en: 'Verify: fail (rework)' },
  close: { zh: '结案', en: 'Close' },
  call_back: { zh: '回访', en: 'Call back' },
  rate: { zh: '评价', en: 'Rate' },
  supervise: { zh: '督办', en: 'Supervise' },
  urge: { zh: '催办', en: 'Urge' },
  merge: { zh: '合并', en: 'Merge' },
  whistle: { zh: '吹哨', en: 'Blow the whistle' },
  escalate: { zh: '吹哨上升一级', en: 'Escalate whistle' },
  report_in: { zh: '报到', en: 'Report in' },
  whistle_reply: { zh: '吹哨反馈', en: 'Whistle reply' },
  answer_directly: { zh: '直接答复', en: 'Answer directly' },
  self_close: { zh: '自行处置结案', en: 'Self-handle and close' },
  redo: { zh: '重办', en: 'Redo' },
  overdue: { zh: '超期', en: 'Overdue' },
  whistle_overdue: { zh: '报到超期', en: 'Report-in overdue' },
  merged_in: { zh: '并入重复件', en: 'Duplicate merged in' },
};

/** Checks the definitions themselves: every state named in a transition exists, the initial state is not terminal. */
export function validateWorkflow(def: WorkflowDef): string[] {
  const errors: string[] = [];
  const has = (s: string) => s in def.states;
  if (!has(def.initial)) errors.push(`initial state ${def.initial} is not declared`);
  for (const t of def.transitions) {
    for (const f of t.from) if (!has(f)) errors.push(`${t.action}: from-state ${f} is not declared`);
    const targets = typeof t.to === 'string' ? [t.to] : Object.values(t.to.map);
    for (const to of targets) if (!to.startsWith('$') && !has(to)) errors.push(`${t.action}: to-state ${to} is not declared`);
  }
  for (const [name, s] of Object.entries(def.states)) {
    if (s.auto && !def.transitions.some((t) => t.action === s.auto && t.from.includes(name))) {
      errors.push(`state ${name}: auto action ${s.auto} has no transition from it`);
    }
  }
  return errors;
}
