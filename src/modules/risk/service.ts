// The risk module's services wired together: the register follows the case engine (new hazards, cases
// changed into hazards, every step), the rule engine hears what happens (reports, steps, readings, time),
// alerts become cases by hand or by rule, sensors stream in over MQTT and HTTP.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Actor } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import type { DomainEvent } from '../../platform/events/index.ts';
import { getActor } from '../../platform/auth/service.ts';
import { openPostgres } from '../../platform/db/index.ts';
import { unprocessable } from '../../platform/errors.ts';
import { chineseDate, chineseDateTime } from '../../platform/documents/index.ts';
import { latestCaseStep, stepFactOf, type CaseDeps, type CaseEngine, type CaseRow } from '../cases/index.ts';
import { alertForCase, handleAlert, type RaisedAlert } from './alerts.ts';
import { HAZARD_TYPE, registerHazard, syncRegister } from './hazards.ts';
import { RuleEngine } from './rules/engine.ts';
import { backtest, dbHistory, type DisputeRiskSource } from './rules/backtest.ts';
import type { Candidate } from './rules/kinds.ts';
import { chinaDate, type CaseReportSignal } from './rules/history.ts';
import { dailyReport, streetsWithActivity } from './checks.ts';
import type { RuleRow } from './rules/service.ts';
import { DeviceDirectory } from './sensors/devices.ts';
import { Ingestor } from './sensors/ingest.ts';
import { ensurePartitions, expireReadings, markOffline } from './sensors/store.ts';
import { startMqtt, type MqttIngest } from './sensors/mqtt.ts';
import type { AlertConvertT } from './contracts.ts';
import { registryFollowups, type FollowupSource } from './followups.ts';
import { dictionaryLabels } from '../registry/index.ts';
import type { Meetings } from '../../platform/meetings/index.ts';
import { weeklyReviewKind } from './weekly.ts';

export interface RiskDeps {
  ctx: AppContext;
  cases: CaseDeps;
  devices: DeviceDirectory;
  rules: RuleEngine;
  ingest: Ingestor;
  disputes: DisputeRiskSource | null;
  /** Where overdue key-person follow-ups come from (the registry's records unless another source is connected). */
  followups: FollowupSource;
}

/** A report as the rules see it, from the row intake wrote (the same fields caseReportsBetween reads). */
export function reportSignal(row: CaseRow): CaseReportSignal {
  return {
    id: Number(row.id), caseNo: row.case_no, type: row.type, at: new Date(row.created_at), regionCode: row.region_code,
    streetCode: row.street_code ?? null, communityCode: row.community_code ?? null, categoryCode: row.category_code, title: row.title,
    description: row.description, urgency: row.urgency,
    reporterKey: row.reporter_phone_hash ?? (row.reporter_user_id != null ? `user:${row.reporter_user_id}` : null), address: row.address ?? null,
  };
}

// ---------------------------------------------------------------------------------------------
// Alert → case

const kindTitles: Record<string, string> = {
  case_threshold: '同类事件聚集', case_surge: '事件量激增', keyword: '涉稳关键词', repeat: '重复反映', urgent_overdue: '紧急件超期',
  unit_overdue_surge: '单位超期集中', returned_repeatedly: '案件多次退回', hotspot: '热点问题', followup_overdue: '重点人员跟踪超期',
  dispute_risk: '民转刑风险', sensor_threshold: '监测数值越限', sensor_offline: '监测设备离线',
};

/** The case text of an alert (a record in Chinese, like every case; the console renders alerts in either language). */
export function describeAlert(a: { kind: string; facts: Record<string, any>; ruleName?: string | null; regionName?: string | null }, labels: { metric?: string } = {}): { title: string; description: string } {
  const f = a.facts;
  const where = a.regionName ?? '';
  const lines: Record<string, () => string> = {
    case_threshold: () => `${where}${f.days}天内同类事件${f.count}件（分类${f.categoryCode}）。`,
    case_surge: () => `${where}近${f.windowDays}天事件${f.count}件，前期均值${f.baseline}件，超过${f.factor}倍。`,
    keyword: () => `案件${f.caseNo}含涉稳关键词：${(f.keywords ?? []).join('、')}。`,
    repeat: () => `${f.days}天内${f.by === 'address' ? `同一地址（${f.address ?? ''}）` : '同一反映人'}反映${f.count}次。`,
    urgent_overdue: () => `紧急案件${f.caseNo}办理超期。`,
    unit_overdue_surge: () => `单位${f.unitId}近${f.days}天超期${f.count}件。`,
    returned_repeatedly: () => `案件${f.caseNo}已被退回${f.returns}次。`,
    hotspot: () => `${where}出现热点问题：${f.title ?? ''}（${f.count}件，${f.reporters}人反映）。`,
    followup_overdue: () => `重点人员（标签${f.labelType}）跟踪帮扶应于${chineseDate(f.dueOn)}完成，已超期${f.daysOverdue}天。`,
    dispute_risk: () => `矛盾纠纷${f.caseNo}民转刑风险评分${f.score}：${(f.reasons ?? []).join('；')}。`,
    sensor_threshold: () => `${f.deviceName}（${f.deviceCode}）${labels.metric ?? `监测指标${f.metric}`}为${f.value}，${({ gt: '高于', gte: '达到', lt: '低于', lte: '不高于' } as Record<string, string>)[f.op] ?? ''}阈值${f.threshold}。`,
    sensor_offline: () => `${f.deviceName}（${f.deviceCode}）自${chineseDateTime(f.lastAt)}起${f.minutes}分钟无数据。`,
  };
  const title = `【预警】${a.ruleName ?? kindTitles[a.kind] ?? a.kind}${where ? ` · ${where}` : ''}`.slice(0, 200);
  return { title, description: (lines[a.kind]?.() ?? JSON.stringify(f)).slice(0, 5000) };
}

