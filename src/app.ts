// Builds the whole platform: database, migrations, services, HTTP. Used by the CLI, tests and benchmarks.
import type { DestinationStream } from 'pino';
import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from './platform/config.ts';
import { createLogger } from './platform/log.ts';
import { openDb, type Db } from './platform/db/index.ts';
import { migrate } from './platform/db/migrate.ts';
import { createCipher, loadDataKey } from './platform/crypto.ts';
import { EventHub } from './platform/events/index.ts';
import { defaultCalendarConfig, type CalendarConfig } from './platform/calendar/index.ts';
import type { AppContext } from './platform/context.ts';
import { buildHttp } from './platform/http/server.ts';
import { authRoutes } from './platform/auth/routes.ts';
import { eventRoutes } from './platform/events/routes.ts';
import { directoryRoutes } from './platform/directory.ts';
import { RegionService } from './modules/regions/service.ts';
import { regionRoutes } from './modules/regions/routes.ts';
import { WorkflowRegistry } from './modules/cases/registry.ts';
import { loadRoutingTable, type RoutingTable } from './modules/cases/routing.ts';
import { caseRoutes } from './modules/cases/routes.ts';
import type { CaseDeps } from './modules/cases/service.ts';
import { startScheduler } from './modules/cases/scheduler.ts';
import { consoleRoutes } from './platform/http/console.ts';
import { statsRoutes } from './modules/cases/stats-routes.ts';
import { adminRoutes } from './modules/admin/routes.ts';
import { portalRoutes } from './modules/portal/routes.ts';
import { registryModule } from './modules/registry/index.ts';
import { gridModule } from './modules/grids/index.ts';
import { createIntelligence, intelligenceModule } from './modules/intelligence/index.ts';

export interface Platform {
  ctx: AppContext;
  http: FastifyInstance;
  cases: CaseDeps;
  regions: RegionService;
  /** Re-reads settings, responsibility list and grid polygons (after imports or admin edits). */
  reload(): Promise<void>;
  startBackground(): void;
  close(): Promise<void>;
}

export interface PlatformOptions {
  config?: Config;
  db?: Db;
  now?: () => Date;
  logLevel?: string;
  /** Where the logs go (default stdout). */
  logStream?: DestinationStream;
}

export async function loadCalendarConfig(db: Db): Promise<CalendarConfig> {
  const rows = await db.query<{ key: string; value: any }>(`SELECT key, value FROM setting WHERE key IN ('calendar.hours', 'calendar.overrides')`);
  const by = new Map(rows.map((r) => [r.key, r.value]));
  return { hours: by.get('calendar.hours') ?? defaultCalendarConfig.hours, overrides: by.get('calendar.overrides') ?? {} };
}

export async function createPlatform(opts: PlatformOptions = {}): Promise<Platform> {
  const config = opts.config ?? loadConfig();
  const log = createLogger(opts.logLevel ?? config.LOG_LEVEL, opts.logStream);
  const db = opts.db ?? (await openDb({ databaseUrl: config.DATABASE_URL, dataDir: config.dataDir, poolSize: config.GONGZHI_DB_POOL }));
  await migrate(db);
  const workflows = new WorkflowRegistry();
  await workflows.sync(db);
  const ctx: AppContext = {
    db, config, log,
    cipher: createCipher(loadDataKey(config.GONGZHI_DATA_KEY, config.dataDir)),
    events: new EventHub(db),
    calendar: await loadCalendarConfig(db),
    now: opts.now ?? (() => new Date()),
  };
  const regions = new RegionService(db);
  await regions.load();

  let routing: { table: RoutingTable; until: number } | null = null;
  const cases: CaseDeps = {
    ctx, workflows,
    locate: (lng, lat) => regions.locate(lng, lat),
    routing: async () => {
      if (!routing || routing.until < Date.now()) routing = { table: await loadRoutingTable(db), until: Date.now() + 30_000 };
      return routing.table;
    },
  };

  const intelligence = createIntelligence(cases);

  const reload = async () => {
    ctx.calendar = await loadCalendarConfig(db);
    routing = null;
    await regions.load();
  };

  const http = await buildHttp(ctx, [
    (app) => authRoutes(app, ctx),
    (app) => directoryRoutes(app, ctx),
    (app) => regionRoutes(app, regions),
    (app) => caseRoutes(app, cases),
    (app) => eventRoutes(app, ctx),
    // further modules register here
    async (app) => { await registryModule(app, ctx); },
    (app) => gridModule(app, { ctx, regions, reload }),
    (app) => statsRoutes(app, cases),
    (app) => intelligenceModule(app, intelligence),
    (app) => adminRoutes(app, ctx, { reload }),
    (app) => portalRoutes(app, cases, regions),
    (app) => consoleRoutes(app, ctx),
  ]);

  let stopScheduler: (() => void) | null = null;
  return {
    ctx, http, cases, regions,
    reload,
    startBackground() {
      void ctx.events.start();
      stopScheduler = startScheduler(cases, config.GONGZHI_SCHEDULER_INTERVAL_MS);
    },
    async close() {
      stopScheduler?.();
      ctx.events.stop();
      await http.close();
      await db.close();
    },
  };
}
