// Who may do what in the grid worker's day (deny by default; STYLE habit 6). Grid workers and community
// staff (网格长) do field work in their own territory; streets and the command centre read the follow-up
// lists of the communities below them.
import type { Role } from '../../platform/auth/actor.ts';
import { definePolicy } from '../../platform/policy.ts';

const FIELD: Role[] = ['grid_worker', 'community'];

export const fieldworkPolicy = definePolicy({
  'fieldwork.day': { roles: FIELD, what: 'see the day plan (今日)' },
  'fieldwork.visit': { roles: FIELD, what: 'record household visits and file the cases they find' },
  'fieldwork.patrol': { roles: FIELD, what: 'start, track and stop patrols' },
  'fieldwork.plan': { roles: FIELD, what: 'plan visits to registry households and persons (走访计划), move and cancel them' },
  'fieldwork.plan.assign': { roles: ['community'], what: 'plan visits for the field staff of one\'s territory (the 网格长)' },
  'fieldwork.residents': { roles: ['command_centre', 'street_centre', 'community', 'grid_worker'], what: 'find residents by name, surname, address or ID number' },
  'fieldwork.followups': { roles: ['command_centre', 'street_centre', 'community', 'grid_worker'], what: 'read key-person follow-ups due and overdue' },
});
export type FieldworkAbility = keyof typeof fieldworkPolicy.abilities;
