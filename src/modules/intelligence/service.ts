// Intelligence use cases over the database: routing suggestions from text, retraining from closed
// cases, 自动派单 after intake, duplicate candidates and hotspots. No HTTP types.
import type { Actor } from '../../platform/auth/actor.ts';
import { definePolicy } from '../../platform/policy.ts';
import { conflict, forbidden, unprocessable } from '../../platform/errors.ts';
import {
  categoriesByCode, distanceMeters, getCase, listCategoryRecords, resolvedCaseCount, openActionWithEffect, openCasesNear, recentTerritoryCases, resolvedCaseTexts,
  routingSuggestion, systemAssign, systemMayAssign, type CaseDeps, type CaseRow,
} from '../cases/index.ts';
import { unitsByIds } from '../../platform/directory.ts';
import { explain, predict, segment, type Example } from './classifier.ts';
import { trainInWorker } from './train-worker.ts';
import { bigramCosine, characterBigrams } from './similarity.ts';
import { autoDispatchDecision, displayWords, routeSuggestions, SHOW_MIN_CONFIDENCE, type TextSuggestion } from './suggest.ts';
import { DEFAULT_DUPLICATE_SETTINGS, duplicateParts, duplicateScore, isDuplicateCandidate } from './duplicates.ts';
import { DEFAULT_HOTSPOT_SETTINGS, findHotspots, type HotspotItem } from './hotspots.ts';
import type { ModelInfo, ModelStore } from './model-store.ts';
import { keywordSuggestions, type KeywordCategory } from './keywords.ts';

export interface IntelligenceDeps {
  cases: CaseDeps;
  store: ModelStore;
  /** Top confidence at or above which a new case is dispatched by the system; undefined = off. */
  autoDispatchThreshold?: number;
  /** Examples (closed cases and seed examples) a model must have learnt from before suggestions come from it rather than the category tree. */
  suggestMinCases?: number;
  /** Retrain automatically once this many cases closed since the model in force was trained (0: never). */
  retrainEvery?: number;
}

/** Defaults of suggestMinCases and retrainEvery. */
export const SUGGEST_MIN_CASES = 100;
/** Below this top confidence the model's suggestions give way to the category tree's words, when those match. */
export const MODEL_MIN_CONFIDENCE = 0.35;
export const RETRAIN_EVERY = 50;

export const intelligencePolicy = definePolicy({
  'intelligence.read': {
    roles: ['command_centre', 'street_centre', 'community', 'grid_worker', 'hotline_operator', 'department', 'admin'],
    what: { zh: '查看分派建议、疑似重复案件或热点问题（仅供工作人员使用）', en: 'see routing suggestions, duplicate candidates or hotspots (they are for staff)' },
  },
  // hotspots are counted over a territory: departments (whose scope is what is assigned to them) have none
  'intelligence.hotspots': {
    roles: ['command_centre', 'street_centre', 'community', 'grid_worker', 'hotline_operator', 'admin'],
    what: { zh: '查看辖区的热点问题', en: 'see the hotspots of a territory' },
  },
  'intelligence.retrain': { roles: ['admin', 'command_centre'], what: { zh: '重新训练文本模型', en: 'retrain the text model' } },
});

function requireStaff(actor: Actor): void {
  intelligencePolicy.assert(actor, 'intelligence.read');
}

const caseText = (c: { title: string; description: string }) => `${c.title}\n${c.description}`;

function publicInfo(info: ModelInfo) {
  const { file: _file, ...rest } = info;
  return rest;
}

// ---------------------------------------------------------------------------------------------
// Routing suggestions

async function names(deps: IntelligenceDeps, categoryCodes: string[], unitIds: string[]) {
  const units = await unitsByIds(deps.cases.ctx.db, unitIds);
  return { categories: await categoriesByCode(deps.cases, categoryCodes), units: new Map(units.map((u) => [u.id, u])) };
}

/** The case's address and the names of its area and the areas above it: words that say where, not what. */
async function placeText(deps: IntelligenceDeps, c: { address: string | null; regionCode: string }): Promise<string> {
  const codes = [c.regionCode.slice(0, 6), c.regionCode.slice(0, 9), c.regionCode.slice(0, 12), c.regionCode].filter((x, i, a) => x && a.indexOf(x) === i);
  const rows = await deps.cases.ctx.db.query<{ name: string; short_name: string }>('SELECT name, short_name FROM region WHERE code = ANY($1::text[])', [codes]);
  return [c.address ?? '', ...rows.flatMap((r) => [r.name, r.short_name])].join(' ');
}

