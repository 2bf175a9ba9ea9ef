// 派遣的范围: to which units an actor may send a case (as its lead or an assisting unit). Written once, here:
// the dispatch effects (assign, tiered_assign, pass_on) refuse a unit outside it, and the console's unit
// picker offers what GET /api/v1/cases/:id/targets lists from it, so the two cannot drift apart.
//
// The rule, by the level of the actor's region (the territory is the platform's one region scope):
// - the district level (区指挥中心, 12345 centre) and the system (自动派单): any unit of the case's district;
//   a city-level centre likewise, within the case's district (a case is handled in the district it lies in);
// - a street centre (街道综治中心): the units of its own street, and the district's departments (区级职能部门);
// - a community (社区/村委会): only the units within its own community. What needs the street or a department
//   goes up by 吹哨 (whistle, summoning units to report in) or 吹哨上升一级 (escalate), not by dispatch.
// Besides, a street or a community may name the units of the responsibility list's (权责清单) rule for the
// case when that rule was made for a region within its own territory: the administrators have decided that
// those units handle that matter there (a 居委会 handing a 物业投诉 to the property manager the list names
// for its community). A district-wide rule (路灯 → 城管局) does not let a community dispatch to 城管局.
// No level reaches a unit of another district.
import type { Actor } from '../../platform/auth/actor.ts';
import type { Bilingual } from '../../platform/errors.ts';
import { regionScope } from '../../platform/scope.ts';
import { actorLevel } from './facts.ts';

export interface UnitPlace { id: string; kind: string; region_code: string }

export interface Reach {
  /** Whether the actor may send the case to this unit (territory only; the effect's kinds are checked apart). */
  allows(unit: UnitPlace): boolean;
  /** Why a unit outside the reach is refused, for this actor's level. */
  refusal(unitName: string): Bilingual;
}

/** The responsibility list's rule for a case: its units and the region it was made for (routing.ts responsibleUnits). */
export interface ResponsibleRule { units: readonly string[]; regionPrefix: string }

/**
 * The reach of `actor` (null: the system) for a case of `districtCode`; `rule` is the responsibility list's rule
 * for the case, if any.
 */
export function dispatchReach(actor: Actor | null, districtCode: string, rule: ResponsibleRule | null = null): Reach {
  const inDistrict = (u: UnitPlace) => u.region_code.startsWith(districtCode);
  const level = actor ? actorLevel(actor) : 'district';
  const scope = actor ? regionScope(actor) : null;
  const byLevel = (u: UnitPlace): boolean => {
    if (!scope || level === 'district' || level === 'city') return true;
    if (scope.within(u.region_code)) return true;
    if (rule && rule.units.includes(u.id) && scope.within(rule.regionPrefix)) return true;
    // a street centre also sends to the district's own departments (not to another street's units)
    return level === 'street' && u.kind === 'department' && u.region_code === districtCode;
  };
  return {
    allows: (u) => inDistrict(u) && byLevel(u),
    refusal: (name) => {
      if (level === 'community') {
        return {
          zh: `“${name}”不在本社区范围内：社区只能派遣给本社区的单位，需要街道或职能部门处置的，请吹哨或吹哨上升一级。`,
          en: `"${name}" is not within your community: a community dispatches only to units within its own community; for the street or a department, blow the whistle or escalate it.`,
        };
      }
      if (level === 'street') {
        return {
          zh: `“${name}”不在本街道范围内：街道综治中心只能派遣给本街道的单位和区级职能部门。`,
          en: `"${name}" is outside your street: a street centre dispatches to the units of its own street and to the district's departments.`,
        };
      }
      return { zh: `“${name}”不属于案件所在区县，不能派遣。`, en: `"${name}" is not a unit of the case's district.` };
    },
  };
}
