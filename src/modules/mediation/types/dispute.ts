// 矛盾纠纷 (dispute): one definition on the one case engine. Application and acceptance, 靶向分流 to a level
// and an organisation with the 四包 roles named, investigation, mediation sessions, an agreement or a
// failure, performance obligation by obligation, 司法确认, follow-up visits (回访), and the dockings
// (诉调, 仲调, 访调, 检调, 警调) of a failed mediation. States and actions share no name with another type.
// The module's records move with the workflow through its effects (effects.ts), named by what they do.
import type { ActionDef, CaseTypeDef, FieldDef, Label } from '../../cases/index.ts';
import { fields as F, DAY, HOUR } from '../../cases/index.ts';
import type { Role } from '../../../platform/auth/actor.ts';

const L = (zh: string, en: string): Label => ({ zh, en });
const mediators: Role[] = ['community', 'street_centre', 'command_centre'];
const supervisors: Role[] = ['street_centre', 'command_centre'];
const text = (name: string, label: Label, required = true, hint?: Label): FieldDef => ({ name, kind: 'note', required, label, ...(hint ? { hint } : {}) });

const open = ['dispute_applied', 'dispute_triage', 'dispute_investigating', 'dispute_mediating', 'dispute_performing', 'dispute_confirming',
  'dispute_follow_up', 'dispute_failed', 'dispute_docked'];

const act = (a: Omit<ActionDef, 'party' | 'roles'> & { roles?: Role[] }): ActionDef => ({ party: 'scope', roles: mediators, ...a });

