// 部件/事件案件 (GB/T 30428): the supervisor reports, the centre files when the 立案 condition holds,
// dispatches, the supervisor verifies on site, the centre closes. Not auto-dispatched: 立案 needs a person
// to check the filing condition.
import type { Role } from '../../../platform/auth/actor.ts';
import type { CaseTypeDef } from '../definition.ts';
import { changeType, F, handlingLoop, HOUR, S } from './shared.ts';

const open = ['reported', 'filed', 'dispatched', 'handling', 'suspended', 'replied', 'verified'];
const centre: Role[] = ['street_centre', 'command_centre'];

export const urbanV1: CaseTypeDef = {
  type: 'urban',
  version: 1,
  name: { zh: '部件/事件案件', en: 'Urban management case (GB/T 30428)' },
  initial: 'reported',
  intake: { roles: ['grid_worker', 'community', 'street_centre', 'command_centre'], defaultFor: ['street_centre', 'command_centre'], prefix: 'CG' },
  states: {
    reported: { label: S.reported, clock: { limit: 1 * HOUR }, inbox: 'intake' },
    filed: { label: S.filed, clock: { limit: 1 * HOUR }, inbox: 'dispatch' },
    dispatched: { label: S.dispatched, clock: { limit: 1 * HOUR }, inbox: 'sign' },
    handling: { label: S.handling, clock: { limit: 'category' }, inbox: 'handling' },
    suspended: { label: S.suspended, clock: 'paused', inbox: 'paused' },
    replied: { label: S.replied, clock: { limit: 4 * HOUR }, inbox: 'review' },
    verified: { label: S.verified, clock: { limit: 2 * HOUR }, inbox: 'closing' },
    closed: { label: S.closed, terminal: 'resolved' },
    rejected: { label: { zh: '不予立案', en: 'Not filed' }, terminal: 'declined' },
    merged: { label: S.merged, terminal: 'duplicate' },
  },
  actions: [
    { name: 'file', label: { zh: '立案', en: 'File' }, from: ['reported'], to: 'filed', roles: centre, party: 'scope', fields: [F.conditionMet, F.note], effect: 'check_filing_condition', public: true, style: 'primary', context: ['filing_condition'] },
    { name: 'reject', label: { zh: '不予立案', en: 'Do not file' }, from: ['reported'], to: 'rejected', roles: centre, party: 'scope', fields: [F.reason], public: true, style: 'danger' },
    ...handlingLoop(centre, ['grid_worker', 'street_centre'], {
      waiting: 'filed', dispatched: 'dispatched', handling: 'handling', paused: 'suspended', replied: 'replied',
      afterVerify: 'verified', open, mergeable: ['reported', 'filed'], merged: 'merged',
    }),
    { name: 'close', label: { zh: '结案', en: 'Close' }, from: ['verified'], to: 'closed', roles: centre, party: 'scope', fields: [F.note], public: true, style: 'primary', context: ['closing_condition'] },
  ],
};

/** Version 2: a case can become another type of case before it is dispatched. */
export const urban: CaseTypeDef = {
  ...urbanV1,
  version: 2,
  actions: [...urbanV1.actions, changeType(['reported', 'filed'], centre)],
};