/** 转为案件: a hazard case made of the alert, registered with it as the source; the alert names the case. */
export async function convertAlert(deps: RiskDeps, actor: Actor, alertId: number, input: AlertConvertT, auto = false) {
  const alert = await alertForCase(deps.ctx.db, actor, alertId);
  if (!['open', 'acknowledged', 'assigned'].includes(alert.status)) {
    throw unprocessable('alert_closed', { zh: `该预警当前状态为“${alert.status}”，不能转为案件。`, en: `The alert is ${alert.status}; it cannot be turned into a case.` });
  }
  // a metric by its name in the dictionary (可燃气体浓度（%LEL）), not its key (lel)
  const metric = alert.kind === 'sensor_threshold' ? (await dictionaryLabels(deps.ctx.db, 'sensor_metric')).get(String(alert.facts.metric))?.zh : undefined;
  const text = describeAlert({ kind: alert.kind, facts: alert.facts, ruleName: alert.ruleName, regionName: alert.regionName }, { metric });
  const place = await placeOf(deps, alert.regionCode, alert.deviceId);
  const hazard = await registerHazard(deps.cases, actor, {
    categoryCode: input.categoryCode, title: input.title ?? text.title, description: input.description ?? text.description,
    ...place, source: alert.deviceId ? 'sensor' : 'alert', level: (input.level ?? alert.level) as 'red', channel: alert.deviceId ? 'sensor' : 'web',
  });
  // a device's spot marks the hazard on the register's map (the case itself is placed by its grid)
  const d = alert.deviceId ? deps.devices.byDeviceId(alert.deviceId) : undefined;
  await deps.ctx.db.query('UPDATE hazard SET alert_id = $2, lat = coalesce(lat, $3), lng = coalesce(lng, $4) WHERE case_id = $1',
    [hazard.caseId, alertId, d?.lat ?? null, d?.lng ?? null]);
  await handleAlert(deps.ctx.db, actor, alertId, { action: 'convert', caseId: hazard.caseId, note: input.note, auto }, deps.ctx.now());
  deps.ctx.events.poke();
  return { alertId, caseId: hazard.caseId, caseNo: hazard.caseNo };
}

/** Where a case made of an alert is placed: the device's spot, else the alert's region (a street or below). */
async function placeOf(deps: RiskDeps, regionCode: string, deviceId: number | null): Promise<{ lat?: number; lng?: number; regionCode?: string; address?: string }> {
  const d = deviceId ? deps.devices.byDeviceId(deviceId) : undefined;
  if (d) return { regionCode: d.regionCode, ...(d.address ? { address: d.address } : {}) };
  if (regionCode.length < 9) throw unprocessable('region_too_coarse', { zh: `该预警针对整个区县，请从其关联的案件中选择一件办理。`, en: 'This alert is about a whole district; make a case of one of its cases instead.' });
  return { regionCode };
}

/** A rule that makes cases by itself: the case is reported in the name of whoever last saved the rule. */
async function autoCase(deps: RiskDeps, rule: RuleRow, alert: RaisedAlert): Promise<void> {
  const auto = rule.params.autoCase as { categoryCode: string } | undefined;
  if (!auto) return;
  const [v] = await deps.ctx.db.query<{ actor_id: number | null }>(
    'SELECT actor_id FROM alert_rule_version WHERE rule_id = $1 AND district_code = $2 ORDER BY version DESC LIMIT 1', [rule.id, rule.districtCode]);
  const author = v?.actor_id != null ? await getActor(deps.ctx.db, Number(v.actor_id)) : null;
  if (!author) { deps.ctx.log.warn({ ruleId: rule.id, alertId: alert.id }, 'the rule\'s author is gone; its alert waits for a person to make it a case'); return; }
  await convertAlert(deps, author, alert.id, { categoryCode: auto.categoryCode, note: '规则自动转为案件' }, true);
}

