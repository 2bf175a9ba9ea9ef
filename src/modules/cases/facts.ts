// The facts about a case the engine decides on: plain data, no database.
import type { Actor } from '../../platform/auth/actor.ts';

export interface AssignmentFacts {
  unitId: string;
  role: 'lead' | 'assist' | 'summoned';
  /** 'ended': still open when the case ended, the unit never having acted (随案件办结). */
  status: 'active' | 'returned' | 'done' | 'withdrawn' | 'ended';
  reportedInAt: Date | null;
  repliedAt: Date | null;
}

export interface CaseFacts {
  state: string;
  prevState: string | null;
  regionCode: string;
  leadUnitId: string | null;
  /** The person who reported: a resident's account, or the staff member who filed the case. */
  reporterUserId: number | null;
  whistleLevel: WhistleLevel | null;
  extensionPending: boolean;
  assignments: AssignmentFacts[];
  /** The unit that dispatched the case to its current lead unit (null: the system, or not dispatched). */
  dispatcherUnitId?: string | null;
  /** How many levels the case has been dispatched down (1: by the district, 2: re-dispatched by a street …). */
  dispatchDepth?: number;
  returnCount?: number;
}

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
