// The mediation module's case types, and the phases its service reads from them: the states in which an
// action with a given effect can be taken. Nothing else in the module names a state or an action.
import type { CaseTypeDef } from '../../cases/index.ts';
import { dispute, disputeEffects } from './dispute.ts';
import { petition } from './petition.ts';

export { dispute, petition, disputeEffects };
export const mediationCaseTypes: CaseTypeDef[] = [dispute, petition];

/** The states of a type from which some action does `effect`. */
export function statesWithEffect(def: CaseTypeDef, effect: string): Set<string> {
  return new Set(def.actions.filter((a) => a.effect === effect).flatMap((a) => a.from));
}

/** The dispute's phases, from its definition: where each kind of module record may be written. */
export const disputePhases = {
  /** 四包 and the organisation may be named until the dispute has been routed (and changed later while open). */
  routing: statesWithEffect(dispute, disputeEffects.route),
  /** Investigating: between routing and mediation. */
  investigating: statesWithEffect(dispute, disputeEffects.start),
  /** Sessions and the agreement draft: while mediating (where an agreement can be reached). */
  mediating: statesWithEffect(dispute, disputeEffects.agreement),
  /** Obligations are performed while the agreement is being performed. */
  performing: statesWithEffect(dispute, disputeEffects.performance),
  /** Follow-up visits are recorded in the follow-up phase. */
  followUp: statesWithEffect(dispute, disputeEffects.followUp),
  /** A docking is prepared when the mediation failed. */
  docking: statesWithEffect(dispute, disputeEffects.docking),
};

/** Sessions are scheduled from routing on, until an agreement is reached or the mediation fails. */
export const sessionPhase = new Set([...disputePhases.routing, ...disputePhases.investigating, ...disputePhases.mediating]);
