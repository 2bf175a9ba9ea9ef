// Who may do what in participation (deny by default; STYLE habit 6). Staff act in their territory
// (platform/scope.ts); residents act for themselves, in the region their account is linked to
// (residents.ts). A wish is claimed by whoever may claim, wherever they work: units and volunteers
// help across the city.
import type { Role } from '../../platform/auth/actor.ts';
import { definePolicy } from '../../platform/policy.ts';

const territory: Role[] = ['command_centre', 'street_centre', 'community', 'grid_worker'];
const organisers: Role[] = ['command_centre', 'street_centre', 'community'];

export const participationPolicy = definePolicy({
  'participation.read': { roles: territory, what: 'see votes, wishes and residents\' participation in your territory' },
  'participation.vote.manage': { roles: organisers, what: 'set up, close and publish votes, and record paper ballots' },
  'participation.vote.cast': { roles: ['resident'], what: 'vote' },
  'participation.wish.post': { roles: ['community', 'grid_worker', 'resident'], what: 'post a 微心愿 (a resident, or a worker on their behalf)' },
  'participation.wish.claim': { roles: ['community', 'grid_worker', 'department', 'resident'], what: 'claim and fulfil a 微心愿' },
  'participation.moderate': { roles: organisers, what: 'moderate residents\' content (hide, merge, answer)' },
  'participation.points.manage': { roles: organisers, what: 'set point rules, award and deduct points, stock the points shop and decide appeals' },
  'participation.points.use': { roles: ['resident'], what: 'redeem points at the points shop and appeal point entries' },
  'participation.procedure.run': { roles: ['street_centre', 'community'], what: 'run a 四议两公开 procedure (record its steps)' },
  'participation.survey.manage': { roles: organisers, what: 'set up surveys (问卷) and their sampling' },
  'participation.survey.enter': { roles: ['community', 'grid_worker'], what: 'enter survey answers taken by phone' },
  'participation.survey.answer': { roles: ['resident'], what: 'answer a survey' },
  'participation.topic.propose': { roles: ['resident'], what: 'propose and support 议事 topics' },
  'participation.announce': { roles: organisers, what: 'publish announcements to the residents of a region' },
  'participation.volunteer.join': { roles: ['resident'], what: 'join the volunteers, sign up for activities and tasks, and check in' },
  'participation.volunteer.manage': { roles: organisers, what: 'form volunteer teams and set up volunteer activities' },
  'participation.mobilise': { roles: ['command_centre', 'street_centre'], what: 'switch a region to emergency (平战转换) and back to normal' },
  'participation.resident.link': { roles: ['community', 'grid_worker'], what: 'link a resident account to its registry person' },
});
export type ParticipationAbility = keyof typeof participationPolicy.abilities;
