// 信访 (petition): one definition on the one case engine, following 《信访工作条例》 (2022): registration
// and a decision on acceptance, 交办 to the responsible unit, handling and a written answer, 复查 and 复核
// on request, and the end. Deadlines are counted in calendar days by the module (data/petition-limits.json),
// not by the engine's working-time clock, so no state here has a clock.
import type { ActionDef, CaseTypeDef, Label } from '../../cases/index.ts';
import { fields as F } from '../../cases/index.ts';
import type { Role } from '../../../platform/auth/actor.ts';

const L = (zh: string, en: string): Label => ({ zh, en });
/** 信访部门: the street's 信访办 (street centre) and the district's 信访局 (command centre). */
const office: Role[] = ['street_centre', 'command_centre'];
const handlers: Role[] = ['department', 'street_centre', 'community'];
const superior: Role[] = ['command_centre'];

const open = ['petition_registered', 'petition_accepted', 'petition_assigned', 'petition_handling', 'petition_answered',
  'petition_reviewing', 'petition_review_answered', 'petition_rechecking'];
const answer = { name: 'note', kind: 'note', required: true, label: L('处理意见', 'Written answer') } as const;

const act = (a: Omit<ActionDef, 'party' | 'roles'> & { roles?: Role[] }): ActionDef => ({ party: 'scope', roles: office, ...a });

export const petition: CaseTypeDef = {
  type: 'petition',
  version: 1,
  name: L('信访事项', 'Petition'),
  initial: 'petition_registered',
  intake: { roles: ['community', 'street_centre', 'command_centre'], prefix: 'XF' },
  states: {
    petition_registered: { label: L('已登记待受理', 'Registered'), inbox: 'intake', public: true },
    petition_accepted: { label: L('已受理待交办', 'Accepted'), inbox: 'dispatch' },
    petition_assigned: { label: L('已交办待签收', 'Assigned'), inbox: 'sign' },
    petition_handling: { label: L('办理中', 'Handling'), inbox: 'handling' },
    petition_answered: { label: L('已答复', 'Answered'), inbox: 'closing' },
    petition_reviewing: { label: L('复查中', 'Under review'), inbox: 'review' },
    petition_review_answered: { label: L('复查已答复', 'Review answered'), inbox: 'closing' },
    petition_rechecking: { label: L('复核中', 'Under re-examination'), inbox: 'review' },
    petition_concluded: { label: L('已办结', 'Concluded'), terminal: 'resolved' },
    petition_not_accepted: { label: L('不予受理', 'Not accepted'), terminal: 'declined' },
  },
  actions: [
    act({ name: 'accept_petition', label: L('受理', 'Accept'), from: ['petition_registered'], to: 'petition_accepted', fields: [F.note], effect: 'mediation.petition_accept', public: true, style: 'primary' }),
    act({ name: 'refuse_petition', label: L('不予受理', 'Do not accept'), from: ['petition_registered'], to: 'petition_not_accepted', fields: [F.reason], effect: 'mediation.petition_refuse', public: true, style: 'danger' }),
    act({ name: 'assign_petition', label: L('交办', 'Assign'), from: ['petition_accepted'], to: 'petition_assigned', fields: [F.lead, F.assists, F.note], effect: 'assign', public: true, style: 'primary', context: ['routing'] }),
    { name: 'sign_petition', label: L('签收', 'Sign for'), from: ['petition_assigned'], to: 'petition_handling', roles: handlers, party: 'lead_unit', fields: [F.note], style: 'primary' },
    { name: 'answer_petition', label: L('出具处理意见', 'Answer'), from: ['petition_handling'], to: 'petition_answered', roles: handlers, party: 'lead_unit', fields: [answer], effect: 'mediation.petition_answer', public: 'with_note', style: 'primary' },
    act({ name: 'extend_petition', label: L('批准延长办理期限', 'Extend the time limit'), from: ['petition_accepted', 'petition_assigned', 'petition_handling'], to: '$same', fields: [F.reason], effect: 'mediation.petition_extend', oversight: true }),
    act({ name: 'request_review', label: L('登记复查请求', 'Register a request for review'), from: ['petition_answered'], to: 'petition_reviewing', fields: [F.note], effect: 'mediation.petition_review_request', public: true }),
    act({ name: 'answer_review', label: L('出具复查意见', 'Review answer'), from: ['petition_reviewing'], to: 'petition_review_answered', roles: superior, fields: [answer], effect: 'mediation.petition_review_answer', public: 'with_note', style: 'primary' }),
    act({ name: 'request_recheck', label: L('登记复核请求', 'Register a request for re-examination'), from: ['petition_review_answered'], to: 'petition_rechecking', roles: superior, fields: [F.note], effect: 'mediation.petition_recheck_request', public: true }),
    act({ name: 'answer_recheck', label: L('出具复核意见(终结)', 'Re-examination answer (final)'), from: ['petition_rechecking'], to: 'petition_concluded', roles: superior, fields: [answer], effect: 'mediation.petition_conclude', public: 'with_note', style: 'primary' }),
    act({
      name: 'conclude_petition', label: L('办结', 'Conclude'), from: ['petition_answered', 'petition_review_answered'], to: 'petition_concluded',
      fields: [{ name: 'petitionerAccepts', kind: 'confirm', label: L('信访人已表示接受处理意见', 'The petitioner accepts the answer'), hint: L('不勾选时，须待复查/复核请求期限届满', 'Unticked, the time to ask for review must have passed') }, F.note],
      effect: 'mediation.petition_conclude', public: true, style: 'primary',
    }),
    { name: 'supervise', label: L('督办', 'Supervise'), from: open, to: '$same', roles: office, party: 'scope', fields: [F.note], effect: 'mark_supervised', oversight: true },
  ],
};
