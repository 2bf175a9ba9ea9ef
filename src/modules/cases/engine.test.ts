// Generated from the workflow definitions: every declared edge succeeds for a role it names, every
// other (action, state) pair is refused with its reason.
import { describe, expect, it } from 'vitest';
import type { Actor, Role } from '../../platform/auth/actor.ts';
import { roles } from '../../platform/auth/actor.ts';
import { availableActions, decide, inboxStates, type CaseFacts } from './engine.ts';
import { builtinWorkflows, actionNames, validateWorkflow } from './workflow.ts';

const region = '50011700100501';
const actorFor = (role: Role): Actor => ({
  id: 7, username: role, displayName: role, role, unitId: `unit-${role}`, unitKind: null,
  regionCode: role === 'grid_worker' ? region : role === 'community' ? region.slice(0, 12) : role === 'street_centre' ? region.slice(0, 9) : '500117',
  locale: 'zh-CN',
});

function factsIn(state: string, actor: Actor, over: Partial<CaseFacts> = {}): CaseFacts {
  return {
    state, prevState: 'handling', regionCode: region, leadUnitId: actor.unitId, reporterUserId: actor.id,
    whistleLevel: null, extensionPending: false,
    assignments: [{ unitId: actor.unitId!, role: 'summoned', status: 'active', reportedInAt: null, repliedAt: null }],
    ...over,
  };
}

describe.each(builtinWorkflows.map((w) => [`${w.type} v${w.version}`, w] as const))('%s workflow', (_type, def) => {
  it('is well-formed', () => expect(validateWorkflow(def)).toEqual([]));

  for (const state of Object.keys(def.states)) {
    for (const action of actionNames) {
      const edges = def.transitions.filter((t) => t.action === action && t.from.includes(state) && t.roles !== 'system');
      const guarded = action === 'approve_extension' || action === 'reject_extension' || action === 'whistle_reply';
      if (edges.length) {
        const role = (edges[0].roles as Role[])[0];
        it(`${action} from ${state} by ${role} succeeds`, () => {
          const actor = actorFor(role);
          const facts = factsIn(state, actor, guarded ? {
            extensionPending: true,
            assignments: [{ unitId: actor.unitId!, role: 'summoned', status: 'active', reportedInAt: new Date(), repliedAt: null }],
          } : {});
          const d = decide(def, facts, action, actor, { rating: 'satisfied' });
          expect(d).toMatchObject({ ok: true });
        });
        const outsiders = roles.filter((r) => !edges.some((e) => (e.roles as Role[]).includes(r)));
        for (const role of outsiders) {
          it(`${action} from ${state} by ${role} is forbidden`, () => {
            const actor = actorFor(role);
            expect(decide(def, factsIn(state, actor), action, actor)).toMatchObject({ ok: false, reason: 'forbidden_action' });
          });
        }
      } else if (def.transitions.some((t) => t.action === action && t.from.includes(state))) {
        it(`${action} from ${state} is the system's alone`, () => {
          const actor = actorFor('command_centre');
          expect(decide(def, factsIn(state, actor), action, actor)).toMatchObject({ ok: false, reason: 'forbidden_action' });
        });
      } else if (def.transitions.some((t) => t.action === action)) {
        it(`${action} from ${state} is an invalid transition`, () => {
          const actor = actorFor('command_centre');
          expect(decide(def, factsIn(state, actor), action, actor)).toMatchObject({ ok: false, reason: 'invalid_transition' });
        });
      } else {
        it(`${action} is unknown to this type`, () => {
          const actor = actorFor('admin');
          expect(decide(def, factsIn(state, actor), action, actor)).toMatchObject({ ok: false, reason: 'unknown_action' });
        });
      }
    }
  }

  it('terminal states offer no action to anyone', () => {
    for (const [state, s] of Object.entries(def.states)) {
      if (!s.terminal) continue;
      for (const role of roles) expect(availableActions(def, factsIn(state, actorFor(role)), actorFor(role))).toEqual([]);
    }
  });
});

describe('parties and guards', () => {
  const hotline = builtinWorkflows.find((w) => w.type === 'hotline')!;
  const dept = actorFor('department');

  it('only the lead unit signs for a dispatched case', () => {
    expect(decide(hotline, factsIn('dispatched', dept, { leadUnitId: 'unit-other' }), 'sign', dept)).toMatchObject({ ok: false, reason: 'not_party' });
    expect(decide(hotline, factsIn('dispatched', dept), 'sign', dept)).toMatchObject({ ok: true, to: 'handling' });
  });

  it('a centre outside the case region is not a party', () => {
    const far: Actor = { ...actorFor('hotline_operator'), regionCode: '500118' };
    expect(decide(hotline, factsIn('reported', far), 'accept', far)).toMatchObject({ ok: false, reason: 'not_party' });
  });

  it('call-back branches on the rating', () => {
    const op = actorFor('hotline_operator');
    expect(decide(hotline, factsIn('awaiting_callback', op), 'call_back', op, { rating: 'satisfied' })).toMatchObject({ to: 'closed' });
    expect(decide(hotline, factsIn('awaiting_callback', op), 'call_back', op, { rating: 'unsatisfied' })).toMatchObject({ to: 'reopened' });
  });

  it('a whistle cannot be blown below its current level, and escalation stops at the city', () => {
    const grid = builtinWorkflows.find((w) => w.type === 'grid_event')!;
    const community = actorFor('community');
    expect(decide(grid, factsIn('handling', community, { whistleLevel: 'street' }), 'whistle', community)).toMatchObject({ reason: 'precondition_failed' });
    const city: Actor = { ...actorFor('command_centre'), regionCode: '5001' };
    expect(decide(grid, factsIn('handling', city, { whistleLevel: 'city' }), 'escalate', city)).toMatchObject({ reason: 'precondition_failed' });
  });

  it('report-in happens once per summons', () => {
    const f = factsIn('handling', dept, { assignments: [{ unitId: dept.unitId!, role: 'summoned', status: 'active', reportedInAt: new Date(), repliedAt: null }] });
    expect(decide(hotline, f, 'report_in', dept)).toMatchObject({ reason: 'precondition_failed' });
  });

  it('the inbox of each role is derived from the workflows', () => {
    expect(inboxStates(hotline, 'hotline_operator').sort()).toEqual(['accepted', 'awaiting_callback', 'replied', 'reported']);
    expect(inboxStates(hotline, 'department')).toEqual([]);
  });
});
