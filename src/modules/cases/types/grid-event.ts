// 网格事件: a grid worker reports; small matters are handled on the spot (小事不出村); the rest go up.
import type { Role } from '../../../platform/auth/actor.ts';
import type { CaseTypeDef } from '../definition.ts';
import { changeType, DAY, F, handlingLoop, HOUR, S, withSystemDispatch } from './shared.ts';

const open = ['reported', 'accepted', 'dispatched', 'handling', 'suspended', 'replied', 'verified'];
const dispatchers: Role[] = ['community', 'street_centre', 'command_centre'];

export const gridEventV1: CaseTypeDef = {
  type: 'grid_event',
  version: 1,
  name: { zh: '网格事件', en: 'Grid event' },
  initial: 'reported',
  intake: { roles: ['grid_worker', 'community', 'street_centre', 'command_centre'], defaultFor: ['grid_worker', 'community'], prefix: 'WG' },
  states: {
    reported: { label: S.reported, clock: { limit: 4 * HOUR }, inbox: 'intake' },
    accepted: { label: S.accepted, clock: { limit: 4 * HOUR }, inbox: 'dispatch' },
    dispatched: { label: S.dispatched, clock: { limit: 2 * HOUR }, inbox: 'sign' },
    handling: { label: S.handling, clock: { limit: 'category' }, inbox: 'handling' },
    suspended: { label: S.suspended, clock: 'paused', inbox: 'paused' },
    replied: { label: S.replied, clock: { limit: 1 * DAY }, inbox: 'review' },
    verified: { label: S.verified, clock: { limit: 4 * HOUR }, inbox: 'closing' },
    closed: { label: S.closed, terminal: 'resolved' },
    rejected: { label: S.rejected, terminal: 'declined' },
    merged: { label: S.merged, terminal: 'duplicate' },
  },
  actions: [
    { name: 'self_close', label: { zh: '自行处置结案', en: 'Self-handle and close' }, from: ['reported'], to: 'closed', roles: ['grid_worker'], party: 'reporter', fields: [F.result, F.photos], public: true, style: 'primary' },
    { name: 'accept', label: { zh: '受理', en: 'Accept' }, from: ['reported'], to: 'accepted', roles: dispatchers, party: 'scope', fields: [F.note], public: true, style: 'primary' },
    { name: 'reject', label: { zh: '不予受理', en: 'Reject' }, from: ['reported'], to: 'rejected', roles: dispatchers, party: 'scope', fields: [F.reason], public: true, style: 'danger' },
    ...handlingLoop(dispatchers, ['grid_worker', 'community', 'street_centre'], {
      waiting: 'accepted', dispatched: 'dispatched', handling: 'handling', paused: 'suspended', replied: 'replied',
      afterVerify: 'verified', open, mergeable: ['reported', 'accepted'], merged: 'merged',
    }),
    { name: 'close', label: { zh: '结案', en: 'Close' }, from: ['verified'], to: 'closed', roles: dispatchers, party: 'scope', fields: [F.note], public: true, style: 'primary', context: ['closing_condition'] },
  ],
};

/** Version 2 adds 自动派单. */
export const gridEventV2 = withSystemDispatch(gridEventV1, 'dispatched');

/** Version 3: an event can become another type of case (a hazard, a dispute …) before it is dispatched. */
export const gridEvent: CaseTypeDef = {
  ...gridEventV2,
  version: 3,
  actions: [...gridEventV2.actions, changeType(['reported', 'accepted'], dispatchers)],
};
