/**
 * Working-time calendar (工作时间日历) — DESIGN.md rule 4.
 *
 * Deadlines are counted in working minutes over the official Chinese holiday calendar, including
 * 调休 make-up workdays (e.g. Saturday 2026-10-10 after National Day), or in continuous wall-clock
 * time for emergencies. All instants are JS `Date`s (UTC); the civil calendar is Asia/Shanghai,
 * computed with a fixed +08:00 offset (China has no DST), so results never depend on the machine's TZ.
 *
 * Holiday data: the `chinese-days` package. We read its precomputed table
 * (`chinese-days/dist/chinese-days.json`) instead of calling its `isWorkday()`: the runtime API
 * builds its tables with local-time `Date` getters, so in a process whose TZ is west of UTC
 * (e.g. America/New_York) every holiday shifts one day earlier (2026-09-30 becomes a holiday and
 * 2026-10-07 a workday). The JSON has the same data without that pitfall.
 * Years the package does not cover yet (e.g. next year before the State Council publishes it)
 * fall back to Monday–Friday; administrators can patch them with `overrides`.
 *
 * Precedence for a civil date: `overrides` > official holiday / make-up workday > Mon–Fri rule.
 */
import { createRequire } from 'node:module';
import { AppError, type Bilingual } from '../errors.ts';

// ---------------------------------------------------------------------------------------------
// Public types

/** Daily working periods in Asia/Shanghai local time, 'HH:MM' (end may be '24:00'). */
export interface WorkingHours {
  periods: Array<{ start: string; end: string }>;
}

export interface CalendarConfig {
  hours: WorkingHours;
  /** 'YYYY-MM-DD' → administrators' overrides on top of the official calendar. */
  overrides?: Record<string, 'workday' | 'holiday'>;
}

/** working = counted over the working calendar; continuous = wall-clock time (emergencies, 紧急). */
export type TimeMode = 'working' | 'continuous';

/** SLA light (亮灯): green, yellow (≥ 80 % used, 预警), red (overdue, 超期). */
export type SlaLight = 'green' | 'yellow' | 'red';

export type CalendarErrorCode = 'calendar_invalid_config' | 'calendar_invalid_argument' | 'calendar_no_workday';

/**
 * Thrown for bad configuration or arguments, or when the calendar has no workday within 400 days.
 * An `AppError` (422) with a stable `code`, so it reaches clients as problem+json, never a 500.
 */
export class CalendarError extends AppError {
  declare readonly code: CalendarErrorCode;
  constructor(code: CalendarErrorCode, message: Bilingual) {
    super(422, code, message);
    this.name = 'CalendarError';
  }
}

/** A calendar built from one config, with an in-memory cache of per-day workday lookups. */
export interface WorkingCalendar {
  /** Normalised, frozen copy of the config the calendar was built from. */
  readonly config: CalendarConfig;
  /** Working minutes in one working day (420 for the default hours). */
  readonly minutesPerDay: number;
  /** Whether the Asia/Shanghai civil date of `date` is a workday. */
  isWorkday(date: Date): boolean;
  /** Whether the civil date 'YYYY-MM-DD' is a workday. */
  isWorkdayOn(civilDate: string): boolean;
  addWorkingMinutes(start: Date, minutes: number): Date;
  workingMinutesBetween(a: Date, b: Date): number;
  addTime(start: Date, minutes: number, mode: TimeMode): Date;
  elapsedMinutes(a: Date, b: Date, mode: TimeMode): number;
  workingDaysToMinutes(days: number): number;
}

// ---------------------------------------------------------------------------------------------
// Constants and official data

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** Asia/Shanghai is UTC+8 all year (no DST since 1991). */
const SHANGHAI_OFFSET_MS = 8 * 60 * MINUTE_MS;
/** Give up if this many consecutive civil days are non-working (e.g. overrides make all holidays). */
const MAX_CONSECUTIVE_NON_WORKDAYS = 400;
/** Give up if a single computation walks more than ~100 years of days (absurd inputs). */
const MAX_SCANNED_DAYS = 36_600;

