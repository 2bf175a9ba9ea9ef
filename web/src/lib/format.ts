// Dates, durations and numbers for display. Times are shown in China Standard Time, where the cases happen.
import { translate, type Locale } from '../i18n/index.tsx';

const TZ = 'Asia/Shanghai';

export function formatDateTime(iso: string | null | undefined, locale: Locale): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', {
    timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false,
  }).format(new Date(iso));
}

/** A time of day with seconds in China Standard Time (09:14:45), whatever the browser's own time zone. */
export function formatClock(iso: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', {
    timeZone: TZ, hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
  }).format(new Date(iso));
}

/** Month, day and time without the year (a due time on 今日): 12/07 14:37, 07/12, 14:37. */
export function formatShortDateTime(iso: string | null | undefined, locale: Locale): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', {
    timeZone: TZ, month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false,
  }).format(new Date(iso));
}

export function formatDate(iso: string | null | undefined, locale: Locale): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', { timeZone: TZ, month: '2-digit', day: '2-digit' }).format(new Date(iso));
}

/** A civil date (YYYY-MM-DD) in a sentence: 2026年12月2日 / 2 December 2026 (never ISO inside Chinese text). */
export function formatCivilDate(day: string | null | undefined, locale: Locale): string {
  if (!day) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return day;
  return locale === 'en'
    ? new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', year: 'numeric', month: 'long', day: 'numeric' }).format(new Date(`${day}T00:00:00Z`))
    : `${Number(m[1])}年${Number(m[2])}月${Number(m[3])}日`;
}

/** 200 → "3小时20分" / "3 h 20 min"; working minutes are shown as they are counted. */
export function formatMinutes(min: number | null | undefined, locale: Locale): string {
  if (min == null) return '—';
  const m = Math.max(0, Math.round(min));
  const h = Math.floor(m / 60);
  const r = m % 60;
  if (h && r) return translate(locale, 'fmt.hoursMinutes', { h, m: r });
  if (h) return translate(locale, 'fmt.hours', { h });
  return translate(locale, 'fmt.minutes', { m: r });
}

export function formatPercent(x: number | null | undefined): string {
  if (x == null || Number.isNaN(x)) return '—';
  return `${(x * 100).toFixed(1)}%`;
}

export function formatDistance(m: number, locale: Locale): string {
  return m < 1000 ? translate(locale, 'fmt.meters', { n: Math.round(m) }) : translate(locale, 'fmt.kilometers', { n: (m / 1000).toFixed(1) });
}

/** "14:05" for an instant of today (China time), "11-15 14:05" for an earlier day: the live feed's times. */
export function formatFeedTime(iso: string, now = new Date()): string {
  const parts = (d: Date) => Object.fromEntries(new Intl.DateTimeFormat('en-GB', {
    timeZone: TZ, month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false,
  }).formatToParts(d).map((p) => [p.type, p.value]));
  const p = parts(new Date(iso));
  const n = parts(now);
  const time = `${p.hour}:${p.minute}`;
  return p.month === n.month && p.day === n.day ? time : `${p.month}-${p.day} ${time}`;
}