export const dispute: CaseTypeDef = {
  type: 'dispute',
  version: 1,
  name: L('矛盾纠纷', 'Dispute'),
  initial: 'dispute_applied',
  intake: {
    roles: ['grid_worker', 'community', 'street_centre', 'command_centre'],
    prefix: 'TJ',
    convertFrom: ['hotline', 'grid_event'],
    onEnter: 'mediation.dispute_open',
  },
  states: {
    dispute_applied: { label: L('待受理', 'Applied'), clock: { limit: 1 * DAY }, inbox: 'intake', public: true },
    dispute_triage: { label: L('待分流', 'To route'), clock: { limit: 4 * HOUR }, inbox: 'dispatch' },
    dispute_investigating: { label: L('调查中', 'Investigating'), clock: { limit: 3 * DAY }, inbox: 'handling' },
    dispute_mediating: { label: L('调解中', 'Mediating'), clock: { limit: 'category' }, inbox: 'handling' },
    dispute_performing: { label: L('协议履行中', 'Agreement being performed'), inbox: 'handling' },
    dispute_confirming: { label: L('司法确认中', 'Judicial confirmation'), inbox: 'review' },
    dispute_follow_up: { label: L('待回访', 'Follow-up'), inbox: 'callback' },
    dispute_failed: { label: L('调解不成', 'Mediation failed'), clock: { limit: 2 * DAY }, inbox: 'closing' },
    dispute_docked: { label: L('已对接移交', 'Docked'), inbox: 'review' },
    dispute_resolved: { label: L('已化解', 'Resolved'), terminal: 'resolved' },
    dispute_ended: { label: L('已终结', 'Ended'), terminal: 'resolved' },
    dispute_declined: { label: L('不予受理', 'Not accepted'), terminal: 'declined' },
  },
  actions: [
    act({ name: 'accept_dispute', label: L('受理', 'Accept'), from: ['dispute_applied'], to: 'dispute_triage', fields: [F.note], effect: 'mediation.dispute_accept', public: true, style: 'primary' }),
    act({ name: 'decline_dispute', label: L('不予受理', 'Decline'), from: ['dispute_applied'], to: 'dispute_declined', fields: [F.reason], effect: 'mediation.dispute_decline', public: true, style: 'danger' }),
    act({
      name: 'route_dispute', label: L('靶向分流', 'Route'), from: ['dispute_triage'], to: 'dispute_investigating', fields: [F.note],
      effect: 'mediation.dispute_route', public: true, style: 'primary',
    }),
    act({ name: 'start_mediation', label: L('开始调解', 'Start mediation'), from: ['dispute_investigating'], to: 'dispute_mediating', fields: [F.note], effect: 'mediation.mediation_start', style: 'primary' }),
    act({ name: 'reach_agreement', label: L('达成调解协议', 'Agreement reached'), from: ['dispute_mediating'], to: 'dispute_performing', fields: [F.note], effect: 'mediation.agreement_conclude', public: true, style: 'primary' }),
    act({ name: 'mediation_fails', label: L('调解不成', 'Mediation failed'), from: ['dispute_mediating'], to: 'dispute_failed', fields: [F.reason], effect: 'mediation.mediation_fail', public: true, style: 'danger' }),
    act({ name: 'complete_performance', label: L('协议履行完毕', 'Performance complete'), from: ['dispute_performing'], to: 'dispute_follow_up', fields: [F.note], effect: 'mediation.performance_complete', public: true, style: 'primary' }),
    act({ name: 'performance_breached', label: L('协议未履行', 'Agreement not performed'), from: ['dispute_performing'], to: 'dispute_failed', fields: [F.reason], effect: 'mediation.performance_breach', style: 'danger' }),
    act({
      name: 'apply_confirmation', label: L('申请司法确认', 'Apply for judicial confirmation'), from: ['dispute_performing'], to: 'dispute_confirming',
      fields: [text('court', L('受理法院', 'Court')), F.note], effect: 'mediation.confirmation_apply', public: true,
    }),
    act({
      name: 'confirmation_granted', label: L('司法确认有效', 'Confirmed by the court'), from: ['dispute_confirming'], to: 'dispute_performing',
      fields: [text('rulingNo', L('裁定书文号', 'Ruling number')), F.note], effect: 'mediation.confirmation_grant', public: true, style: 'primary',
    }),
    act({
      name: 'confirmation_refused', label: L('司法确认驳回', 'Confirmation refused'), from: ['dispute_confirming'], to: 'dispute_failed',
      fields: [text('rulingNo', L('裁定书文号', 'Ruling number'), false), F.reason], effect: 'mediation.confirmation_refuse', public: true, style: 'danger',
    }),
    act({ name: 'close_dispute', label: L('回访完毕，结案', 'Followed up: close'), from: ['dispute_follow_up'], to: 'dispute_resolved', fields: [F.note], effect: 'mediation.follow_up_close', public: true, style: 'primary' }),
    act({ name: 'dock_dispute', label: L('对接移交', 'Dock and transfer'), from: ['dispute_failed'], to: 'dispute_docked', fields: [F.note], effect: 'mediation.docking_transfer', public: true, style: 'primary' }),
    act({
      name: 'close_docking', label: L('登记对接结果并终结', 'Record docking result and end'), from: ['dispute_docked'], to: 'dispute_ended',
      fields: [text('result', L('对接处理结果', 'Result of the docking'))], effect: 'mediation.docking_conclude', public: true, style: 'primary',
    }),
    act({ name: 'end_dispute', label: L('终结', 'End'), from: ['dispute_failed'], to: 'dispute_ended', fields: [F.reason], effect: 'mediation.dispute_end', public: true, style: 'danger' }),
    { name: 'supervise', label: L('督办', 'Supervise'), from: open, to: '$same', roles: supervisors, party: 'scope', fields: [F.note], effect: 'mark_supervised', oversight: true },
  ],
};

/** The dispute workflow's own effects, by what they do (the module's service reads phases from these). */
export const disputeEffects = {
  open: 'mediation.dispute_open',
  route: 'mediation.dispute_route',
  start: 'mediation.mediation_start',
  agreement: 'mediation.agreement_conclude',
  performance: 'mediation.performance_complete',
  followUp: 'mediation.follow_up_close',
  docking: 'mediation.docking_transfer',
  dockingResult: 'mediation.docking_conclude',
} as const;
