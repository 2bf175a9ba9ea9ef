// 12345 工单: accept, answer directly or dispatch, review the reply, call back and rate; 不满意 → 重办.
import type { CaseTypeDef } from '../definition.ts';
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
export const hotline: CaseTypeDef = {
  ...hotlineV3,
  version: 4,
  intake: { ...hotlineV3.intake, onCall: 'answer_on_call' },
  actions: [
    ...hotlineV3.actions,
    { name: 'answer_on_call', label: { zh: '即时办结', en: 'Answered on the call' }, from: ['reported'], to: answeredOnCall, roles: [...operator], party: 'scope', fields: [F.answer], public: 'with_note', style: 'primary' },
  ],
};