// ---------------------------------------------------------------------------------------------
// Wiring

export interface StartOptions {
  /** Connect to the MQTT broker (GONGZHI_MQTT_URL) and ingest readings. Default: when a URL is configured. */
  mqtt?: boolean;
  /** Evaluate time-based rules on an interval. Default true. */
  ticks?: boolean;
}

export class RiskService {
  readonly deps: RiskDeps;
  private stops: Array<() => void | Promise<void>> = [];
  private mqtt: MqttIngest | null = null;
  private pending: Promise<void> = Promise.resolve();
  private started = false;

  constructor(ctx: AppContext, engine: CaseEngine, readonly meetings?: Meetings) {
    const devices = new DeviceDirectory(ctx.db);
    const deps = { ctx, cases: engine.deps, devices, disputes: null, followups: registryFollowups(ctx.db) } as unknown as RiskDeps;
    // the follow-ups are read through deps, so a source connected later is the one asked
    const history = dbHistory({ cases: engine.deps, db: ctx.db, devices, followups: { due: (q) => deps.followups.due(q) } });
    deps.rules = new RuleEngine(ctx, history, (rule, alert, c) => this.afterRaise(rule, alert, c));
    deps.ingest = new Ingestor(ctx.db, devices, (r) => deps.rules.checkReading(r), {
      batchSize: ctx.config.GONGZHI_SENSOR_BATCH, log: ctx.log.child({ component: 'sensors' }), topicRoot: ctx.config.GONGZHI_MQTT_TOPIC,
      now: () => ctx.now().getTime(),
    });
    this.deps = deps;
    meetings?.register(weeklyReviewKind(engine.deps));
    // every new case goes past the rules; a new hazard enters the register
    engine.onReported(async (row) => {
      if (row.type === HAZARD_TYPE) await syncRegister(engine.deps, [Number(row.id)]);
      this.deps.rules.push({ type: 'report', at: new Date(row.created_at), report: reportSignal(row) });
      return false;
    });
  }

  async init(): Promise<void> {
    await Promise.all([this.deps.rules.reload(), this.deps.devices.load()]);
  }

  private async afterRaise(rule: RuleRow, alert: RaisedAlert, c: Candidate): Promise<void> {
    if (rule.kind === 'sensor_offline' && c.deviceId) await markOffline(this.deps.ctx.db, [c.deviceId], c.at);
    await autoCase(this.deps, rule, alert);
  }

  /** Connects a source of dispute risk scores (the mediation module's, once it exists). */
  connectDisputes(source: DisputeRiskSource): void {
    this.deps.disputes = source;
    this.stops.push(source.subscribe((score) => this.deps.rules.push({ type: 'dispute_score', at: score.at, score })));
  }

  /** Connects the source of key persons' follow-ups due (the registry's label schedules, once they exist). */
  connectFollowups(source: FollowupSource): void {
    this.deps.followups = source;
  }

  /** Case events: the register follows its hazards; steps gone overdue and returns go to the rules. */
  private onEvent(e: DomainEvent): void {
    if (e.topic === 'alert_rule.changed') {
      this.pending = this.pending.then(() => this.deps.rules.reload()).catch((err) => this.deps.ctx.log.warn({ err }, 'rules could not be reloaded'));
      return;
    }
    // new cases come through onReported (in the process that took them); other case events here, in every process
    if (!e.topic.startsWith('case.') || e.topic === 'case.reported') return;
    const caseId = Number(e.payload.caseId);
    const action = String(e.payload.action ?? '');
    if (!caseId) return;
    this.pending = this.pending.then(async () => {
      try {
        await this.followCase(caseId, action);
      } catch (err) {
        this.deps.ctx.log.warn({ err, caseId }, 'a case event could not be followed by the risk module');
      }
    });
  }

  private async followCase(caseId: number, action: string): Promise<void> {
    const { cases, ctx } = this.deps;
    const [known] = await ctx.db.query('SELECT 1 FROM hazard WHERE case_id = $1', [caseId]);
    const switching = cases.types.all().some((d) => d.actions.some((a) => a.name === action && a.effect === 'switch_type'));
    if (known || switching) await syncRegister(cases, [caseId]);
    const fact = stepFactOf(cases, action);
    if (!fact) return;
    const step = await latestCaseStep(cases, caseId, fact);
    if (step) this.deps.rules.push({ type: 'step', at: step.at, step });
  }

  /** Waits until the case events heard so far and the triggers queued have been dealt with (tests, benchmarks). */
  async settle(): Promise<void> {
    await this.deps.ctx.events.tick();
    await this.pending;
    await this.deps.rules.drain();
  }

