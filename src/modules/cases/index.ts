// The case engine's public surface (the only file other modules import): intake, transitions, views,
// visibility-checked reads, subscriptions to new cases, the case-type definitions and the routes.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.ts';
import { CaseTypeRegistry } from './registry.ts';
import { loadRoutingTable, type RoutingTable } from './routing.ts';
import { caseRoutes } from './routes.ts';
import { statsRoutes } from './stats-routes.ts';
import { startScheduler } from './scheduler.ts';
import { systemTransition } from './transition.ts';
import { builtinCaseTypes } from './types/index.ts';
import { casePolicy, type CasePolicy } from './policy.ts';
import type { CaseTypeDef } from './definition.ts';
import { effectLibrary, type EffectDef } from './effects.ts';
import { ensureDocumentCategories, readCaseTypeDocuments } from './documents.ts';
import { resolve } from 'node:path';
import type { CaseDeps, RegionLookup, ReportedSubscriber, TransitionedSubscriber } from './deps.ts';

export type { CaseDeps, RegionLookup, ReportedSubscriber, TransitionedSubscriber, RegionRef } from './deps.ts';
export type { CaseRow } from './rows.ts';
export type { CaseTypeDef, StateDef, ActionDef, FieldDef, Label } from './definition.ts';
export type { EffectDef, Effect, EffectInput } from './effects.ts';
export { F as fields, S as stateLabels, handlingLoop, changeType, HOUR, DAY } from './types/shared.ts';
export { builtinCaseTypes } from './types/index.ts';
export { createCase, forgetCategory, type IntakeResult } from './intake.ts';
export { transition, type TransitionResult } from './transition.ts';
export { getCase, type CaseView } from './views.ts';
export { caseIdVisibleTo } from './case-visibility.ts';
export { caseGridCarrier } from './grid-carrier.ts';
export { listCases } from './list.ts';
export { openReportsBy } from './reported.ts';
export { callerHistory as callerHistoryOf, type CallerHistory } from './callers.ts';
export { flagOverdue } from './scheduler.ts';
export { partitionCasesByDistrict, DISTRICT_PARTITIONED_TABLES } from './partitioning.ts';
export { suggestRoute, type RoutingSuggestion, type RoutingTable } from './routing.ts';
export { distanceMeters } from './stats.ts';
export { resolvedCaseTexts, resolvedCaseCount, openCasesNear, recentTerritoryCases, categoriesByCode, type CaseText, type CategoryInfo } from './queries.ts';
export { publicCase, publicPhotoIds, joinableCase, rateAsReporter, categoriesForIntake } from './public.ts';
export {
  caseReportsBetween, caseStepsBetween, latestCaseStep, stepFactOf, caseItems, type CaseReportSignal, type CaseStepSignal, type SignalQuery,
} from './signals.ts';
export type { CaseListItem } from './views.ts';
export { routingSuggestion } from './views.ts';
export { CaseIdParams, ListQuery, Intake, ratings, channels, type IntakeInput, type ListQueryT } from './contracts.ts';

export interface CaseEngine {
  deps: CaseDeps;
  policy: CasePolicy;
  /** Follow new cases (自动派单 …): the subscriber runs after each intake, in subscription order. */
  onReported(subscriber: ReportedSubscriber): void;
  /** Follow users' actions once committed (the subscriber's failure is logged, the action stands). */
  onTransitioned(subscriber: TransitionedSubscriber): void;
  /** The case API, the dashboard's indicators and the map layers. */
  routes(app: FastifyInstance): void;
  /** The overdue scheduler; returns its stop function. */
  startScheduler(intervalMs: number): () => void;
  /** Forget the cached responsibility list (after an import or an administrator's edit). */
  reloadRouting(): void;
}

/**
 * The engine over the built-in case types, the documents in GONGZHI_CASE_TYPES_DIR (a district's own types,
 * with their categories) and any further definitions given here.
 */
export interface CaseEngineOptions {
  /** Case types beyond the built-in ones and the documents (e.g. a module's dispute and petition types). */
  types?: CaseTypeDef[];
  /** Effects those types name, as "module.effect" (see effects.ts). */
  effects?: Record<string, EffectDef>;
}

export async function createCaseEngine(ctx: AppContext, regions: RegionLookup, opts: CaseEngineOptions = {}): Promise<CaseEngine> {
  const dir = ctx.config.GONGZHI_CASE_TYPES_DIR;
  const documents = dir ? readCaseTypeDocuments(resolve(dir)) : [];
  const types = new CaseTypeRegistry([...builtinCaseTypes, ...documents.map((d) => d.definition), ...(opts.types ?? [])], effectLibrary(opts.effects));
  await types.sync(ctx.db);
  for (const d of documents) await ensureDocumentCategories(ctx.db, d);
  let routing: { table: RoutingTable; until: number } | null = null;
  const deps: CaseDeps = {
    ctx, types, regions, reported: [], policy: casePolicy(types),
    routing: async () => {
      if (!routing || routing.until < Date.now()) routing = { table: await loadRoutingTable(ctx.db), until: Date.now() + 30_000 };
      return routing.table;
    },
  };
  return {
    deps,
    policy: deps.policy,
    onReported: (subscriber) => { deps.reported.push(subscriber); },
    onTransitioned: (subscriber) => { (deps.transitioned ??= []).push(subscriber); },
    routes: (app) => { caseRoutes(app, deps); statsRoutes(app, deps); },
    startScheduler: (intervalMs) => startScheduler(deps, intervalMs),
    reloadRouting: () => { routing = null; },
  };
}

/** The effects that dispatch a case (派遣): the plain one and the first level of 三级派单. */
const ASSIGN_EFFECTS = new Set(['assign', 'tiered_assign']);

/**
 * 派遣 by the system (自动派单): the dispatch edge the case's type gives the system in its current state,
 * recorded with actor kind 'system'. Refused (409) when the type has none there.
 */
export async function systemAssign(deps: CaseDeps, caseId: number, input: { leadUnitId: string; assistUnitIds: string[]; note: string }) {
  return systemTransition(deps, caseId, (a) => ASSIGN_EFFECTS.has(a.effect ?? ''), input);
}

/** Whether the type's definition lets the system dispatch a case in this state (without touching it). */
export function systemMayAssign(deps: CaseDeps, type: string, version: number, state: string): boolean {
  return deps.types.get(type, version).actions.some((a) => a.roles === 'system' && ASSIGN_EFFECTS.has(a.effect ?? '') && a.from.includes(state));
}

/** The action of the case's type that does `effect` (e.g. 'merge_into') and is open to the viewer now, if any. */
export function openActionWithEffect(deps: CaseDeps, view: { type: string; workflowVersion: number; actions?: string[] }, effect: string): string | null {
  const def = deps.types.get(view.type, view.workflowVersion);
  return def.actions.find((a) => a.effect === effect && view.actions?.includes(a.name))?.name ?? null;
}

// The category tree and the responsibility list (权责清单): loaded from data/categories.json, edited by
// administrators through these functions (no other module writes the engine's tables).
export {
  loadCatalog, readCatalog, categoriesChanged, deleteResponsibilityRule, findCategory, findResponsibility, findResponsibilityFor,
  insertCategory, insertResponsibilities, listCategoryRecords, countResponsibilityRules, responsibilityKeys, listResponsibilityViews, responsibilityView, rulesNamingUnit,
  updateCategory, updateResponsibilityRule, type CategoryRecord, type Catalog, type CatalogCategory, type CatalogLoad, type ResponsibilityRuleInput,
} from './catalog.ts';
