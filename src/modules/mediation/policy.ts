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
  'mediation.read': { roles: MEDIATORS, what: 'read disputes and their records' },
  'mediation.register': { roles: [...MEDIATORS, 'grid_worker'], what: 'register disputes (grid workers report the disputes they find)' },
  'mediation.handle': { roles: MEDIATORS, what: 'keep dispute records: parties, 四包, investigation, sessions, agreements, performance, follow-ups, dockings' },
  'mediation.reveal': { roles: MEDIATORS, what: 'reveal the contact details of parties for a stated purpose' },
  'mediation.orgs.read': { roles: MEDIATORS, what: 'read the registry of mediation organisations and mediators' },
  'mediation.orgs.manage': { roles: PETITION_OFFICE, what: 'register mediation organisations and mediators' },
  'mediation.stats': { roles: MEDIATORS, what: 'read dispute and petition statistics' },
  'petition.read': { roles: [...MEDIATORS, 'department'], what: 'read petitions (departments: those assigned to them)' },
  'petition.register': { roles: MEDIATORS, what: 'register petitions (letters, visits, calls, online)' },
  'petition.manage': { roles: PETITION_OFFICE, what: 'mark backlog cases, assign leaders (领导包案), hold joint meetings' },
  'petition.reception': { roles: PETITION_OFFICE, what: 'schedule leader reception days and book petitioners' },
});
export type MediationAbility = keyof typeof mediationPolicy.abilities;
