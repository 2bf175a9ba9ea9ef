// What the logged-in user may do comes from the server (GET /api/v1/auth/me → abilities): the console
// decides every menu entry, route and button from these, and keeps no role lists of its own.
import type { Me } from '../api/types.ts';

export const can = (me: Pick<Me, 'abilities'> | null | undefined, ability: string): boolean => !!me?.abilities?.includes(ability);

/**
 * The two report forms: the field form (phone-first: a photo, the spot, 小事不出村) files the role's default
 * type, and is the report entry of those who report where they patrol and of residents; the desk form
 * (callers, channels, every case type the role may file) is the others' entry.
 */
export function reportForm(me: Pick<Me, 'abilities'>): '/report' | '/cases/new' | null {
  if (!can(me, 'case.report')) return null;
  return can(me, 'grid.patrol.write') || !can(me, 'stats.read') ? '/report' : '/cases/new';
}

/**
 * The desk form is open to every staff member who may report, patrollers too: only there can a 社区 file a type
 * other than its default (a 物业投诉 a district added as a document), whichever form its menu starts from.
 */
export const mayFileAtDesk = (me: Pick<Me, 'abilities'>): boolean => can(me, 'case.report') && can(me, 'stats.read');

/** What each console page needs; the routes and the menu both read this, so they cannot drift apart. */
export const pageAbility: Record<string, (me: Pick<Me, 'abilities'>) => boolean> = {
  '/report': (me) => reportForm(me) === '/report',
  '/cases/new': mayFileAtDesk,
  '/inbox': (me) => can(me, 'case.inbox'),
  '/cases': (me) => can(me, 'case.read'),
  '/map': (me) => can(me, 'stats.read'),
  '/dashboard': (me) => can(me, 'stats.read'),
  '/bigscreen': (me) => can(me, 'stats.read'),
  '/registry': (me) => can(me, 'registry.use'),
  '/registry/audit': (me) => can(me, 'registry.audit'),
  // the grid list is the patrol coverage table (GET /api/v1/grids/coverage); a single grid's page is grid.read
  '/grids': (me) => can(me, 'grid.patrol.read'),
  '/grids/*': (me) => can(me, 'grid.read'),
  '/patrols': (me) => can(me, 'grid.patrol.read'),
  '/grid-layers': (me) => can(me, 'grid.layer.read'),
  '/admin': (me) => can(me, 'admin.manage'),
  '/account/security': (me) => can(me, 'account.two_factor'),
  '/mediation': (me) => can(me, 'mediation.read'),
  '/mediation/new': (me) => can(me, 'mediation.register'),
  '/mediation/orgs': (me) => can(me, 'mediation.orgs.read'),
  '/mediation/stats': (me) => can(me, 'mediation.stats'),
  '/petitions': (me) => can(me, 'petition.read'),
  '/petitions/receptions': (me) => can(me, 'petition.reception'),
  '/meetings': (me) => can(me, 'mediation.read'),
  '/risk/register': (me) => can(me, 'risk.read'),
  '/risk/alerts': (me) => can(me, 'risk.read'),
  '/risk/checks': (me) => can(me, 'risk.check.fill') || can(me, 'risk.check.read'),
  '/risk/rules': (me) => can(me, 'risk.rule.read'),
  '/risk/sensors': (me) => can(me, 'risk.sensor.read'),
  '/risk/weekly': (me) => can(me, 'risk.check.read'),
  '/risk/assessments': (me) => can(me, 'risk.assessment.read'),
  '/risk/counselling': (me) => can(me, 'risk.keyperson.refer') || can(me, 'risk.counsellor.manage') || can(me, 'risk.counselling.note'),
  // the grid worker's day (pages/fieldwork)
  '/visit': (me) => can(me, 'fieldwork.visit'),
  '/visit/plans': (me) => can(me, 'fieldwork.plan'),
  '/visits': (me) => can(me, 'fieldwork.visit'),
  '/patrol': (me) => can(me, 'fieldwork.patrol'),
  '/residents': (me) => can(me, 'fieldwork.residents'),
  '/knowledge': (me) => can(me, 'knowledge.read'),
  '/participation': (me) => can(me, 'participation.vote.cast') || can(me, 'participation.wish.claim'),
  '/participation/manage': (me) => can(me, 'participation.read'),
  '/participation/volunteers': (me) => can(me, 'participation.read'),
  '/participation/emergency': (me) => can(me, 'participation.read'),
  '/participation/topics': (me) => can(me, 'participation.read'),
  '/participation/announcements': (me) => can(me, 'participation.read'),
  '/participation/points': (me) => can(me, 'participation.points.manage'),
};

/** Whether a pageAbility entry covers a path: itself and the pages below it; `/x/*` only the pages below /x. */
const covers = (key: string, path: string) => (key.endsWith('/*')
  ? path.startsWith(key.slice(0, -1)) && path.length > key.length - 1
  : path === key || path.startsWith(`${key}/`));

/** Whether the user may open a console path (the longest matching entry decides; unlisted paths are open to every user). */
export function mayOpen(me: Pick<Me, 'abilities'>, path: string): boolean {
  const key = Object.keys(pageAbility).filter((k) => covers(k, path)).sort((a, b) => b.length - a.length)[0];
  return key ? pageAbility[key](me) : true;
}
