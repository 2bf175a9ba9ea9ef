// Builds the whole platform: database, migrations, services, HTTP. Used by the CLI, tests and benchmarks.
import type { DestinationStream } from 'pino';
import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from './platform/config.ts';
import { createLogger } from './platform/log.ts';
import { openDb, type Db } from './platform/db/index.ts';
import { migrateAs } from './platform/db/roles.ts';
import { Attachments, createFileStore, fileMigrationSteps, fileRoutes, type FileStore } from './platform/files/index.ts';
import { retentionPolicy, retentionTask, startHousekeeping } from './platform/housekeeping.ts';
import { createCipher, loadDataKey, verifyDataKey } from './platform/crypto.ts';
import { EventHub } from './platform/events/index.ts';
import { defaultCalendarConfig, type CalendarConfig } from './platform/calendar/index.ts';
import type { AppContext } from './platform/context.ts';
import { buildHttp } from './platform/http/server.ts';
import { Abilities } from './platform/policy.ts';
import { accountPolicy } from './platform/auth/totp.ts';
import { authRoutes } from './platform/auth/routes.ts';
import { eventRoutes } from './platform/events/routes.ts';
import { directoryRoutes } from './platform/directory.ts';
import { gridModule, gridPolicy, RegionService, regionRoutes } from './modules/regions/index.ts';
import { caseGridCarrier, caseIdVisibleTo, caseItems, createCaseEngine, loadCatalog, type CaseDeps, type CaseTypeDef } from './modules/cases/index.ts';
import { consoleRoutes } from './platform/http/console.ts';
import { adminPolicy, adminRoutes } from './modules/admin/index.ts';
import { portalRoutes } from './modules/portal/index.ts';
import { registryCarrier, registryModule, registryPolicy, registryRefNames } from './modules/registry/index.ts';
import { createIntelligence, intelligenceModule, intelligencePolicy, startAutoRetrain, type IntelligenceDeps } from './modules/intelligence/index.ts';
import { Meetings } from './platform/meetings/index.ts';
import { meetingRoutes } from './platform/meetings/routes.ts';
import { createMediation, disputeRiskFeed, mediationCaseEffects, mediationCaseTypes, mediationModule, mediationPolicy } from './modules/mediation/index.ts';
import { fieldVisitPages, fieldworkModule, fieldworkPolicy, visitPlanCarrier } from './modules/fieldwork/index.ts';
import { addressPolicy, addressRoutes, createAddresses, type AddressService } from './modules/addresses/index.ts';
import { knowledgeModule, knowledgePolicy } from './modules/knowledge/index.ts';
import { createRisk, hazardCaseTypes, riskEffects, riskModule, riskPolicy, type RiskService } from './modules/risk/index.ts';
import { createParticipation, participationModule, participationPolicy } from './modules/participation/index.ts';

export interface Platform {
  ctx: AppContext;
  http: FastifyInstance;
  cases: CaseDeps;
  regions: RegionService;
  risk: RiskService;
  addresses: AddressService;
  /** The text model and its suggestions (the demo seed trains it). */
  intelligence: IntelligenceDeps;
  /** Re-reads settings, responsibility list and grid polygons (after imports or admin edits). */
  reload(): Promise<void>;
  startBackground(): void;
  close(): Promise<void>;
}

export interface PlatformOptions {
  config?: Config;
  db?: Db;
  /** The file store for attachments; by default the one the configuration names. */
  files?: FileStore;
  now?: () => Date;
  logLevel?: string;
  /** Case types beyond the built-in ones, each one definition (see docs/case-types.md). */
  caseTypes?: CaseTypeDef[];
  /** Where the logs go (default stdout). */
  logStream?: DestinationStream;
}

export async function loadCalendarConfig(db: Db): Promise<CalendarConfig> {
  const rows = await db.query<{ key: string; value: any }>(`SELECT key, value FROM setting WHERE key IN ('calendar.hours', 'calendar.overrides')`);
  const by = new Map(rows.map((r) => [r.key, r.value]));
  return { hours: by.get('calendar.hours') ?? defaultCalendarConfig.hours, overrides: by.get('calendar.overrides') ?? {} };
}

/**
 * Applies pending migrations (as the owner when GONGZHI_OWNER_DATABASE_URL is set, granting DATABASE_URL's
 * role its runtime rights), copying old attachment bytes into the file store on the way (0032).
 */
export async function migrateDatabase(db: Db, config: Config, store: FileStore | null, log?: { info(o: object, m: string): void }) {
  const steps = fileMigrationSteps(store, (n) => log?.info({ attachments: n, store: store?.description }, 'copied attachment contents into the file store'));
  return migrateAs(db, config.GONGZHI_OWNER_DATABASE_URL, config.DATABASE_URL, steps);
}

