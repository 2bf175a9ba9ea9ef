// The intelligence module's public surface: wiring into the platform.
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { CaseEngine } from '../cases/index.ts';
import { ModelStore } from './model-store.ts';
import { intelligenceRoutes } from './routes.ts';
import { autoDispatch, autoRetrainTick, type IntelligenceDeps } from './service.ts';
import { DEFAULT_HOTSPOT_SETTINGS, findHotspots, type Hotspot, type HotspotSettings } from './hotspots.ts';
import { segment } from './segment.ts';

export { ModelStore, SEED_EXAMPLES_FILE, type SeedExample } from './model-store.ts';
export { retrainFromClosedCases, autoRetrainTick, type IntelligenceDeps } from './service.ts';
// Text similarity for other modules' repeat detection (信访: the same matter petitioned again).
export { segment } from './segment.ts';
export { textSimilarity, characterBigrams, bigramCosine } from './similarity.ts';

/** Creates the module's services and subscribes 自动派单 to the case engine's new cases. */
export function createIntelligence(engine: CaseEngine): IntelligenceDeps {
  const cases = engine.deps;
  const { config, log } = cases.ctx;
  const deps: IntelligenceDeps = {
    cases,
    store: new ModelStore(join(config.dataDir, 'models'), log),
    autoDispatchThreshold: config.GONGZHI_AUTO_DISPATCH_THRESHOLD,
    suggestMinCases: config.GONGZHI_SUGGEST_MIN_CASES,
    retrainEvery: config.GONGZHI_RETRAIN_EVERY,
  };
  deps.store.refresh();
  engine.onReported((row) => autoDispatch(deps, row));
  return deps;
}

/** Checks every `intervalMs` whether enough cases closed to retrain the model (GONGZHI_RETRAIN_EVERY); returns the stop function. */
export function startAutoRetrain(deps: IntelligenceDeps, intervalMs = 10 * 60_000): () => void {
  const timer = setInterval(() => {
    autoRetrainTick(deps).catch((err) => deps.cases.ctx.log.warn({ err: (err as Error).message }, 'automatic retraining failed; the model in force stays'));
  }, intervalMs);
  timer.unref?.();
  return () => clearInterval(timer);
}

export function intelligenceModule(app: FastifyInstance, deps: IntelligenceDeps): void {
  intelligenceRoutes(app, deps);
}
export { intelligencePolicy } from './service.ts';

// Hotspots over cases another module has read from the case engine (the risk module's rule 热点涌现):
// the same grouping, similarity and heat as GET /api/v1/intelligence/hotspots.
export type { Hotspot, HotspotSettings } from './hotspots.ts';
export interface HotspotCase { id: number; title: string; description: string; areaCode: string; categoryCode: string; createdAt: Date; reporterKey: string | null }
export function hotspotsAmong(cases: HotspotCase[], now: Date, settings: Partial<HotspotSettings> = {}): Hotspot[] {
  const items = cases.map((c) => ({
    id: c.id, areaCode: c.areaCode, categoryCode: c.categoryCode, tokens: segment(`${c.title}\n${c.description}`), createdAt: c.createdAt, reporterKey: c.reporterKey,
  }));
  return findHotspots(items, now, { ...DEFAULT_HOTSPOT_SETTINGS, ...settings });
}
