// What a rule looks at when it evaluates: the signals of the platform as they stood at the trigger's
// instant. The live engine reads them from the modules (DbHistory); a back-test preloads a period and
// answers from memory (MemoryHistory). Both answer the same questions the same way, so a back-test
// raises exactly what the live engine would have raised.
import type { CaseReportSignal, CaseStepSignal } from '../../cases/index.ts';
import type { FollowupDue, SensorDevice } from '../../registry/index.ts';

export type { CaseReportSignal, CaseStepSignal, FollowupDue, SensorDevice };

export interface Reading {
  deviceId: number; districtCode: string; regionCode: string; sensorType: string | null; deviceCode: string; deviceName: string;
  metric: string; value: number; at: Date;
}

/** A dispute's 民转刑 risk score, as the mediation module computes it (see DisputeRiskSource). */
export interface DisputeRiskScore {
  caseId: number; caseNo: string; regionCode: string; score: number; reasons: string[]; at: Date;
}

/** Something that happened, for the rules that watch it. */
export type Trigger =
  | { type: 'report'; at: Date; report: CaseReportSignal }
  | { type: 'step'; at: Date; step: CaseStepSignal }
  | { type: 'reading'; at: Date; reading: Reading }
  | { type: 'dispute_score'; at: Date; score: DisputeRiskScore }
  /** A moment for rules over time (offline sensors, follow-ups falling due). */
  | { type: 'tick'; at: Date };

export interface ReportQuery {
  regionPrefix: string; from: Date; to: Date; categoryPrefix?: string; reporterKey?: string; address?: string;
}

export interface History {
  /** Reports under the region with from < at ≤ to (and, at `to`, not after the trigger's own report). */
  reports(q: ReportQuery): Promise<CaseReportSignal[]>;
  /** Step facts (overdue, returned) under the region with from < at ≤ to. */
  steps(q: { regionPrefix: string; from: Date; to: Date }): Promise<CaseStepSignal[]>;
  followupsDue(q: { regionPrefix: string; asOf: Date; intervalDays: number; labelTypes?: string[] }): Promise<FollowupDue[]>;
  /** Sensors under the region silent since before `since`, with the time of their last reading. */
  silentDevices(q: { regionPrefix: string; sensorType?: string; since: Date }): Promise<Array<SensorDevice & { lastAt: Date }>>;
}

/** Shanghai civil date of an instant (YYYY-MM-DD). */
export function chinaDate(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** Addresses compare without spaces and punctuation, so 合阳大道12号 and 合阳大道 12 号 are one place. */
export function normaliseAddress(a: string | null | undefined): string | null {
  if (!a) return null;
  const s = a.replace(/[\s,，。.、()（）\-—_#]/g, '').toLowerCase();
  return s.length >= 4 ? s : null;
}
