// 12345 工单: accept, answer directly or dispatch, review the reply, call back and rate; 不满意 → 重办.
import type { ActionDef, CaseTypeDef } from '../definition.ts';
import type { Role } from '../../../platform/auth/actor.ts';
import { changeType, DAY, F, handlingLoop, HOUR, S, withSystemDispatch } from './shared.ts';

const open = ['reported', 'accepted', 'dispatched', 'handling', 'suspended', 'replied', 'awaiting_callback'];
const operator = ['hotline_operator'] as const;

/** Version 1: the hotline loop as first deployed. */
export const hotlineV1: CaseTypeDef = {
  type: 'hotline',
  version: 1,
  name: { zh: '12345工单', en: '12345 hotline ticket' },
  initial: 'reported',
  intake: { roles: ['hotline_operator', 'resident'], defaultFor: ['hotline_operator', 'resident', 'admin', 'department'], prefix: 'RX' },
  states: {
    reported: { label: S.reported, clock: { limit: 1 * HOUR }, inbox: 'intake' },
    accepted: { label: S.accepted, clock: { limit: 2 * HOUR }, inbox: 'dispatch' },
    dispatched: { label: S.dispatched, clock: { limit: 2 * HOUR }, inbox: 'sign' },
    handling: { label: S.handling, clock: { limit: 'category' }, inbox: 'handling' },
    suspended: { label: S.suspended, clock: 'paused', inbox: 'paused' },
    replied: { label: S.replied, clock: { limit: 1 * DAY }, inbox: 'review' },
    awaiting_callback: { label: S.awaiting_callback, clock: { limit: 1 * DAY }, inbox: 'callback' },
    reopened: { label: S.reopened, auto: 'redo' },
    closed: { label: S.closed, terminal: 'resolved' },
    rejected: { label: S.rejected, terminal: 'declined' },
    merged: { label: S.merged, terminal: 'duplicate' },
  },
  actions: [
    { name: 'accept', label: { zh: '受理', en: 'Accept' }, from: ['reported'], to: 'accepted', roles: [...operator], party: 'scope', fields: [F.note], public: true, style: 'primary' },
    { name: 'reject', label: { zh: '不予受理', en: 'Reject' }, from: ['reported'], to: 'rejected', roles: [...operator], party: 'scope', fields: [F.reason], public: true, style: 'danger' },
    { name: 'answer_directly', label: { zh: '直接答复', en: 'Answer directly' }, from: ['accepted'], to: 'awaiting_callback', roles: [...operator], party: 'scope', fields: [F.answer], public: 'with_note', style: 'primary' },
    ...handlingLoop([...operator], [...operator], {
      waiting: 'accepted', dispatched: 'dispatched', handling: 'handling', paused: 'suspended', replied: 'replied',
      afterVerify: 'awaiting_callback', open, mergeable: ['reported', 'accepted'], merged: 'merged',
    }),
    {
      name: 'call_back', label: { zh: '回访', en: 'Call back' }, from: ['awaiting_callback'], roles: [...operator], party: 'scope',
      to: { field: 'rating', map: { satisfied: 'closed', basically_satisfied: 'closed', unsatisfied: 'reopened' } },
      fields: [F.reveal, F.rating, F.note], effect: 'record_rating', public: true, style: 'primary',
    },
    {
      name: 'rate', label: { zh: '评价', en: 'Rate' }, from: ['awaiting_callback'], roles: ['resident'], party: 'reporter',
      to: { field: 'rating', map: { satisfied: 'closed', basically_satisfied: 'closed', unsatisfied: 'reopened' } },
      fields: [F.rating, F.note], effect: 'record_rating', public: true, style: 'primary',
    },
    { name: 'redo', label: { zh: '重办', en: 'Redo' }, from: ['reopened'], to: 'dispatched', roles: 'system', party: 'scope', effect: 'reassign_last_lead', public: true },
  ],
};

/** Version 2 adds 自动派单 (intelligence module, GONGZHI_AUTO_DISPATCH_THRESHOLD). */
export const hotlineV2 = withSystemDispatch(hotlineV1, 'dispatched');

/** Version 3: a ticket can become another type of case (a dispute …) before it is dispatched. */
export const hotlineV3: CaseTypeDef = {
  ...hotlineV2,
  version: 3,
  actions: [...hotlineV2.actions, changeType(['reported', 'accepted'], ['hotline_operator', 'street_centre', 'command_centre'])],
};

