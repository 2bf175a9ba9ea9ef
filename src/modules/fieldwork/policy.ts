// Who may do what in the grid worker's day (deny by default; STYLE habit 6). Grid workers and community
// staff (网格长) do field work in their own territory; streets and the command centre read the follow-up
// lists of the communities below them.
import type { Role } from '../../platform/auth/actor.ts';
import { definePolicy } from '../../platform/policy.ts';

const FIELD: Role[] = ['grid_worker', 'community'];

export const fieldworkPolicy = definePolicy({
  'fieldwork.day': { roles: FIELD, what: { zh: '查看今日工作安排', en: 'see the day plan (今日)' } },
  'fieldwork.visit': { roles: FIELD, what: { zh: '记录入户走访并上报走访中发现的问题', en: 'record household visits and file the cases they find' } },
  'fieldwork.patrol': { roles: FIELD, what: { zh: '开始、记录和结束巡查', en: 'start, track and stop patrols' } },
  'fieldwork.plan': { roles: FIELD, what: { zh: '制定、调整和取消走访计划', en: 'plan visits to registry households and persons (走访计划), move and cancel them' } },
  'fieldwork.plan.assign': { roles: ['community'], what: { zh: '为辖区网格人员安排走访计划（由网格长安排）', en: 'plan visits for the field staff of one\'s territory (the 网格长)' } },
  'fieldwork.residents': { roles: ['command_centre', 'street_centre', 'community', 'grid_worker'], what: { zh: '按姓名、姓氏、地址或身份证号查找居民', en: 'find residents by name, surname, address or ID number' } },
  'fieldwork.followups': { roles: ['command_centre', 'street_centre', 'community', 'grid_worker'], what: { zh: '查看重点人员到期和逾期的随访', en: 'read key-person follow-ups due and overdue' } },
});
export type FieldworkAbility = keyof typeof fieldworkPolicy.abilities;