export async function createPlatform(opts: PlatformOptions = {}): Promise<Platform> {
  const config = opts.config ?? loadConfig();
  const log = createLogger(opts.logLevel ?? config.LOG_LEVEL, opts.logStream);
  const db = opts.db ?? (await openDb({ databaseUrl: config.DATABASE_URL, dataDir: config.dataDir, poolSize: config.GONGZHI_DB_POOL }));
  const store = opts.files ?? (await createFileStore(config));
  await migrateDatabase(db, config, store, log);
  await loadCatalog(db); // the category tree's data file, when it is newer than the database's copy
  const ctx: AppContext = {
    db, config, log,
    cipher: createCipher(loadDataKey(config.GONGZHI_DATA_KEY, config.dataDir)),
    files: new Attachments(db, store, () => ctx.now(), log.child({ component: 'files' })),
    events: new EventHub(db, {
      intervalMs: config.GONGZHI_EVENTS_POLL_MS,
      onError: (err) => log.warn({ err }, 'event delivery round failed; the next round retries from the same position'),
    }),
    calendar: await loadCalendarConfig(db),
    now: opts.now ?? (() => new Date()),
    abilities: new Abilities(),
  };
  await verifyDataKey(db, ctx.cipher); // a different key than the data was sealed with stops here
  // the hub's starting position is taken before the grid index is loaded: a grid change committed
  // in between is delivered to the index rather than lost
  await ctx.events.init();
  const regions = new RegionService(db);
  await regions.load();
  const addresses = createAddresses(ctx, regions);
  await addresses.load();
  regions.setPlacer((address) => addresses.place(address));

  const engine = await createCaseEngine(ctx, regions, {
    types: [...mediationCaseTypes, ...hazardCaseTypes, ...(opts.caseTypes ?? [])], effects: { ...mediationCaseEffects(ctx), ...riskEffects },
  });
  const cases = engine.deps;
  const intelligence = createIntelligence(engine);
  const meetings = new Meetings(ctx);
  const mediation = createMediation(engine, meetings);
  const risk = await createRisk(ctx, engine, meetings);
  risk.connectDisputes(disputeRiskFeed(ctx)); // 民转刑 scores feed the dispute_risk rule
  for (const policy of [accountPolicy, engine.policy, registryPolicy, gridPolicy, adminPolicy, intelligencePolicy, mediationPolicy, riskPolicy, fieldworkPolicy, addressPolicy, knowledgePolicy]) ctx.abilities.add(policy);
  const participation = createParticipation(ctx, { meetings });
  ctx.abilities.add(participationPolicy);

  const reload = async () => {
    ctx.calendar = await loadCalendarConfig(db);
    engine.reloadRouting();
    await regions.load();
    await addresses.load();
  };

  const http = await buildHttp(ctx, [
    (app) => authRoutes(app, ctx),
    (app) => directoryRoutes(app, ctx),
    (app) => regionRoutes(app, regions),
    (app) => engine.routes(app),
    (app) => eventRoutes(app, ctx),
    (app) => fileRoutes(app, ctx.files, (actor, caseId) => caseIdVisibleTo(db, actor, caseId), (actor) => engine.policy.assert(actor, 'case.attach')),
    // further modules register here
    // the audit of reveals names a case by its number (a reporter's contact revealed on it)
    async (app) => { await registryModule(app, ctx, { targetNames: { case: async (ids) => new Map([...(await caseItems(cases, ids))].map(([id, c]) => [id, c.caseNo])) } }); },
    (app) => gridModule(app, { ctx, regions, reload, carriers: [registryCarrier, visitPlanCarrier, caseGridCarrier], refNames: (refs) => registryRefNames(db, refs), visitPages: (ids) => fieldVisitPages(db, ids) }),
    (app) => intelligenceModule(app, intelligence),
    (app) => meetingRoutes(app, meetings),
    (app) => mediationModule(app, mediation),
    (app) => riskModule(app, risk),
    (app) => { fieldworkModule(app, { ctx, cases, regions, reload }); },
    (app) => addressRoutes(app, addresses),
    (app) => knowledgeModule(app, ctx),
    (app) => participationModule(app, participation),
    (app) => adminRoutes(app, ctx, { reload, caseTypes: () => cases.types.types().map((d) => d.type) }),
    (app) => portalRoutes(app, cases, regions, addresses),
    (app) => consoleRoutes(app, ctx),
  ]);

  let stopScheduler: (() => void) | null = null;
  let stopHousekeeping: (() => void) | null = null;
  let stopRetrain: (() => void) | null = null;
  return {
    ctx, http, cases, regions, risk, addresses, intelligence,
    reload,
    startBackground() {
      void ctx.events.start();
      void risk.start().catch((err) => log.error({ err }, 'risk prevention\'s background work could not start'));
      stopScheduler = engine.startScheduler(config.GONGZHI_SCHEDULER_INTERVAL_MS);
      stopRetrain = startAutoRetrain(intelligence);
      stopHousekeeping = startHousekeeping([retentionTask(db, retentionPolicy(config)), ctx.files.garbageTask()],
        config.GONGZHI_HOUSEKEEPING_INTERVAL_MINUTES * 60_000, ctx.now, log.child({ component: 'housekeeping' }));
    },
    async close() {
      await risk.stop();
      stopScheduler?.();
      stopHousekeeping?.();
      stopRetrain?.();
      ctx.events.stop();
      await http.close();
      await db.close();
      store.close?.();
    },
  };
}