  /** Background work: case events, ticks for time-based rules, sensor ingestion, partitions and retention. */
  async start(opts: StartOptions = {}): Promise<void> {
    if (this.started) return;
    this.started = true;
    const { ctx } = this.deps;
    await ctx.events.start();
    this.stops.push(ctx.events.subscribe({ onEvent: (e) => this.onEvent(e) }));
    await this.deps.rules.reload();
    this.deps.ingest.start();
    this.stops.push(() => this.deps.ingest.close());
    if (opts.ticks ?? true) {
      const tick = setInterval(() => this.tick(), ctx.config.GONGZHI_RISK_TICK_SECONDS * 1000);
      tick.unref();
      this.stops.push(() => clearInterval(tick));
    }
    // partitions are made and dropped by the schema's owner (the runtime role may not create tables)
    const upkeep = async () => {
      const ownerUrl = ctx.config.GONGZHI_OWNER_DATABASE_URL;
      let db = ctx.db;
      try {
        if (ownerUrl && ctx.db.engine === 'postgres') db = await openPostgres(ownerUrl, 1);
        await ensurePartitions(db, ctx.now());
        await expireReadings(db, new Date(ctx.now().getTime() - ctx.config.GONGZHI_SENSOR_RETENTION_DAYS * 86_400_000));
      } catch (err) {
        ctx.log.warn({ err }, 'sensor partitions could not be kept up; readings go to the default partition meanwhile');
      } finally {
        if (db !== ctx.db) await db.close().catch(() => undefined);
      }
    };
    await upkeep();
    const hourly = setInterval(() => void upkeep(), 3600_000);
    hourly.unref();
    this.stops.push(() => clearInterval(hourly));
    // how long the process's work waited for its turn, second by second (the ingestion's health, and what
    // an alert's way to the console waits on under load)
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const sample = setInterval(() => {
      this.loopSeconds.push({ p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 });
      if (this.loopSeconds.length > 60) this.loopSeconds.shift();
      loop.reset();
    }, 1000);
    sample.unref();
    this.stops.push(() => { clearInterval(sample); loop.disable(); });
    const url = ctx.config.GONGZHI_MQTT_URL;
    if ((opts.mqtt ?? !!url) && url) {
      this.mqtt = await startMqtt(url, ctx.config.GONGZHI_MQTT_TOPIC, this.deps.ingest, ctx.log.child({ component: 'mqtt' }), { quiet: !!ctx.config.mqttQuiet });
      this.stops.push(() => this.mqtt?.stop());
    }
  }

  /** One evaluation of the time-based rules (offline sensors, overdue follow-ups) at the platform's time; after midnight, yesterday's daily reports. */
  tick(): void {
    const now = this.deps.ctx.now();
    this.deps.rules.push({ type: 'tick', at: now });
    const today = chinaDate(now);
    if (this.reportedDay !== today) {
      this.reportedDay = today;
      void this.dailyReports(chinaDate(new Date(now.getTime() - 86_400_000)));
    }
  }
  private reportedDay: string | null = null;

  /** 日报告, made by the platform: every street with checks, alerts or hazards on the day gets its report. */
  async dailyReports(day: string): Promise<number> {
    let n = 0;
    try {
      for (const street of await streetsWithActivity(this.deps.ctx.db, day)) { await dailyReport(this.deps.cases, null, street, day, this.deps.followups); n++; }
    } catch (err) {
      this.deps.ctx.log.warn({ err, day }, 'daily reports could not all be made; the next call of the day\'s report makes it');
    }
    return n;
  }

  private loopSeconds: Array<{ p99: number; max: number }> = [];

  /** The event loop's delay over the last minute (ms): the worst second's p99, and the longest wait. */
  eventLoopDelay(): { seconds: number; p99: number; max: number } {
    const xs = this.loopSeconds;
    const round = (x: number) => Math.round(x * 10) / 10;
    return { seconds: xs.length, p99: round(Math.max(0, ...xs.map((x) => x.p99))), max: round(Math.max(0, ...xs.map((x) => x.max))) };
  }

  /** Whether the MQTT subscription is up (for the console's sensor page and the health of the pipeline). */
  mqttStatus(): { configured: boolean; connected: boolean } {
    return { configured: !!this.deps.ctx.config.GONGZHI_MQTT_URL, connected: !!this.mqtt?.connected() };
  }

  async stop(): Promise<void> {
    this.deps.rules.stop();
    for (const s of this.stops.splice(0).reverse()) await s();
  }

  /** A rule's back-test with this module's sources. */
  async backtest(rule: Parameters<typeof backtest>[1], from: Date, to: Date) {
    if (rule.kind === 'sensor_threshold' || rule.kind === 'sensor_offline') await this.deps.devices.load();
    return backtest({ cases: this.deps.cases, db: this.deps.ctx.db, devices: this.deps.devices, disputes: this.deps.disputes, followups: this.deps.followups }, rule, from, to);
  }
}