interface ChineseDaysData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

const require = createRequire(import.meta.url);
const official = require('chinese-days/dist/chinese-days.json') as ChineseDaysData;

export const defaultCalendarConfig: CalendarConfig = Object.freeze({
  hours: Object.freeze({
    periods: Object.freeze([
      Object.freeze({ start: '09:00', end: '12:00' }),
      Object.freeze({ start: '13:30', end: '17:30' }),
    ]) as Array<{ start: string; end: string }>,
  }),
}) as CalendarConfig;

// ---------------------------------------------------------------------------------------------
// Civil-day helpers (day number = days since 1970-01-01 in Asia/Shanghai)

function toMs(date: Date, name: string): number {
  const ms = date instanceof Date ? date.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) {
    throw new CalendarError('calendar_invalid_argument', { zh: `${name} 须为有效的日期时间`, en: `${name} must be a valid Date` });
  }
  return ms;
}

function minutesToMs(minutes: number, name: string): number {
  if (typeof minutes !== 'number' || !Number.isFinite(minutes) || minutes < 0) {
    throw new CalendarError(
      'calendar_invalid_argument',
      { zh: `${name} 须为不小于 0 的有限数值，实际为 ${String(minutes)}`, en: `${name} must be a finite number ≥ 0, got ${String(minutes)}` },
    );
  }
  return Math.round(minutes * MINUTE_MS);
}

function civilDayNumber(ms: number): number {
  return Math.floor((ms + SHANGHAI_OFFSET_MS) / DAY_MS);
}