// ---------------------------------------------------------------------------------------------
// Suggestions from the category tree (before the model has enough closed cases)

let treeCache: { at: number; cats: KeywordCategory[] } | null = null;

/** The active categories with names and keywords (and their group's), re-read at most every 30 s. */
async function categoryTree(deps: IntelligenceDeps): Promise<KeywordCategory[]> {
  if (treeCache && Date.now() - treeCache.at < 30_000) return treeCache.cats;
  const rows = await listCategoryRecords(deps.cases.ctx.db, { active: true });
  const byCode = new Map(rows.map((r) => [r.code, r]));
  const parents = new Set(rows.map((r) => r.parent_code).filter(Boolean));
  const cats = rows.map((r): KeywordCategory => {
    const p = r.parent_code ? byCode.get(r.parent_code) : undefined;
    return {
      code: r.code, name: r.name_zh, caseTypes: r.case_types, keywords: r.keywords ?? [], active: r.active,
      leaf: !parents.has(r.code) && r.limit_minutes != null, parent: p ? { name: p.name_zh, keywords: p.keywords ?? [] } : null,
    };
  });
  treeCache = { at: Date.now(), cats };
  return cats;
}

/** The model in force when it has learnt from enough closed cases; otherwise suggestions come from the tree. */
function usableModel(deps: IntelligenceDeps) {
  const loaded = deps.store.get();
  return loaded && loaded.info.trainingSize >= (deps.suggestMinCases ?? SUGGEST_MIN_CASES) ? loaded : null;
}

export interface CategorySuggestion { categoryCode: string; categoryName: { zh: string; en: string } | null; confidence: number; words: { term: string; weight: number }[] }

/**
 * Top-3 categories for a text as it is typed (the intake forms): from the model once it has learnt from
 * enough closed cases, else (or when the model knows no word of the text) from the category tree's names
 * and keywords. `source` says which.
 */
export async function suggestCategories(deps: IntelligenceDeps, actor: Actor, q: { text: string; type?: string }) {
  requireStaff(actor);
  const loaded = usableModel(deps);
  let source: 'model' | 'keywords' = 'keywords';
  let items: Array<{ categoryCode: string; confidence: number; words: { term: string; weight: number }[] }> = [];
  const tree = await categoryTree(deps);
  const usable = new Set(tree.filter((c) => c.leaf && (!q.type || c.caseTypes.includes(q.type))).map((c) => c.code));
  if (loaded) {
    const tokens = segment(q.text);
    const known = tokens.some((t) => loaded.model.knownTokens.has(t));
    const ranked = known ? predict(loaded.model, tokens, 20).filter((r) => usable.has(r.label)).slice(0, 3) : [];
    // an unsure model (few cases per category) yields to the tree's words when they match
    const unsure = !ranked.length || ranked[0].confidence < MODEL_MIN_CONFIDENCE;
    if (ranked.length && !(unsure && keywordSuggestions(tree, q.text, { type: q.type, limit: 1 }).length)) {
      source = 'model';
      items = ranked.map((r) => ({ categoryCode: r.label, confidence: Math.round(r.confidence * 10_000) / 10_000, words: explain(loaded.model, tokens, r.label, 5).filter((w) => w.weight > 0) }));
    }
  }
  if (source === 'keywords') items = keywordSuggestions(tree, q.text, { type: q.type, limit: 3 });
  const n = await names(deps, items.map((i) => i.categoryCode), []);
  return {
    source, model: loaded ? publicInfo(loaded.info) : null,
    items: items.map((i): CategorySuggestion => ({ ...i, categoryName: n.categories.get(i.categoryCode)?.name ?? null })),
  };
}

