// The step clock of a case: when the step that starts now turns yellow (≥ 80 % used) and red (overdue),
// in working time over the holiday calendar, or continuous time for emergencies (DESIGN rule 4).
import { calendarFor, yellowThresholdMinutes, type CalendarConfig, type SlaLight, type TimeMode } from '../../platform/calendar/index.ts';

export interface StepClock { limitMinutes: number | null; dueAt: Date | null; yellowAt: Date | null }

export const noClock: StepClock = { limitMinutes: null, dueAt: null, yellowAt: null };

/** A clock of `limit` minutes of which `used` are already spent, continuing from `now`. */
export function clockFrom(now: Date, limit: number | null, used: number, mode: TimeMode, cfg: CalendarConfig): StepClock {
  if (limit == null) return noClock;
  const cal = calendarFor(cfg);
  const remaining = Math.max(0, limit - used);
  const toYellow = Math.max(0, yellowThresholdMinutes(limit) - used);
  return { limitMinutes: limit, dueAt: cal.addTime(now, remaining, mode), yellowAt: cal.addTime(now, toYellow, mode) };
}

/** Minutes of the clock still left at `now` (0 when overdue). */
export function remainingMinutes(now: Date, dueAt: Date | null, mode: TimeMode, cfg: CalendarConfig): number | null {
  if (!dueAt) return null;
  return Math.max(0, Math.round(calendarFor(cfg).elapsedMinutes(now, dueAt, mode)));
}

export function elapsed(from: Date, to: Date, mode: TimeMode, cfg: CalendarConfig): number {
  return Math.round(calendarFor(cfg).elapsedMinutes(from, to, mode));
}

/**
 * The light from the stored instants: red after the due instant, yellow from the 80 % instant; none
 * without a running clock (a paused step has no due instant).
 */
export function lightAt(now: Date, c: { dueAt: Date | null; yellowAt: Date | null; isOpen: boolean }): SlaLight | null {
  if (!c.isOpen || !c.dueAt) return null;
  if (now.getTime() > c.dueAt.getTime()) return 'red';
  if (c.yellowAt && now.getTime() >= c.yellowAt.getTime()) return 'yellow';
  return 'green';
}
