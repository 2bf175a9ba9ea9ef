// Generated from the case-type definitions: every declared edge succeeds, for every role it names, and
// lands in its declared target state; every other (action, state, role) is refused with its reason.
import { describe, expect, it } from 'vitest';
import type { Actor, Role } from '../../platform/auth/actor.ts';
import { roles } from '../../platform/auth/actor.ts';
import { availableActions, decide, inboxStates } from './engine.ts';
import type { CaseFacts } from './facts.ts';
import { targetState, validateDefinition, type ActionDef } from './definition.ts';
import { libraries } from './effects.ts';
import { builtinCaseTypes } from './types/index.ts';
import { hotline } from './types/hotline.ts';
import { gridEvent } from './types/grid-event.ts';

const region = '50011700100501';
const actorFor = (role: Role): Actor => ({
  id: 7, username: role, displayName: role, role, unitId: `unit-${role}`, unitKind: null,
  regionCode: role === 'grid_worker' ? region : role === 'community' ? region.slice(0, 12) : role === 'street_centre' ? region.slice(0, 9) : '500117',
  locale: 'zh-CN',
});

/** Facts under which every party holds for the actor and every guard passes for `a`. */
function factsFor(state: string, actor: Actor, a?: ActionDef, over: Partial<CaseFacts> = {}): CaseFacts {
  const reported = a?.guard === 'summons_reported';
  return {
    state, prevState: 'handling', regionCode: region, leadUnitId: actor.unitId, reporterUserId: actor.id,
    whistleLevel: null, extensionPending: a?.guard === 'pending_extension',
    assignments: [{ unitId: actor.unitId!, role: 'summoned', status: 'active', reportedInAt: reported ? new Date() : null, repliedAt: null }],
    // the actor's unit dispatched the case, once (or twice, for an edge that needs a re-dispatched case)
    dispatcherUnitId: actor.unitId, dispatchDepth: a?.guard === 'dispatched_down' ? 2 : 1, returnCount: 0,
    ...over,
  };
}

/** An input that picks each branch of a branching edge. */
function inputsFor(a: ActionDef): Array<Record<string, unknown>> {
  return typeof a.to === 'object' ? Object.keys(a.to.map).map((v) => ({ [(a.to as { field: string }).field]: v })) : [{}];
}

describe.each(builtinCaseTypes.map((d) => [`${d.type} v${d.version}`, d] as const))('%s', (_name, def) => {
  it('is well-formed', () => expect(validateDefinition(def, libraries)).toEqual([]));

  const names = [...new Set(def.actions.map((a) => a.name))];
  for (const state of Object.keys(def.states)) {
    for (const name of names) {
      const edges = def.actions.filter((a) => a.name === name && a.from.includes(state) && a.roles !== 'system');
      for (const edge of edges) {
        for (const role of edge.roles as Role[]) {
          for (const input of inputsFor(edge)) {
            const expected = edge.to === '$entry' ? '$entry' : targetState(edge.to, state, 'handling', input);
            it(`${name} from ${state} by ${role}${Object.keys(input).length ? ` (${Object.values(input)})` : ''} goes to ${expected}`, () => {
              const actor = actorFor(role);
              expect(decide(def, factsFor(state, actor, edge), name, actor, input)).toMatchObject({ ok: true, to: expected, action: { name } });
            });
          }
        }
      }
      if (edges.length) {
        const outsiders = roles.filter((r) => !edges.some((e) => (e.roles as Role[]).includes(r)));
        for (const role of outsiders) {
          it(`${name} from ${state} by ${role} is forbidden`, () => {
            const actor = actorFor(role);
            expect(decide(def, factsFor(state, actor, edges[0]), name, actor)).toMatchObject({ ok: false, reason: 'forbidden_action' });
          });
        }
      } else if (def.actions.some((a) => a.name === name && a.from.includes(state))) {
        it(`${name} from ${state} is the system's alone`, () => {
          const actor = actorFor('command_centre');
          expect(decide(def, factsFor(state, actor), name, actor)).toMatchObject({ ok: false, reason: 'forbidden_action' });
        });
      } else {
        it(`${name} from ${state} is an invalid transition`, () => {
          const actor = actorFor('command_centre');
          expect(decide(def, factsFor(state, actor), name, actor)).toMatchObject({ ok: false, reason: 'invalid_transition' });
        });
      }
    }
  }

  it('an action of no type is unknown', () => {
    const actor = actorFor('admin');
    expect(decide(def, factsFor(def.initial, actor), 'levitate', actor)).toMatchObject({ ok: false, reason: 'unknown_action' });
  });

  it('the actions on offer are exactly those decide allows, in the order of the definition', () => {
    const allowed = (state: string, facts: CaseFacts, actor: Actor) =>
      names.filter((n) => def.actions.some((a) => a.name === n && a.roles !== 'system') && decide(def, facts, n, actor).ok);
    let offered = 0;
    for (const state of Object.keys(def.states)) {
      for (const role of roles) {
        const actor = actorFor(role);
        // facts where every party holds, and facts where none does (another region, unit and reporter)
        for (const facts of [factsFor(state, actor), factsFor(state, actor, undefined, {
          regionCode: '11010100100101', leadUnitId: 'unit-other', reporterUserId: 99, dispatcherUnitId: 'unit-other', assignments: [],
        })]) {
          const got = availableActions(def, facts, actor);
          expect(got, `${state} ${role}`).toEqual(allowed(state, facts, actor));
          offered += got.length;
        }
      }
    }
    expect(offered).toBeGreaterThan(0);
  });

  it('terminal states offer no action to anyone', () => {
    for (const [state, s] of Object.entries(def.states)) {
      if (!s.terminal) continue;
      for (const role of roles) expect(availableActions(def, factsFor(state, actorFor(role)), actorFor(role))).toEqual([]);
    }
  });
});