/** Top-3 categories from the text with their units, beside the responsibility list's suggestion. */
export async function suggestionsForCase(deps: IntelligenceDeps, actor: Actor, caseId: number) {
  requireStaff(actor);
  const c = await getCase(deps.cases, actor, caseId); // 404 when out of scope, as the case itself
  const responsibilityList = await routingSuggestion(deps.cases, actor, caseId);
  const loaded = usableModel(deps);
  const threshold = deps.autoDispatchThreshold ?? null;
  if (!loaded) {
    // no model yet (or too few closed cases): the category tree's names and keywords, routed the same way
    const tree = await categoryTree(deps);
    const place = await placeText(deps, c);
    const found = keywordSuggestions(tree, caseText(c), { type: c.type, limit: 3 });
    const routedK = routeSuggestions(await deps.cases.routing(), c.regionCode, found.map((f) => ({ label: f.categoryCode, confidence: f.confidence })),
      (label) => found.find((f) => f.categoryCode === label)?.words ?? []);
    const unitIdsK = [...new Set(routedK.flatMap((s) => [s.leadUnitId, ...s.assistUnitIds]).filter((u): u is string => !!u))];
    const nk = await names(deps, routedK.map((s) => s.categoryCode), unitIdsK);
    return {
      model: null, source: 'keywords' as const, responsibilityList, autoDispatchThreshold: threshold,
      minConfidence: SHOW_MIN_CONFIDENCE,
      suggestions: routedK.map((s) => ({
        ...s, words: displayWords(s.words, place), reliable: s.confidence >= SHOW_MIN_CONFIDENCE, categoryName: nk.categories.get(s.categoryCode)?.name ?? null, isCurrentCategory: s.categoryCode === c.categoryCode,
        lead: s.leadUnitId ? nk.units.get(s.leadUnitId) ?? null : null, assists: s.assistUnitIds.map((u) => nk.units.get(u)).filter(Boolean),
      })),
    };
  }
  const text = caseText(c);
  const tokens = segment(text);
  // Only labels that are categories of this deployment are offered (a model trained elsewhere has others).
  const ranked = predict(loaded.model, tokens, 20);
  const known = (await names(deps, ranked.map((r) => r.label), [])).categories;
  const top = ranked.filter((r) => known.get(r.label)?.active && known.get(r.label)?.leaf).slice(0, 3);
  const place = await placeText(deps, c);
  // more candidates than shown: stop words, numbers and place names are dropped from what is shown
  const routed = routeSuggestions(await deps.cases.routing(), c.regionCode, top, (label) => displayWords(explain(loaded.model, tokens, label, 12), place).slice(0, 5));
  const unitIds = [...new Set(routed.flatMap((s) => [s.leadUnitId, ...s.assistUnitIds]).filter((u): u is string => !!u))];
  const n = await names(deps, routed.map((s) => s.categoryCode), unitIds);
  return {
    model: publicInfo(loaded.info),
    source: 'model' as const,
    responsibilityList,
    autoDispatchThreshold: threshold,
    minConfidence: SHOW_MIN_CONFIDENCE,
    suggestions: routed.map((s) => {
      const cat = n.categories.get(s.categoryCode);
      return {
        ...s,
        reliable: s.confidence >= SHOW_MIN_CONFIDENCE,
        categoryName: cat ? cat.name : null,
        isCurrentCategory: s.categoryCode === c.categoryCode,
        lead: s.leadUnitId ? n.units.get(s.leadUnitId) ?? null : null,
        assists: s.assistUnitIds.map((u) => n.units.get(u)).filter(Boolean),
      };
    }),
  };
}

// ---------------------------------------------------------------------------------------------
// Model: information and retraining from closed cases

export function modelInfo(deps: IntelligenceDeps, actor: Actor) {
  requireStaff(actor);
  const loaded = deps.store.get();
  return { model: loaded ? publicInfo(loaded.info) : null, autoDispatchThreshold: deps.autoDispatchThreshold ?? null };
}

/** Fewest closed cases of a category for it to become a label; rarer ones are left out. */
export const MIN_CASES_PER_LABEL = 1;
const MAX_TRAINING_CASES = 50_000;

/** Closed cases (title + description → category code) as training examples, newest first. */
export async function closedCaseExamples(deps: CaseDeps): Promise<{ examples: Example[]; droppedLabels: string[] }> {
  const rows = await resolvedCaseTexts(deps, MAX_TRAINING_CASES);
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.category_code, (counts.get(r.category_code) ?? 0) + 1);
  const droppedLabels = [...counts].filter(([, n]) => n < MIN_CASES_PER_LABEL).map(([label]) => label).sort();
  const examples = rows.filter((r) => (counts.get(r.category_code) ?? 0) >= MIN_CASES_PER_LABEL)
    .map((r) => ({ text: caseText(r), label: r.category_code }));
  return { examples, droppedLabels };
}

let retraining = false;

/**
 * Trains on the deployment's closed cases and its seed examples (种子语料, when the models folder has
 * them: the demo city's, or texts an earlier system labelled), saves the next model version and puts it
 * in force. The training runs in a worker thread.
 */
