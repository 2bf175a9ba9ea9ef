// The live rule engine: every enabled rule, evaluated on the triggers it watches — a case reported (the
// case engine's onReported), a step gone overdue or a case returned (case events), a sensor reading (the
// ingestion, synchronously), a dispute's risk score, and a tick for rules over time. Triggers are queued
// and evaluated one after another, off the request that caused them; candidates become alerts unless
// their subject is quiet (alerts.ts). Every process may run it: the quiet-period claim is atomic.
import type { AppContext } from '../../../platform/context.ts';
import { raiseAlert, type RaisedAlert } from '../alerts.ts';
import { evaluators, mayRaise, readingCandidate, watches, type Candidate, type RuleDef } from './kinds.ts';
import type { History, Reading, Trigger } from './history.ts';
import { enabledRules, type RuleRow } from './service.ts';

const RELOAD_MS = 60_000;

export type OnRaised = (rule: RuleRow, alert: RaisedAlert, candidate: Candidate) => Promise<void>;

export class RuleEngine {
  private rules: RuleRow[] = [];
  private byWatch = new Map<Trigger['type'], RuleRow[]>();
  private thresholdByDistrict = new Map<string, RuleRow[]>();
  private loadedAt = 0;
  private queue: Array<{ trigger: Trigger } | { rule: RuleRow; candidate: Candidate }> = [];
  private running: Promise<void> | null = null;
  /** Subjects this process knows to be quiet until then (null: for good); the database decides the rest. */
  private quiet = new Map<string, Date | null>();
  /** Readings above a line claim their subject here first, so a burst of them queues one raise. */
  private claims = new Map<string, Date | null>();
  private stopped = false;
  /** Raised alerts, counted for the console and the benchmarks. */
  raised = 0;
  errors = 0;

  constructor(private ctx: AppContext, private history: History, private onRaised: OnRaised) {}

  async reload(): Promise<void> {
    this.rules = await enabledRules(this.ctx.db);
    this.loadedAt = Date.now();
    this.byWatch.clear();
    this.thresholdByDistrict.clear();
    for (const r of this.rules) {
      const w = watches[r.kind];
      this.byWatch.set(w, [...(this.byWatch.get(w) ?? []), r]);
      if (r.kind === 'sensor_threshold') this.thresholdByDistrict.set(r.districtCode, [...(this.thresholdByDistrict.get(r.districtCode) ?? []), r]);
    }
    // a changed rule may have changed its quiet periods: the database is asked again
    this.quiet.clear();
    this.claims.clear();
  }

  private maybeReload(): void {
    if (Date.now() - this.loadedAt > RELOAD_MS) void this.reload().catch((err) => this.ctx.log.warn({ err }, 'rules could not be reloaded'));
  }

  /** Something happened: evaluated soon, in order, off the caller's path. */
  push(trigger: Trigger): void {
    if (this.stopped) return;
    this.maybeReload();
    if (trigger.type !== 'tick' && !this.byWatch.get(trigger.type)?.length) return;
    this.queue.push({ trigger });
    this.run();
  }

  /** A reading, checked here and now against the threshold rules of its district (30,000 a second: no query). */
  checkReading(r: Reading): void {
    const rules = this.thresholdByDistrict.get(r.districtCode);
    if (!rules) return;
    for (const rule of rules) {
      const c = readingCandidate(rule, r);
      if (!c) continue;
      const key = `${rule.id}|${c.subject}`;
      if (!mayRaise(this.claims.get(key), c.at)) continue;
      if (this.claims.size > 200_000) this.claims.clear();
      this.claims.set(key, c.quietUntil);
      this.queue.push({ rule, candidate: c });
      this.run();
    }
  }

  /** The enabled threshold rules of a district (the sensor list marks the devices past one). */
  thresholdRules(districtCode: string): readonly RuleRow[] {
    return this.thresholdByDistrict.get(districtCode) ?? [];
  }

  /** Resolves when every queued trigger has been evaluated (tests, shutdown). */
  async drain(): Promise<void> {
    while (this.running) await this.running;
  }

  stop(): void { this.stopped = true; this.queue = []; }

  private run(): void {
    if (this.running) return;
    this.running = (async () => {
      while (this.queue.length) {
        const next = this.queue.shift()!;
        try {
          if ('trigger' in next) await this.evaluate(next.trigger);
          else await this.raise(next.rule, next.candidate);
        } catch (err) {
          this.errors++;
          this.ctx.log.warn({ err }, 'a rule could not be evaluated');
        }
      }
    })().finally(() => { this.running = null; });
  }

  /** Evaluates the rules that watch the trigger; returns the alerts raised. */
  async evaluate(t: Trigger): Promise<RaisedAlert[]> {
    const out: RaisedAlert[] = [];
    const rules = t.type === 'tick' ? [...(this.byWatch.get('tick') ?? [])] : this.byWatch.get(t.type) ?? [];
    for (const rule of rules) {
      if (!appliesTo(rule, t)) continue;
      for (const c of await evaluators[rule.kind](rule, t, this.history)) {
        const a = await this.raise(rule, c);
        if (a) out.push(a);
      }
    }
    return out;
  }

  private async raise(rule: RuleRow, c: Candidate): Promise<RaisedAlert | null> {
    const key = `${rule.id}|${c.subject}`;
    // a subject this process saw raised (or refused) stays quiet without asking the database again
    if (!mayRaise(this.quiet.get(key), c.at)) return null;
    const { alert: a, quietUntil } = await raiseAlert(this.ctx.db, rule, c, this.ctx.now());
    if (this.quiet.size > 200_000) this.quiet.clear();
    this.quiet.set(key, quietUntil);
    if (!a) return null;
    this.raised++;
    this.ctx.events.poke();
    await this.onRaised(rule, a, c).catch((err) => this.ctx.log.warn({ err, alertId: a.id }, 'a step after raising an alert failed; the alert stands'));
    return a;
  }

  /** The rules in force (for the console's engine status). */
  get ruleCount(): number { return this.rules.length; }
}

/** A rule applies to what happens under its region (ticks: every rule that watches time). */
function appliesTo(rule: RuleDef, t: Trigger): boolean {
  switch (t.type) {
    case 'report': return t.report.regionCode.startsWith(rule.regionCode);
    case 'step': return t.step.regionCode.startsWith(rule.regionCode);
    case 'reading': return t.reading.regionCode.startsWith(rule.regionCode);
    case 'dispute_score': return t.score.regionCode.startsWith(rule.regionCode);
    case 'tick': return true;
  }
}
