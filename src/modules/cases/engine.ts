// The one engine: given a case type's definition, the case's facts, an actor and an action, decide what
// happens. Pure functions over plain data, so every edge can be tested without HTTP or a database.
import type { Actor, Role } from '../../platform/auth/actor.ts';
import { roleZh, type Bilingual } from '../../platform/errors.ts';
import { inPrefixes, scopePrefixes } from '../../platform/scope.ts';
import { targetState, type ActionDef, type CaseTypeDef, type Party } from './definition.ts';
import type { CaseFacts } from './facts.ts';
import { guards } from './effects.ts';

export type Refusal =
  | 'unknown_action'       // no such action in this case type
  | 'invalid_transition'   // not allowed in the current state
  | 'forbidden_action'     // the actor's role may not do it
  | 'not_party'            // right role, but not the unit/person this case waits for
  | 'precondition_failed'; // allowed edge, but a guard does not hold (no pending extension, …)

export type Decision =
  | { ok: true; action: ActionDef; to: string }
  | { ok: false; reason: Refusal; message: Bilingual };

function partyHolds(party: Party, facts: CaseFacts, actor: Actor): boolean {
  switch (party) {
    case 'scope': return inPrefixes(facts.regionCode, scopePrefixes(actor));
    case 'lead_unit': return !!actor.unitId && actor.unitId === facts.leadUnitId;
    case 'reporter': return facts.reporterUserId === actor.id;
    case 'summoned_unit': return !!actor.unitId && facts.assignments.some(
      (a) => a.role === 'summoned' && a.status === 'active' && a.unitId === actor.unitId);
    // the unit that dispatched the case; a case the system dispatched: the district level of its territory
    case 'dispatcher': return facts.dispatcherUnitId
      ? !!actor.unitId && actor.unitId === facts.dispatcherUnitId
      : actor.regionCode.length <= 6 && inPrefixes(facts.regionCode, scopePrefixes(actor));
  }
}

const mayAct = (a: ActionDef, role: Role) => a.roles !== 'system' && a.roles.includes(role);

export function decide(def: CaseTypeDef, facts: CaseFacts, action: string, actor: Actor, input: Record<string, unknown> = {}): Decision {
  const candidates = def.actions.filter((a) => a.name === action);
  if (!candidates.length) {
    return { ok: false, reason: 'unknown_action', message: { zh: `“${action.slice(0, 40)}”不是${def.name.zh}案件的操作。`, en: `"${action.slice(0, 40)}" is not an action of ${def.name.en} cases.` } };
  }
  const actionZh = candidates[0].label.zh;
  const stateZh = def.states[facts.state]?.label.zh ?? facts.state;
  const inState = candidates.filter((a) => a.from.includes(facts.state));
  if (!inState.length) {
    return { ok: false, reason: 'invalid_transition', message: { zh: `案件当前为“${stateZh}”，不能${actionZh}。`, en: `"${action}" is not possible while the case is ${facts.state}.` } };
  }
  const byRole = inState.filter((a) => mayAct(a, actor.role));
  if (!byRole.length) {
    return { ok: false, reason: 'forbidden_action', message: { zh: `${roleZh(actor.role)}无权对该案件${actionZh}。`, en: `A ${actor.role} may not ${action} this case.` } };
  }
  const edges = byRole.filter((a) => partyHolds(a.party, facts, actor));
  if (!edges.length) {
    return { ok: false, reason: 'not_party', message: { zh: `该案件不在等待您或您的单位${actionZh}。`, en: `This case is not waiting for you or your unit to ${action} it.` } };
  }
  // edges of one name may differ by guard (a return approved at the first level or below): the first that holds
  let failed: Bilingual | null = null;
  for (const edge of edges) {
    const f = edge.guard ? guards[edge.guard](facts, actor, def) : null;
    if (!f) return { ok: true, action: edge, to: targetState(edge.to, facts.state, facts.prevState, input) };
    failed ??= f;
  }
  return { ok: false, reason: 'precondition_failed', message: failed! };
}

/** For system actions (重办, 自动派单): no actor checks, only the edge. */
export function decideSystem(def: CaseTypeDef, facts: CaseFacts, pick: (a: ActionDef) => boolean): Decision {
  const edge = def.actions.find((a) => a.roles === 'system' && pick(a) && a.from.includes(facts.state));
  if (!edge) return { ok: false, reason: 'invalid_transition', message: { zh: `案件当前为“${def.states[facts.state]?.label.zh ?? facts.state}”，系统不能执行操作。`, en: `no system action is possible in ${facts.state}` } };
  return { ok: true, action: edge, to: targetState(edge.to, facts.state, facts.prevState, {}) };
}

/** A type's actions people can take, each with its edges, in the order of the definition (worked out once per definition). */
const offerable = new WeakMap<CaseTypeDef, Array<{ name: string; edges: ActionDef[] }>>();
function offerableActions(def: CaseTypeDef): Array<{ name: string; edges: ActionDef[] }> {
  let list = offerable.get(def);
  if (!list) {
    const byName = new Map<string, ActionDef[]>();
    for (const a of def.actions) {
      if (a.roles === 'system') continue;
      const edges = byName.get(a.name);
      if (edges) edges.push(a); else byName.set(a.name, [a]);
    }
    list = [...byName].map(([name, edges]) => ({ name, edges }));
    offerable.set(def, list);
  }
  return list;
}

/**
 * Exactly the actions the current state and this actor allow (the console shows these buttons): those for which
 * `decide` says ok — an edge of that name from this state, open to the actor's role, whose party is the actor and
 * whose guard holds — decided by the same checks without composing a refusal for each action that is not on offer
 * (every case view lists them; engine.test.ts holds the two to the same answer for every state and role).
 */
export function availableActions(def: CaseTypeDef, facts: CaseFacts, actor: Actor): string[] {
  const out: string[] = [];
  for (const { name, edges } of offerableActions(def)) {
    if (edges.some((a) => a.from.includes(facts.state) && mayAct(a, actor.role) && partyHolds(a.party, facts, actor)
      && !(a.guard && guards[a.guard](facts, actor, def)))) out.push(name);
  }
  return out;
}

/** Where a role's work waits, per party: the states an inbox lists for each way a case can be the actor's. */
export interface InboxStates {
  /** Cases in the actor's territory. */
  scope: string[];
  /** Cases whose lead unit is the actor's unit. */
  leadUnit: string[];
  /** Cases the actor reported. */
  reporter: string[];
  /** Whether an active summons of the actor's unit puts a case in the inbox. */
  summoned: boolean;
  /** Cases the actor's unit dispatched (returns to review, extensions to decide, replies to verify). */
  dispatcher: string[];
}

/** Derived from the definition: the states in which the role has forward work (oversight does not count). */
export function inboxStates(def: CaseTypeDef, role: Role): InboxStates {
  const out = { scope: new Set<string>(), leadUnit: new Set<string>(), reporter: new Set<string>(), dispatcher: new Set<string>(), summoned: false };
  for (const a of def.actions) {
    if (a.oversight || !mayAct(a, role)) continue;
    if (a.party === 'summoned_unit') { out.summoned = true; continue; }
    const into = a.party === 'scope' ? out.scope : a.party === 'lead_unit' ? out.leadUnit : a.party === 'dispatcher' ? out.dispatcher : out.reporter;
    for (const s of a.from) into.add(s);
  }
  return { scope: [...out.scope], leadUnit: [...out.leadUnit], reporter: [...out.reporter], summoned: out.summoned, dispatcher: [...out.dispatcher] };
}
