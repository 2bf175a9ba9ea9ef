// What the case engine needs from the platform and from other modules, passed in by the app: the case
// types, the responsibility list, and the regions module's lookups. Other modules reach the engine
// through its index.ts, and follow intakes by subscribing (onReported), never by patching these.
import type { AppContext } from '../../platform/context.ts';
import type { CaseTypeRegistry } from './registry.ts';
import type { RoutingTable } from './routing.ts';
import type { CaseRow } from './rows.ts';
import type { CasePolicy } from './policy.ts';

export interface RegionRef { code: string; name: string; level: string }

/** The regions module's lookups the engine uses (it never reads the region tables itself). */
export interface RegionLookup {
  /** point → deepest region (grid) code, or null outside every grid */
  locate(lng: number, lat: number): string | null;
  find(code: string): Promise<RegionRef | null>;
  childrenOf(code: string): Promise<RegionRef[]>;
  /** Codes of the grids under a region, in code order (at most 20,000). */
  gridsUnder(code: string): Promise<string[]>;
  namesOf(codes: string[]): Promise<Map<string, string>>;
  /** Short names as a path shows them (街道 / 社区 / 网格); namesOf where a lookup has none. */
  shortNamesOf?(codes: string[]): Promise<Map<string, string>>;
  /** A typed address → its region and point (the geocoder), or null when nothing matches. */
  place?(address: string): { regionCode: string; lat: number | null; lng: number | null } | null;
}

/**
 * A step that follows an intake (自动派单 by the intelligence module). It returns true when it moved the
 * case on; its failure is logged and never fails the intake.
 */
export type ReportedSubscriber = (row: CaseRow) => Promise<boolean>;

/**
 * Runs after a user's action on a case has committed (the effect it ran is named), in the request: a module
 * that follows a step with work of its own (访调对接 opens a petition). Its failure is logged and never undoes
 * the action.
 */
export type TransitionedSubscriber = (t: { caseId: number; action: string; effect: string | null; actor: import('../../platform/auth/actor.ts').Actor }) => Promise<void>;

export interface CaseDeps {
  ctx: AppContext;
  types: CaseTypeRegistry;
  routing: () => Promise<RoutingTable>;
  regions: RegionLookup;
  /** Subscribers to new cases, in order; see onReported in index.ts. */
  reported: ReportedSubscriber[];
  /** Subscribers to committed actions; see onTransitioned in index.ts. */
  transitioned?: TransitionedSubscriber[];
  policy: CasePolicy;
}