describe('parties and guards', () => {
  const dept = actorFor('department');

  it('only the lead unit signs for a dispatched case', () => {
    expect(decide(hotline, factsFor('dispatched', dept, undefined, { leadUnitId: 'unit-other' }), 'sign', dept)).toMatchObject({ ok: false, reason: 'not_party' });
    expect(decide(hotline, factsFor('dispatched', dept), 'sign', dept)).toMatchObject({ ok: true, to: 'handling' });
  });

  it('a centre outside the case region is not a party', () => {
    const far: Actor = { ...actorFor('hotline_operator'), regionCode: '500118' };
    expect(decide(hotline, factsFor('reported', far), 'accept', far)).toMatchObject({ ok: false, reason: 'not_party' });
  });

  it('only the reporter handles their own small matter on the spot', () => {
    const worker = actorFor('grid_worker');
    expect(decide(gridEvent, factsFor('reported', worker, undefined, { reporterUserId: 99 }), 'self_close', worker)).toMatchObject({ ok: false, reason: 'not_party' });
  });

  it('an extension is decided only when one was asked for, and asked for only once', () => {
    const op = actorFor('hotline_operator');
    expect(decide(hotline, factsFor('handling', op), 'approve_extension', op)).toMatchObject({ reason: 'precondition_failed' });
    expect(decide(hotline, factsFor('handling', dept, undefined, { extensionPending: true }), 'request_extension', dept)).toMatchObject({ reason: 'precondition_failed' });
  });

  it('a whistle cannot be blown below its current level, and escalation stops at the city', () => {
    const community = actorFor('community');
    expect(decide(gridEvent, factsFor('handling', community, undefined, { whistleLevel: 'street' }), 'whistle', community)).toMatchObject({ reason: 'precondition_failed' });
    const city: Actor = { ...actorFor('command_centre'), regionCode: '5001' };
    expect(decide(gridEvent, factsFor('handling', city, undefined, { whistleLevel: 'city' }), 'escalate', city)).toMatchObject({ reason: 'precondition_failed' });
  });

  it('report-in happens once per summons, and the reply needs it first', () => {
    const reported = factsFor('handling', dept, undefined, { assignments: [{ unitId: dept.unitId!, role: 'summoned', status: 'active', reportedInAt: new Date(), repliedAt: null }] });
    expect(decide(hotline, reported, 'report_in', dept)).toMatchObject({ reason: 'precondition_failed' });
    const fresh = factsFor('handling', dept);
    expect(decide(hotline, fresh, 'whistle_reply', dept)).toMatchObject({ reason: 'precondition_failed' });
  });

  it('三级派单: a return goes back one level, the right number of times', () => {
    const street = actorFor('street_centre');
    const handler = actorFor('community');
    const review = (depth: number) => decide(hotline, factsFor('return_review', street, undefined, { dispatchDepth: depth }), 'approve_return', street);
    expect(review(1)).toMatchObject({ ok: true, to: 'accepted' });
    expect(review(2)).toMatchObject({ ok: true, to: 'handling' });
    // another unit than the dispatcher may not review it
    expect(decide(hotline, factsFor('return_review', street, undefined, { dispatcherUnitId: 'sc-other' }), 'approve_return', street)).toMatchObject({ ok: false, reason: 'not_party' });
    // the limit of returns
    expect(decide(hotline, factsFor('handling', handler, undefined, { returnCount: 1 }), 'return', handler, { reason: 'x' })).toMatchObject({ ok: true, to: 'return_review' });
    expect(decide(hotline, factsFor('handling', handler, undefined, { returnCount: 2 }), 'return', handler, { reason: 'x' })).toMatchObject({ ok: false, reason: 'precondition_failed' });
    // a case the system dispatched: the district level of its territory reviews
    const op = actorFor('hotline_operator');
    expect(decide(hotline, factsFor('replied', op, undefined, { dispatcherUnitId: null }), 'verify_pass', op)).toMatchObject({ ok: true });
    expect(decide(hotline, factsFor('replied', street, undefined, { dispatcherUnitId: null }), 'verify_pass', street)).toMatchObject({ ok: false, reason: 'not_party' });
  });

  it('the inbox of each role is derived from the definitions, oversight left out', () => {
    const op = inboxStates(hotline, 'hotline_operator');
    expect(op.scope.sort()).toEqual(['accepted', 'awaiting_callback', 'reported']);
    // 三级派单: what the operator's unit dispatched comes back to it for review and verification
    expect(op.dispatcher.sort()).toEqual(['replied', 'return_review']);
    expect(inboxStates(hotline, 'street_centre')).toMatchObject({ leadUnit: ['dispatched', 'handling'] });
    expect(inboxStates(hotline, 'street_centre').dispatcher.sort()).toEqual(['replied', 'return_review']);
    expect(inboxStates(hotline, 'department')).toMatchObject({ scope: [], leadUnit: ['dispatched', 'handling'], summoned: true });
    expect(inboxStates(hotline, 'resident')).toMatchObject({ scope: [], reporter: ['awaiting_callback'] });
    expect(inboxStates(gridEvent, 'grid_worker')).toMatchObject({ reporter: ['reported'], scope: ['replied'] });
  });
});
