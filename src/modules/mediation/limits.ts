// 《信访工作条例》 time limits as data (data/petition-limits.json), in calendar days, with the rule for a
// last day that falls on a holiday or rest day (it moves to the next working day of the platform's
// holiday calendar, 调休 included). Plain functions over dates, tested across the National Day holiday.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { isWorkday, type CalendarConfig } from '../../platform/calendar/index.ts';

const Limit = z.object({ days: z.number().int().min(1).max(365), from: z.string(), extendableDays: z.number().int().min(0).max(365).optional(), zh: z.string(), en: z.string() }).strict();
const LimitsFile = z.object({
  name: z.literal('petition-limits'), version: z.number().int().min(1), source: z.string(), unit: z.literal('calendar days'), note: z.string(),
  limits: z.object({ acceptance: Limit, processing: Limit, reviewRequest: Limit, review: Limit, recheckRequest: Limit, recheck: Limit }).strict(),
  backlog: z.object({ repeatCount: z.number().int().min(2).max(50), zh: z.string(), en: z.string() }).strict(),
  leaders: z.record(z.enum(['county_leader', 'department', 'township', 'police_officer']), z.object({ zh: z.string(), responsibility: z.string() }).strict()),
  repeat: z.object({ similarity: z.number().min(0.1).max(1), lookbackDays: z.number().int().min(1).max(3650) }).strict(),
}).strict();
export type PetitionLimits = z.infer<typeof LimitsFile>;
export type LimitName = keyof PetitionLimits['limits'];

export function readPetitionLimits(file = new URL('./data/petition-limits.json', import.meta.url)): PetitionLimits {
  return LimitsFile.parse(JSON.parse(readFileSync(file, 'utf8')));
}

/** The China civil date (YYYY-MM-DD) of an instant. */
export function chinaDate(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

const noonOf = (date: string) => new Date(`${date}T04:00:00Z`); // 12:00 China time: a safe instant inside the day

/** date + n calendar days (YYYY-MM-DD). */
export function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/**
 * The last day of a period of `days` calendar days that starts the day after `from`: from + days, moved
 * past holidays and rest days when it falls on one.
 */
export function deadline(from: Date | string, days: number, cal?: CalendarConfig): string {
  let last = addDays(typeof from === 'string' ? from : chinaDate(from), days);
  for (let i = 0; i < 60 && !isWorkday(noonOf(last), cal); i++) last = addDays(last, 1);
  return last;
}

export type DeadlineLight = 'green' | 'yellow' | 'red';

/** Green, yellow from the last 20 % of the period (or 3 days, whichever is longer), red once the last day has passed. */
export function deadlineLight(today: string, due: string, days: number): DeadlineLight {
  if (today > due) return 'red';
  const left = (Date.parse(due) - Date.parse(today)) / 86_400_000;
  return left <= Math.max(3, Math.ceil(days * 0.2)) ? 'yellow' : 'green';
}
