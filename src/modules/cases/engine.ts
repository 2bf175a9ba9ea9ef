// The one engine: given a workflow, the case's facts, an actor and an action, decide what happens.
// Pure functions over plain data, so every edge can be tested without HTTP or a database.
import type { Actor, Role } from '../../platform/auth/actor.ts';
import { inPrefixes, scopePrefixes } from '../../platform/scope.ts';
import type { ActionName, TransitionDef, WorkflowDef } from './workflow.ts';

export interface AssignmentFacts {
  unitId: string;
  role: 'lead' | 'assist' | 'summoned';
  status: 'active' | 'returned' | 'done' | 'withdrawn';
  reportedInAt: Date | null;
  repliedAt: Date | null;
}

export interface CaseFacts {
  state: string;
  prevState: string | null;
  regionCode: string;
  leadUnitId: string | null;
  reporterUserId: number | null;
  whistleLevel: WhistleLevel | null;
  extensionPending: boolean;
  assignments: AssignmentFacts[];
}

export type Refusal =
  | 'unknown_action'       // no such action in this case type
  | 'invalid_transition'   // not allowed in the current state
  | 'forbidden_action'     // the actor's role may not do it
  | 'not_party'            // right role, but not the unit/person this case waits for
  | 'precondition_failed'; // allowed edge, but a guard does not hold (no pending extension, …)

export type Decision =
  | { ok: true; transition: TransitionDef; to: string }
  | { ok: false; reason: Refusal; message: string };

export const whistleLevels = ['community', 'street', 'district', 'city'] as const;
export type WhistleLevel = (typeof whistleLevels)[number];

/** The level an actor whistles at follows from the depth of their region. */
export function actorLevel(actor: Pick<Actor, 'regionCode'>): WhistleLevel {
  const n = actor.regionCode.length;
  if (n >= 12) return 'community';
  if (n >= 9) return 'street';
  if (n >= 6) return 'district';
  return 'city';
}

const levelIndex = (l: WhistleLevel) => whistleLevels.indexOf(l);

function partyHolds(t: TransitionDef, facts: CaseFacts, actor: Actor): boolean {
  switch (t.party) {
    case 'scope': return inPrefixes(facts.regionCode, scopePrefixes(actor));
    case 'lead_unit': return !!actor.unitId && actor.unitId === facts.leadUnitId;
    case 'reporter': return facts.reporterUserId === actor.id;
    case 'summoned_unit': return !!actor.unitId && facts.assignments.some(
      (a) => a.role === 'summoned' && a.status === 'active' && a.unitId === actor.unitId);
  }
}

/** Guards that depend on the case's facts beyond its state. Returns a message when the guard fails. */
function guard(action: ActionName, facts: CaseFacts, actor: Actor): string | null {
  const mySummons = facts.assignments.find(
    (a) => a.role === 'summoned' && a.status === 'active' && a.unitId === actor.unitId);
  switch (action) {
    case 'request_extension':
      return facts.extensionPending ? 'An extension request is already waiting for a decision.' : null;
    case 'approve_extension': case 'reject_extension':
      return facts.extensionPending ? null : 'There is no extension request to decide.';
    case 'whistle': {
      const current = facts.whistleLevel;
      if (current && levelIndex(actorLevel(actor)) < levelIndex(current)) {
        return `The whistle is already at ${current} level; only that level or above may whistle now.`;
      }
      return null;
    }
    case 'escalate': {
      const mine = actorLevel(actor);
      const current = facts.whistleLevel ?? mine;
      if (current !== mine) return `The whistle is at ${current} level; only that level may escalate it.`;
      if (mine === 'city') return 'The city level is the top; there is no level to escalate to.';
      return null;
    }
    case 'report_in':
      return mySummons && !mySummons.reportedInAt ? null : 'Your unit has already reported in, or was not summoned.';
    case 'whistle_reply':
      if (!mySummons?.reportedInAt) return 'Report in (报到) before replying to the whistle.';
      return mySummons.repliedAt ? 'Your unit has already replied to this whistle.' : null;
    default:
      return null;
  }
}

export function decide(def: WorkflowDef, facts: CaseFacts, action: string, actor: Actor, input: Record<string, unknown> = {}): Decision {
  const candidates = def.transitions.filter((t) => t.action === action);
  if (!candidates.length) {
    return { ok: false, reason: 'unknown_action', message: `"${action}" is not an action of ${def.name.en} cases.` };
  }
  const inState = candidates.filter((t) => t.from.includes(facts.state));
  if (!inState.length) {
    return { ok: false, reason: 'invalid_transition', message: `"${action}" is not possible while the case is ${facts.state}.` };
  }
  const byRole = inState.filter((t) => t.roles !== 'system' && (t.roles as Role[]).includes(actor.role));
  if (!byRole.length) {
    return { ok: false, reason: 'forbidden_action', message: `A ${actor.role} may not ${action} this case.` };
  }
  const t = byRole.find((c) => partyHolds(c, facts, actor));
  if (!t) {
    return { ok: false, reason: 'not_party', message: `This case is not waiting for you or your unit to ${action} it.` };
  }
  const failed = guard(t.action, facts, actor);
  if (failed) return { ok: false, reason: 'precondition_failed', message: failed };
  return { ok: true, transition: t, to: targetState(t, facts, input) };
}

/** For system actions (redo, scheduler facts): no actor checks, only the edge. */
export function decideSystem(def: WorkflowDef, facts: CaseFacts, action: ActionName): Decision {
  const t = def.transitions.find((c) => c.action === action && c.roles === 'system' && c.from.includes(facts.state));
  if (!t) return { ok: false, reason: 'invalid_transition', message: `system action ${action} is not possible in ${facts.state}` };
  return { ok: true, transition: t, to: targetState(t, facts, {}) };
}

function targetState(t: TransitionDef, facts: CaseFacts, input: Record<string, unknown>): string {
  if (t.to === '$same') return facts.state;
  if (t.to === '$prev') return facts.prevState ?? facts.state;
  if (typeof t.to === 'string') return t.to;
  const v = String(input[t.to.field] ?? '');
  return t.to.map[v] ?? facts.state;
}

/** Exactly the actions the current state and this actor allow (the console shows these buttons). */
export function availableActions(def: WorkflowDef, facts: CaseFacts, actor: Actor): ActionName[] {
  const seen = new Set<ActionName>();
  for (const t of def.transitions) {
    if (seen.has(t.action) || t.roles === 'system') continue;
    if (decide(def, facts, t.action, actor).ok) seen.add(t.action);
  }
  return [...seen];
}

/** Actions that keep a case moving forward, as opposed to oversight that is possible in many states. */
const oversight = new Set<ActionName>([
  'supervise', 'urge', 'merge', 'whistle', 'escalate', 'suspend', 'resume', 'reject', 'approve_extension', 'reject_extension',
]);

/** States in which a role's scope-party work waits for it, per workflow (drives the inbox). */
export function inboxStates(def: WorkflowDef, role: Role): string[] {
  const states = new Set<string>();
  for (const t of def.transitions) {
    if (t.roles === 'system' || oversight.has(t.action) || t.party !== 'scope') continue;
    if ((t.roles as Role[]).includes(role)) t.from.forEach((s) => states.add(s));
  }
  return [...states];
}