/**
 * 即时办结's callback policy: where a question answered on the call goes. 'closed' ends it there (the
 * caller heard the answer); a district that calls such callers back declares 'awaiting_callback'.
 */
const answeredOnCall = 'closed';

/**
 * Version 4: 即时办结 — a question answered on the call (咨询, from the knowledge base) is filed and closed
 * in one step, without a location.
 */
export const hotlineV4: CaseTypeDef = {
  ...hotlineV3,
  version: 4,
  intake: { ...hotlineV3.intake, onCall: 'answer_on_call' },
  actions: [
    ...hotlineV3.actions,
    { name: 'answer_on_call', label: { zh: '即时办结', en: 'Answered on the call' }, from: ['reported'], to: answeredOnCall, roles: [...operator], party: 'scope', fields: [F.answer], public: 'with_note', style: 'primary' },
  ],
};

/** The centres that review what they dispatched: the district's 12345 centre and command centre, a street centre. */
const reviewers: Role[] = ['hotline_operator', 'command_centre', 'street_centre'];
const handlers: Role[] = ['department', 'street_centre', 'community'];
const working = ['dispatched', 'handling'];

/**
 * Version 5: 三级派单. The district centre dispatches to a street or a department; a street centre passes a
 * ticket it leads on to a community, grid or unit of its street; each is a flow record with its level. A
 * return (退回) waits for the unit that dispatched: approved, the ticket goes back one level (to be
 * dispatched again, or to the street); rejected, back to the handler; at most `returnLimit` returns.
 * Extensions and verification are the dispatching unit's (by default the dispatching centre, not whoever
 * took the call); 督办 carries its level and a deadline and is counted.
 */
function tiered(a: ActionDef): ActionDef[] {
  switch (a.name) {
    case 'dispatch':
      return [{ ...a, roles: a.roles === 'system' ? 'system' : ['hotline_operator', 'command_centre'], effect: 'tiered_assign' }];
    case 'return':
      return [{ ...a, from: working, to: 'return_review', roles: handlers, party: 'lead_unit', guard: 'return_limit', effect: 'return_request' }];
    case 'approve_extension': case 'reject_extension': case 'verify_pass': case 'verify_fail':
      return [{ ...a, roles: reviewers, party: 'dispatcher' }];
    case 'supervise':
      return [{
        name: 'supervise_deadline', label: { zh: '督办', en: 'Supervise' }, from: [...open, 'return_review'], to: '$same', roles: ['street_centre', 'command_centre'],
        party: 'scope', fields: [F.superviseMinutes, F.note], effect: 'supervision_with_deadline', oversight: true,
      }];
    default:
      // oversight over every open state (催办 …) reaches a return under review too
      return [a.oversight && a.from.length === open.length && a.from.every((s) => open.includes(s)) ? { ...a, from: [...open, 'return_review'] } : a];
  }
}

export const hotline: CaseTypeDef = {
  ...hotlineV4,
  version: 5,
  returnLimit: 2,
  states: {
    ...hotlineV4.states,
    // the handler's clock stops while the dispatching unit reviews the return, and runs on if it is refused
    return_review: { label: S.return_review, clock: 'paused', inbox: 'review', public: false },
  },
  actions: [
    ...hotlineV4.actions.flatMap(tiered),
    {
      name: 'redispatch', label: { zh: '再派遣', en: 'Dispatch on' }, from: working, to: 'dispatched', roles: ['street_centre'], party: 'lead_unit',
      fields: [F.lead, F.assists, F.note], effect: 'pass_on', public: true, style: 'primary',
    },
    {
      name: 'approve_return', label: { zh: '同意退回', en: 'Approve return' }, from: ['return_review'], to: 'accepted', roles: reviewers, party: 'dispatcher',
      fields: [F.note], guard: 'dispatched_once', effect: 'return_to_dispatcher', style: 'primary',
    },
    {
      name: 'approve_return', label: { zh: '同意退回', en: 'Approve return' }, from: ['return_review'], to: 'handling', roles: reviewers, party: 'dispatcher',
      fields: [F.note], guard: 'dispatched_down', effect: 'return_to_dispatcher', style: 'primary',
    },
    {
      name: 'reject_return', label: { zh: '不同意退回', en: 'Refuse return' }, from: ['return_review'], to: '$prev', roles: reviewers, party: 'dispatcher',
      fields: [F.reason], style: 'danger',
    },
  ],
};