export async function retrainFromClosedCases(deps: { cases: CaseDeps; store: ModelStore }) {
  if (retraining) throw conflict('retrain_running', { zh: `模型正在重新训练，请完成后再试。`, en: 'A retraining is already running; try again when it is done.' });
  retraining = true;
  try {
    const { examples: closed, droppedLabels } = await closedCaseExamples(deps.cases);
    const seeds = deps.store.seedExamples();
    const examples = [...closed, ...seeds];
    const labels = new Set(examples.map((e) => e.label));
    if (examples.length < 20 || labels.size < 2) {
      throw unprocessable('not_enough_cases', { zh: `训练至少需要2个分类下共20件已办结案件；目前只有 ${labels.size} 个分类下的 ${examples.length} 件。`, en: `Training needs at least 20 closed cases in at least 2 categories; found ${examples.length} in ${labels.size}.` });
    }
    const started = performance.now();
    // Few closed cases: no held-out calibration share below 200, the temperature stays 1. Seed examples
    // do not count: texts written from templates (the demo's) are told apart too well when held out, and
    // the fitted temperature makes guesses sure (the demo's: T 0.44, 「你好，我想问一下」 24.6 % instead of
    // 4.3 %; its seed texts alone: T at the floor 0.1, 「你好」 100 % 入学学位).
    const model = await trainInWorker(examples, closed.length < 200 ? { calibrationShare: 0 } : {});
    if (seeds.length) model.seedExamples = seeds.length;
    const seconds = Math.round((performance.now() - started) / 100) / 10;
    const info = deps.store.install(model);
    deps.cases.ctx.log.info({ model: info.version, examples: examples.length, seedExamples: seeds.length, labels: labels.size, seconds }, 'text model retrained from closed cases');
    return { model: publicInfo(info), examples: examples.length, closedCases: closed.length, seedExamples: seeds.length, droppedLabels, trainingSeconds: seconds };
  } finally {
    retraining = false;
  }
}

/**
 * Whether enough cases closed since the model in force learnt (retrainEvery), and if so retrains. The
 * platform's background work calls it on a schedule; it also trains the first model once a district has
 * 20 closed cases.
 */
export async function autoRetrainTick(deps: IntelligenceDeps): Promise<{ due: boolean; closed: number; trainedOn: number }> {
  const every = deps.retrainEvery ?? RETRAIN_EVERY;
  const closed = await resolvedCaseCount(deps.cases);
  // the closed cases the model learnt from: its training size without the seed examples
  const info = deps.store.get()?.info;
  const trainedOn = info ? info.trainingSize - info.seedExamples : 0;
  const due = every > 0 && !retraining && closed >= 20 && closed - trainedOn >= every;
  if (due) await retrainFromClosedCases(deps);
  return { due, closed, trainedOn };
}

export async function retrain(deps: IntelligenceDeps, actor: Actor) {
  intelligencePolicy.assert(actor, 'intelligence.retrain');
  return retrainFromClosedCases(deps);
}

// ---------------------------------------------------------------------------------------------
// 自动派单

/** After intake: dispatch by the system when the model is confident and the workflow allows it. */
export async function autoDispatch(deps: IntelligenceDeps, row: CaseRow): Promise<boolean> {
  if (deps.autoDispatchThreshold == null) return false;
  if (!systemMayAssign(deps.cases, row.type, row.workflow_version, row.state)) return false;
  const loaded = deps.store.get();
  if (!loaded) return false;
  const tokens = segment(caseText({ title: row.title, description: row.description }));
  const [top] = routeSuggestions(await deps.cases.routing(), row.region_code, predict(loaded.model, tokens, 1), () => []);
  const decision = autoDispatchDecision(deps.autoDispatchThreshold, row.category_code, top as TextSuggestion | undefined);
  if (!decision.dispatch) return false;
  const percent = (decision.confidence * 100).toFixed(1);
  await systemAssign(deps.cases, Number(row.id), {
    leadUnitId: decision.leadUnitId,
    assistUnitIds: decision.assistUnitIds,
    note: `自动派单 auto-dispatch: model ${loaded.info.version}, confidence ${percent}% ≥ ${(deps.autoDispatchThreshold * 100).toFixed(1)}%`,
  });
  return true;
}

// ---------------------------------------------------------------------------------------------
// Duplicates

export interface DuplicateQuery { radius: number; days: number; limit: number }

