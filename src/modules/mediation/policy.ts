// Who may do what in mediation and petitions (deny by default). Which workflow step a role may take is
// the case-type definitions' (types/); this policy holds the module's own records. The territory is the
// region scope (platform/scope.ts): 404 outside it. See docs/abilities.md.
import type { Role } from '../../platform/auth/actor.ts';
import { definePolicy } from '../../platform/policy.ts';

/** Those who mediate: 社区 (村) 调解室, 街道 (镇) 矛调中心, 区矛调中心 (at the command centre). */
const MEDIATORS: Role[] = ['community', 'street_centre', 'command_centre'];
/** 信访部门: the street's 信访办 and the district's 信访局. */
const PETITION_OFFICE: Role[] = ['street_centre', 'command_centre'];

export const mediationPolicy = definePolicy({
  'mediation.read': { roles: MEDIATORS, what: { zh: '查看矛盾纠纷及其记录', en: 'read disputes and their records' } },
  'mediation.register': { roles: [...MEDIATORS, 'grid_worker'], what: { zh: '登记矛盾纠纷（网格员可登记排查中发现的纠纷）', en: 'register disputes (grid workers report the disputes they find)' } },
  'mediation.handle': { roles: MEDIATORS, what: { zh: '维护纠纷记录：当事人、四包、调查、调解、协议、履行、回访、对接', en: 'keep dispute records: parties, 四包, investigation, sessions, agreements, performance, follow-ups, dockings' } },
  'mediation.reveal': { roles: MEDIATORS, what: { zh: '查看当事人的联系方式（须说明用途）', en: 'reveal the contact details of parties for a stated purpose' } },
  'mediation.orgs.read': { roles: MEDIATORS, what: { zh: '查看调解组织和调解员名册', en: 'read the registry of mediation organisations and mediators' } },
  'mediation.orgs.manage': { roles: PETITION_OFFICE, what: { zh: '登记调解组织和调解员', en: 'register mediation organisations and mediators' } },
  'mediation.stats': { roles: MEDIATORS, what: { zh: '查看矛盾纠纷和信访统计', en: 'read dispute and petition statistics' } },
  'petition.read': { roles: [...MEDIATORS, 'department'], what: { zh: '查看信访事项（职能部门仅限交办给本部门的）', en: 'read petitions (departments: those assigned to them)' } },
  'petition.register': { roles: MEDIATORS, what: { zh: '登记信访事项（来信、来访、来电、网上信访）', en: 'register petitions (letters, visits, calls, online)' } },
  'petition.manage': { roles: PETITION_OFFICE, what: { zh: '标记积案、确定包案领导、召开联席会议', en: 'mark backlog cases, assign leaders (领导包案), hold joint meetings' } },
  'petition.reception': { roles: PETITION_OFFICE, what: { zh: '安排领导接访日并为信访人预约', en: 'schedule leader reception days and book petitioners' } },
});
export type MediationAbility = keyof typeof mediationPolicy.abilities;