function civilDateString(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

const CIVIL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parseCivilDate(s: string): number | undefined {
  const m = CIVIL_DATE.exec(s);
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  // Reject dates like 2026-02-30 that Date.UTC silently rolls over.
  if (!Number.isFinite(ms) || new Date(ms).toISOString().slice(0, 10) !== s) return undefined;
  return ms / DAY_MS;
}

/** Official status (chinese-days data, then Mon–Fri) of a civil day. */
function officialIsWorkday(dayNumber: number): boolean {
  const ymd = civilDateString(dayNumber);
  if (Object.hasOwn(official.workdays, ymd)) return true; // 调休补班
  if (Object.hasOwn(official.holidays, ymd)) return false; // 法定节假日
  const weekday = (((dayNumber + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday; 0 = Sunday
  return weekday >= 1 && weekday <= 5;
}

const HHMM = /^(\d{2}):(\d{2})$/;

function parseClock(s: string, what: string): number {
  const m = typeof s === 'string' ? HHMM.exec(s) : null;
  const h = m ? Number(m[1]) : NaN;
  const min = m ? Number(m[2]) : NaN;
  if (!m || min > 59 || h > 24 || (h === 24 && min !== 0)) {
    throw new CalendarError('calendar_invalid_config', { zh: `${what} 格式须为 HH:MM（00:00–24:00），实际为“${String(s)}”`, en: `${what} must be 'HH:MM' (00:00–24:00), got '${String(s)}'` });
  }
  return h * 60 + min;
}

// ---------------------------------------------------------------------------------------------
// Calendar

/**
 * Build a calendar from config. Validates the config (periods 'HH:MM', start < end, not
 * overlapping; override keys real 'YYYY-MM-DD' dates) and throws `CalendarError`
 * ('calendar_invalid_config') otherwise. The config is copied: later changes to the object passed
 * in do not affect the calendar. Day lookups are cached for the calendar's lifetime.
 */
export function createCalendar(cfg: CalendarConfig = defaultCalendarConfig): WorkingCalendar {
  if (!cfg || !cfg.hours || !Array.isArray(cfg.hours.periods) || cfg.hours.periods.length === 0) {
    throw new CalendarError('calendar_invalid_config', { zh: '工作时间至少须包含一个时段', en: 'hours.periods must list at least one working period' });
  }
  const periods = cfg.hours.periods
    .map((p, i) => ({
      start: p?.start,
      end: p?.end,
      s: parseClock(p?.start, `hours.periods[${i}].start`),
      e: parseClock(p?.end, `hours.periods[${i}].end`),
    }))
    .sort((x, y) => x.s - y.s);
  for (let i = 0; i < periods.length; i++) {
    const p = periods[i]!;
    if (p.s >= p.e) {
      throw new CalendarError('calendar_invalid_config', { zh: `工作时段 ${p.start}–${p.end} 的结束时间须晚于开始时间`, en: `working period ${p.start}–${p.end} must end after it starts` });
    }
    const prev = periods[i - 1];
    if (prev && p.s < prev.e) {
      throw new CalendarError('calendar_invalid_config', { zh: `工作时段 ${prev.start}–${prev.end} 与 ${p.start}–${p.end} 重叠`, en: `working periods ${prev.start}–${prev.end} and ${p.start}–${p.end} overlap` });
    }
  }
  const starts = periods.map((p) => p.s * MINUTE_MS);
  const ends = periods.map((p) => p.e * MINUTE_MS);
  const periodCount = periods.length;
  const dayMs = periods.reduce((sum, p) => sum + (p.e - p.s), 0) * MINUTE_MS;

  const overrideByDay = new Map<number, boolean>();
  const overrides: Record<string, 'workday' | 'holiday'> = {};
  for (const [ymd, kind] of Object.entries(cfg.overrides ?? {})) {
    const day = parseCivilDate(ymd);
    if (day === undefined) {
      throw new CalendarError('calendar_invalid_config', { zh: `特殊日期格式须为 YYYY-MM-DD，实际为“${ymd}”`, en: `override date must be 'YYYY-MM-DD', got '${ymd}'` });
    }
    if (kind !== 'workday' && kind !== 'holiday') {
      throw new CalendarError('calendar_invalid_config', { zh: `${ymd} 的设置须为工作日（workday）或节假日（holiday）`, en: `override for ${ymd} must be 'workday' or 'holiday'` });
    }
    overrideByDay.set(day, kind === 'workday');
    overrides[ymd] = kind;
  }

  const config: CalendarConfig = Object.freeze({
    hours: Object.freeze({
      periods: Object.freeze(periods.map((p) => Object.freeze({ start: p.start, end: p.end }))) as Array<{
        start: string;
        end: string;
      }>,
    }),
    ...(cfg.overrides ? { overrides: Object.freeze(overrides) } : {}),
  });

  // Per-day cache: day number → workday?
  const cache = new Map<number, boolean>();
  function isWorkdayNum(day: number): boolean {
    let w = cache.get(day);
    if (w === undefined) {
      w = overrideByDay.get(day) ?? officialIsWorkday(day);
      cache.set(day, w);
    }
    return w;
  }

  /** Working ms of civil day `day` within [from, to) (ms since local midnight). */
  function workingMsInDay(day: number, from: number, to: number): number {
    if (to <= from || !isWorkdayNum(day)) return 0;
    if (from <= 0 && to >= DAY_MS) return dayMs;
    let sum = 0;
    for (let i = 0; i < periodCount; i++) {
      const s = starts[i]! > from ? starts[i]! : from;
      const e = ends[i]! < to ? ends[i]! : to;
      if (e > s) sum += e - s;
    }
    return sum;
  }

  function addWorkingMs(startMs: number, amountMs: number): number {
    if (amountMs === 0) return startMs;
    let remaining = amountMs;
    const local = startMs + SHANGHAI_OFFSET_MS;
    let day = Math.floor(local / DAY_MS);
    let timeOfDay = local - day * DAY_MS;
    let idle = 0;
    for (let scanned = 0; scanned <= MAX_SCANNED_DAYS; scanned++, day++, timeOfDay = 0) {
      if (!isWorkdayNum(day)) {
        if (++idle > MAX_CONSECUTIVE_NON_WORKDAYS) {
          throw new CalendarError(
            'calendar_no_workday',
            { zh: `${civilDateString(day - idle + 1)} 之后 ${MAX_CONSECUTIVE_NON_WORKDAYS} 天内没有工作日，请检查工作日历的特殊日期设置`, en: `no workday within ${MAX_CONSECUTIVE_NON_WORKDAYS} days after ${civilDateString(day - idle + 1)}; check calendar overrides` },
          );
        }
        continue;
      }
      idle = 0;
      if (timeOfDay === 0 && remaining > dayMs) {
        remaining -= dayMs; // skip a whole working day
        continue;
      }
      for (let i = 0; i < periodCount; i++) {
        const e = ends[i]!;
        if (e <= timeOfDay) continue;
        const s = starts[i]! > timeOfDay ? starts[i]! : timeOfDay;
        const available = e - s;
        if (remaining <= available) {
          return day * DAY_MS + s + remaining - SHANGHAI_OFFSET_MS;
        }
        remaining -= available;
      }
    }
    throw new CalendarError('calendar_invalid_argument', { zh: `工作时长过长：${amountMs / MINUTE_MS} 分钟`, en: `working time too long: ${amountMs / MINUTE_MS} minutes` });
  }

  function workingMsBetween(aMs: number, bMs: number): number {
    if (bMs <= aMs) return 0;
    const la = aMs + SHANGHAI_OFFSET_MS;
    const lb = bMs + SHANGHAI_OFFSET_MS;
    const da = Math.floor(la / DAY_MS);
    const db = Math.floor(lb / DAY_MS);
    const ta = la - da * DAY_MS;
    const tb = lb - db * DAY_MS;
    if (da === db) return workingMsInDay(da, ta, tb);
    let sum = workingMsInDay(da, ta, DAY_MS) + workingMsInDay(db, 0, tb);
    for (let d = da + 1; d < db; d++) if (isWorkdayNum(d)) sum += dayMs;
    return sum;
  }

  const cal: WorkingCalendar = {
    config,
    minutesPerDay: dayMs / MINUTE_MS,
    isWorkday(date) {
      return isWorkdayNum(civilDayNumber(toMs(date, 'date')));
    },
    isWorkdayOn(civilDate) {
      const day = parseCivilDate(civilDate);
      if (day === undefined) {
        throw new CalendarError('calendar_invalid_argument', { zh: `日期格式须为 YYYY-MM-DD，实际为“${civilDate}”`, en: `date must be 'YYYY-MM-DD', got '${civilDate}'` });
      }
      return isWorkdayNum(day);
    },
    addWorkingMinutes(start, minutes) {
      return new Date(addWorkingMs(toMs(start, 'start'), minutesToMs(minutes, 'minutes')));
    },
    workingMinutesBetween(a, b) {
      return workingMsBetween(toMs(a, 'a'), toMs(b, 'b')) / MINUTE_MS;
    },
    addTime(start, minutes, mode) {
      if (mode === 'working') return cal.addWorkingMinutes(start, minutes);
      if (mode === 'continuous') return new Date(toMs(start, 'start') + minutesToMs(minutes, 'minutes'));
      throw new CalendarError('calendar_invalid_argument', { zh: `未知的计时方式“${String(mode)}”`, en: `unknown time mode '${String(mode)}'` });
    },
    elapsedMinutes(a, b, mode) {
      if (mode === 'working') return cal.workingMinutesBetween(a, b);
      if (mode === 'continuous') return Math.max(0, toMs(b, 'b') - toMs(a, 'a')) / MINUTE_MS;
      throw new CalendarError('calendar_invalid_argument', { zh: `未知的计时方式“${String(mode)}”`, en: `unknown time mode '${String(mode)}'` });
    },
    workingDaysToMinutes(days) {
      if (typeof days !== 'number' || !Number.isFinite(days) || days < 0) {
        throw new CalendarError('calendar_invalid_argument', { zh: `天数须为不小于 0 的有限数值，实际为 ${String(days)}`, en: `days must be a finite number ≥ 0, got ${String(days)}` });
      }
      return days * (dayMs / MINUTE_MS);
    },
  };
  return Object.freeze(cal);
}

// ---------------------------------------------------------------------------------------------
// Function API (calendars cached per config object; treat configs as immutable)

const defaultCalendar = createCalendar(defaultCalendarConfig);
const calendars = new WeakMap<CalendarConfig, WorkingCalendar>();

/**
 * The cached calendar for a config object (built on first use). Configs are snapshotted on first
 * use: to change hours or overrides, pass a new object (or call `createCalendar`).
 */
export function calendarFor(cfg?: CalendarConfig): WorkingCalendar {
  if (cfg === undefined || cfg === defaultCalendarConfig) return defaultCalendar;
  let cal = calendars.get(cfg);
  if (!cal) {
    cal = createCalendar(cfg);
    calendars.set(cfg, cal);
  }
  return cal;
}

/** Whether the Asia/Shanghai civil date of `date` is a workday (overrides, then official calendar). */
export function isWorkday(date: Date, cfg?: CalendarConfig): boolean {
  return calendarFor(cfg).isWorkday(date);
}

/**
 * The earliest instant at which `minutes` working minutes have elapsed since `start`.
 * - Outside working hours (lunch, night, weekend, holiday) counting begins at the next period.
 * - A deadline that uses up a period exactly ends at that period's end (e.g. 17:30), not at the
 *   start of the next working day.
 * - `minutes = 0` returns `start` unchanged (so `workingMinutesBetween(start, result) === minutes`
 *   always holds).
 * - Fractional minutes are allowed (rounded to the millisecond); negative or non-finite throw.
 * Throws `CalendarError` 'calendar_no_workday' if no workday occurs within 400 consecutive days.
 */
export function addWorkingMinutes(start: Date, minutes: number, cfg?: CalendarConfig): Date {
  return calendarFor(cfg).addWorkingMinutes(start, minutes);
}

/** Working minutes within [a, b); 0 if b <= a. Exact (may be fractional for non-minute instants). */
export function workingMinutesBetween(a: Date, b: Date, cfg?: CalendarConfig): number {
  return calendarFor(cfg).workingMinutesBetween(a, b);
}

/** `addWorkingMinutes` in working mode; plain wall-clock addition in continuous mode. */
export function addTime(start: Date, minutes: number, mode: TimeMode, cfg?: CalendarConfig): Date {
  return calendarFor(cfg).addTime(start, minutes, mode);
}

/** `workingMinutesBetween` in working mode; wall-clock minutes in continuous mode; 0 if b <= a. */
export function elapsedMinutes(a: Date, b: Date, mode: TimeMode, cfg?: CalendarConfig): number {
  return calendarFor(cfg).elapsedMinutes(a, b, mode);
}

/** days × working minutes per day (3 days → 1260 with the default 7-hour day). */
export function workingDaysToMinutes(days: number, cfg?: CalendarConfig): number {
  return calendarFor(cfg).workingDaysToMinutes(days);
}

function checkLimit(limitMinutes: number): void {
  if (typeof limitMinutes !== 'number' || !Number.isFinite(limitMinutes) || limitMinutes < 0) {
    throw new CalendarError('calendar_invalid_argument', { zh: `时限须为不小于 0 的有限数值，实际为 ${String(limitMinutes)}`, en: `limit must be a finite number ≥ 0, got ${String(limitMinutes)}` });
  }
}

/** ceil(80 % of limit), computed without floating-point drift (0.8 × 15 is 12.000000000000002). */
export function yellowThresholdMinutes(limitMinutes: number): number {
  checkLimit(limitMinutes);
  return Math.ceil((limitMinutes * 4) / 5);
}

/**
 * green while used < yellowThresholdMinutes(limit); yellow from there up to and including the
 * limit; red once used > limit (overdue).
 */
export function slaLight(usedMinutes: number, limitMinutes: number): SlaLight {
  if (typeof usedMinutes !== 'number' || Number.isNaN(usedMinutes)) {
    throw new CalendarError('calendar_invalid_argument', { zh: `已用时长须为数值，实际为 ${String(usedMinutes)}`, en: `used must be a number, got ${String(usedMinutes)}` });
  }
  if (usedMinutes > limitMinutes) return 'red';
  return usedMinutes >= yellowThresholdMinutes(limitMinutes) ? 'yellow' : 'green';
}