/** Open cases in the actor's scope that may report the same problem as this case, best first. */
export async function duplicatesOfCase(deps: IntelligenceDeps, actor: Actor, caseId: number, q: DuplicateQuery) {
  requireStaff(actor);
  const c = await getCase(deps.cases, actor, caseId);
  const settings = { ...DEFAULT_DUPLICATE_SETTINGS, radiusMeters: q.radius, days: q.days };
  const at0 = new Date(c.createdAt).getTime();
  const rows = await openCasesNear(deps.cases, actor, {
    excludeId: c.id, from: new Date(at0 - q.days * 86_400_000), to: new Date(at0 + q.days * 86_400_000),
    near: c.lat != null && c.lng != null ? { lat: c.lat, lng: c.lng, radius: q.radius } : null,
    communityCode: c.regionCode.slice(0, 12), limit: 1000,
  });
  const mine = characterBigrams(segment(caseText(c)));
  const at = new Date(c.createdAt).getTime();
  const ranked = rows.flatMap((r) => {
    const distance = c.lat != null && c.lng != null && r.lat != null && r.lng != null ? distanceMeters(c.lat, c.lng, r.lat, r.lng) : null;
    const text = Math.round(bigramCosine(mine, characterBigrams(segment(caseText(r)))) * 1000) / 1000;
    const parts = duplicateParts(text, distance, (new Date(r.created_at).getTime() - at) / 3_600_000, settings);
    if (!parts || !isDuplicateCandidate(parts, settings)) return [];
    return [{ r, parts, distance, score: duplicateScore(parts, settings) }];
  }).sort((a, b) => b.score - a.score || a.r.id - b.r.id);
  const mergeAction = openActionWithEffect(deps.cases, c, 'merge_into');
  const canMerge = mergeAction != null;
  return {
    caseId: c.id,
    canMerge,
    items: ranked.slice(0, q.limit).map(({ r, parts, distance, score }) => ({
      id: Number(r.id), caseNo: r.case_no, title: r.title, state: r.state, stateLabel: r.stateLabel, categoryCode: r.category_code,
      createdAt: new Date(r.created_at).toISOString(),
      distanceMeters: distance == null ? null : Math.round(distance),
      score,
      parts: { text: parts.text, distance: parts.distance == null ? null : Math.round(parts.distance * 1000) / 1000, time: Math.round(parts.time * 1000) / 1000 },
      // 合并: this case is merged into the candidate through the case action
      merge: mergeAction ? { method: 'POST', href: `/api/v1/cases/${c.id}/actions/${mergeAction}`, body: { intoCaseId: Number(r.id) } } : null,
    })),
  };
}

// ---------------------------------------------------------------------------------------------
// Hotspots

export interface HotspotQuery { days: number; limit: number; minCases: number; region?: string }

/** Hotspots among recent cases in the actor's territory, hottest first. */
export async function hotspots(deps: IntelligenceDeps, actor: Actor, q: HotspotQuery) {
  intelligencePolicy.assert(actor, 'intelligence.hotspots');
  const now = deps.cases.ctx.now();
  const rows = await recentTerritoryCases(deps.cases, actor, new Date(now.getTime() - q.days * 86_400_000), q.region);
  if (rows == null) throw forbidden({ zh: `热点按辖区统计，您的角色没有辖区。`, en: 'Hotspots are counted over a territory; your role has none.' });
  const byId = new Map(rows.map((r) => [Number(r.id), r]));
  const items: HotspotItem[] = rows.map((r) => ({
    id: Number(r.id), areaCode: r.community_code ?? r.region_code, categoryCode: r.category_code,
    tokens: segment(caseText(r)), createdAt: new Date(r.created_at),
    reporterKey: r.reporter_phone_hash ?? (r.reporter_user_id != null ? `user:${r.reporter_user_id}` : null),
  }));
  const found = findHotspots(items, now, { ...DEFAULT_HOTSPOT_SETTINGS, minCases: q.minCases }).slice(0, q.limit);
  const regionName = await deps.cases.regions.namesOf([...new Set(found.map((h) => h.areaCode))]);
  const n = await names(deps, [...new Set(found.map((h) => h.categoryCode))], []);
  return {
    days: q.days,
    items: found.map((h) => {
      const cat = n.categories.get(h.categoryCode);
      return {
        areaCode: h.areaCode, areaName: regionName.get(h.areaCode) ?? null,
        categoryCode: h.categoryCode, categoryName: cat ? cat.name : null,
        title: byId.get(h.representativeId)?.title ?? '', representativeCaseId: h.representativeId,
        count: h.count, reporters: h.reporters, heat: h.heat,
        firstAt: h.firstAt.toISOString(), lastAt: h.lastAt.toISOString(), caseIds: h.caseIds,
      };
    }),
  };
}
