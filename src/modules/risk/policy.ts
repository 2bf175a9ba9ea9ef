// Who may do what in risk prevention (deny by default; STYLE habit 6). The region scope comes from
// platform/scope.ts; alerts and hazards are also open to the unit responsible for them, and counselling
// notes only to their counsellor and the counsellor's supervisor (checked per record in counselling.ts).
import type { Actor, Role } from '../../platform/auth/actor.ts';
import { definePolicy } from '../../platform/policy.ts';
import { regionScope } from '../../platform/scope.ts';

const territory: Role[] = ['command_centre', 'street_centre', 'community', 'grid_worker'];
const centres: Role[] = ['command_centre', 'street_centre'];

export const riskPolicy = definePolicy({
  'risk.read': { roles: [...territory, 'department'], what: { zh: '查看风险隐患台账和预警', en: 'read the risk register and alerts' } },
  'risk.register.write': { roles: territory, what: { zh: '登记风险隐患或修改台账条目', en: 'register hazards or edit register entries' } },
  'risk.alert.handle': { roles: ['command_centre', 'street_centre', 'community', 'department'], what: { zh: '处置预警（确认、指派、转为案件、排除）', en: 'handle alerts (acknowledge, assign, turn into a case, dismiss)' } },
  'risk.rule.read': { roles: [...centres, 'admin'], what: { zh: '查看预警规则', en: 'read early-warning rules' } },
  'risk.rule.write': { roles: [...centres, 'admin'], what: { zh: '编辑预警规则', en: 'write early-warning rules' } },
  'risk.sensor.read': { roles: [...territory, 'department', 'admin'], what: { zh: '查看感知设备及其读数', en: 'see sensors and their readings' } },
  // device gateways post batches as a service account of the command centre
  'risk.sensor.ingest': { roles: ['command_centre', 'admin'], what: { zh: '上传感知设备读数', en: 'post sensor readings' } },
  'risk.check.fill': { roles: ['grid_worker', 'community'], what: { zh: '填报日排查', en: 'fill in daily checks (日排查)' } },
  'risk.check.read': { roles: ['command_centre', 'street_centre', 'community'], what: { zh: '查看日排查、日点名和日报告', en: 'read daily checks, the roll call and daily reports' } },
  'risk.check.template': { roles: centres, what: { zh: '修改日排查清单', en: 'edit the daily checklist' } },
  'risk.keyperson.refer': { roles: ['command_centre', 'street_centre', 'community'], what: { zh: '将重点人员转介给心理咨询师', en: 'refer key persons to counsellors' } },
  'risk.counsellor.manage': { roles: centres, what: { zh: '维护心理人才库', en: 'keep the register of counsellors (心理人才库)' } },
  // counsellors and their supervisors are staff of any unit; each note is checked against them by name
  'risk.counselling.note': { roles: ['command_centre', 'street_centre', 'community', 'department'], what: { zh: '填写心理辅导记录', en: 'keep counselling notes' } },
  'risk.assessment.read': { roles: [...centres, 'department'], what: { zh: '查看社会稳定风险评估（稳评）', en: 'read stability risk assessments (稳评)' } },
  'risk.assessment.write': { roles: [...centres, 'department'], what: { zh: '开展社会稳定风险评估（稳评）', en: 'carry out stability risk assessments (稳评)' } },
  'risk.decision.approve': { roles: ['command_centre'], what: { zh: '审批重大决策', en: 'approve major decisions' } },
});
export type RiskAbility = keyof typeof riskPolicy.abilities;

/** SQL true for rows in the actor's territory, or held by the actor's unit in one of `unitColumns`. */
export function scopeOrUnitSql(actor: Actor, alias: string, params: unknown[], unitColumns: string[], leveled = true): string {
  const parts = [regionScope(actor).sql(alias, params, leveled)];
  if (actor.unitId && unitColumns.length) {
    params.push(actor.unitId);
    parts.push(...unitColumns.map((c) => `${alias}.${c} = $${params.length}`));
  }
  return `(${parts.join(' OR ')})`;
}
