import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  addTime,
  addWorkingMinutes,
  calendarFor,
  CalendarError,
  createCalendar,
  defaultCalendarConfig,
  elapsedMinutes,
  isWorkday,
  slaLight,
  workingDaysToMinutes,
  workingMinutesBetween,
  yellowThresholdMinutes,
  type CalendarConfig,
} from './index.ts';

const execFileAsync = promisify(execFile);

/** Asia/Shanghai wall-clock time → instant. */
const sh = (local: string): Date => new Date(`${local.replace(' ', 'T')}:00+08:00`);
/** Instant → Asia/Shanghai wall-clock 'YYYY-MM-DD HH:MM' (independent of the machine TZ). */
const fmt = (d: Date): string => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

const DAY = workingDaysToMinutes(1); // 420

describe('official calendar (chinese-days, 2026)', () => {
  it('National Day 2026-10-01..07 is off; make-up Sunday 09-20 and Saturday 10-10 are workdays', () => {
    for (let d = 1; d <= 7; d++) expect(isWorkday(sh(`2026-10-0${d} 10:00`))).toBe(false);
    expect(isWorkday(sh('2026-09-30 10:00'))).toBe(true);
    expect(isWorkday(sh('2026-10-08 10:00'))).toBe(true);
    expect(isWorkday(sh('2026-10-10 10:00'))).toBe(true); // Saturday, 调休补班
    expect(isWorkday(sh('2026-09-20 10:00'))).toBe(true); // Sunday, 调休补班
    expect(isWorkday(sh('2026-10-11 10:00'))).toBe(false); // ordinary Sunday
  });

  it('uses the Shanghai civil date, not UTC: 2026-10-01 00:30 in Shanghai is still 09-30 in UTC', () => {
    expect(isWorkday(sh('2026-10-01 00:30'))).toBe(false);
    expect(isWorkday(sh('2026-09-30 23:59'))).toBe(true);
  });

  it('gives the same answers whatever time zone the server process runs in', async () => {
    // A fresh process per TZ: holiday tables built at load time must not shift with the local zone.
    const script = `
      const m = await import(${JSON.stringify(new URL('./index.ts', import.meta.url).href)});
      const at = (s) => new Date(s + '+08:00');
      console.log(JSON.stringify([
        m.isWorkday(at('2026-09-30T10:00:00')), m.isWorkday(at('2026-10-07T10:00:00')),
        m.isWorkday(at('2026-10-10T10:00:00')),
        m.addWorkingMinutes(at('2026-09-30T16:00:00'), 1260).toISOString(),
      ]));`;
    const runIn = async (tz: string) => {
      const { stdout } = await execFileAsync(
        process.execPath,
        ['--import', 'tsx', '--input-type=module', '-e', script],
        { env: { ...process.env, TZ: tz }, cwd: fileURLToPath(new URL('.', import.meta.url)) },
      );
      return JSON.parse(stdout) as unknown;
    };
    const expected = [true, false, true, '2026-10-10T08:00:00.000Z'];
    const results = await Promise.all(['America/Los_Angeles', 'Pacific/Kiritimati'].map(runIn));
    for (const r of results) expect(r).toEqual(expected);
  }, 10_000);
});

describe('addWorkingMinutes — deadlines a case handler sees', () => {
  it('default day is 09:00–12:00 + 13:30–17:30 = 7 h', () => {
    expect(DAY).toBe(420);
    expect(workingDaysToMinutes(3)).toBe(1260);
  });

  it('case filed 2026-09-30 16:00 with 3 working days is due Saturday 2026-10-10 16:00 (after National Day, on the make-up day)', () => {
    // 09-30: 16:00–17:30 = 90; 10-08: 420; 10-09: 420; 10-10 (补班): 180 + 150 → 16:00
    const due = addWorkingMinutes(sh('2026-09-30 16:00'), workingDaysToMinutes(3));
    expect(due.toISOString()).toBe('2026-10-10T08:00:00.000Z');
    expect(fmt(due)).toBe('2026-10-10 16:00');
  });

  it('Spring Festival 2026: filed Fri 02-13 10:00 with 2 working days → works make-up Saturday 02-14, due Tue 02-24 10:00', () => {
    // 02-13: 360; 02-14 (Saturday 补班): 420; 02-15..02-23 春节; 02-24: 60 → 10:00
    expect(fmt(addWorkingMinutes(sh('2026-02-13 10:00'), 2 * DAY))).toBe('2026-02-24 10:00');
  });

  it('a make-up Saturday counts as a workday', () => {
    expect(fmt(addWorkingMinutes(sh('2026-10-09 17:00'), 60))).toBe('2026-10-10 09:30');
  });

  it('an ordinary weekend is skipped', () => {
    expect(fmt(addWorkingMinutes(sh('2026-10-16 17:00'), 60))).toBe('2026-10-19 09:30'); // Fri → Mon
  });

  it('a limit that uses up the day exactly ends at 17:30, not the next morning', () => {
    expect(fmt(addWorkingMinutes(sh('2026-10-12 09:00'), DAY))).toBe('2026-10-12 17:30');
    expect(fmt(addWorkingMinutes(sh('2026-10-12 09:00'), 180))).toBe('2026-10-12 12:00');
    expect(fmt(addWorkingMinutes(sh('2026-10-12 09:00'), 181))).toBe('2026-10-12 13:31');
  });

  it.each([
    ['lunch break', '2026-10-12 12:30', '2026-10-12 14:30'],
    ['exactly at noon', '2026-10-12 12:00', '2026-10-12 14:30'],
    ['before opening', '2026-10-12 07:00', '2026-10-12 10:00'],
    ['evening', '2026-10-12 20:00', '2026-10-13 10:00'],
    ['just after closing', '2026-10-12 17:30', '2026-10-13 10:00'],
    ['National Day holiday', '2026-10-03 10:00', '2026-10-08 10:00'],
    ['Sunday', '2026-10-18 15:00', '2026-10-19 10:00'],
  ])('filed outside working hours (%s) → the hour starts at the next working period', (_, filed, due) => {
    expect(fmt(addWorkingMinutes(sh(filed), 60))).toBe(due);
  });

  it('0 minutes returns the start instant unchanged, even outside working hours', () => {
    const night = sh('2026-10-03 23:00');
    expect(addWorkingMinutes(night, 0).getTime()).toBe(night.getTime());
  });

  it('handles long limits (60 working days) across several holidays', () => {
    // From Mon 2026-09-14 09:00: count 60 workdays over 中秋 (09-25) and 国庆, with 补班 09-20 and 10-10.
    const due = addWorkingMinutes(sh('2026-09-14 09:00'), 60 * DAY);
    const cal = calendarFor();
    let workdays = 0;
    for (let t = sh('2026-09-14 12:00').getTime(); t <= due.getTime(); t += 86_400_000) {
      if (cal.isWorkday(new Date(t))) workdays++;
    }
    expect(workdays).toBe(60);
    expect(fmt(due).endsWith('17:30')).toBe(true);
    expect(workingMinutesBetween(sh('2026-09-14 09:00'), due)).toBe(60 * DAY);
  });

  it('rejects negative or non-finite minutes and invalid dates', () => {
    expect(() => addWorkingMinutes(sh('2026-10-12 09:00'), -1)).toThrow(CalendarError);
    expect(() => addWorkingMinutes(sh('2026-10-12 09:00'), Number.NaN)).toThrow(CalendarError);
    expect(() => addWorkingMinutes(new Date('nope'), 10)).toThrow(/valid Date/);
  });
});

describe('workingMinutesBetween', () => {
  it('counts only working time in [a, b)', () => {
    expect(workingMinutesBetween(sh('2026-10-12 08:00'), sh('2026-10-12 20:00'))).toBe(420);
    expect(workingMinutesBetween(sh('2026-10-12 11:00'), sh('2026-10-12 14:00'))).toBe(90);
    expect(workingMinutesBetween(sh('2026-09-30 16:00'), sh('2026-10-08 10:00'))).toBe(150);
    expect(workingMinutesBetween(sh('2026-10-12 14:00'), sh('2026-10-12 11:00'))).toBe(0);
  });
});

describe('continuous mode (emergencies)', () => {
  it('ignores holidays, nights and weekends', () => {
    const filed = sh('2026-09-30 16:00');
    expect(fmt(addTime(filed, 72 * 60, 'continuous'))).toBe('2026-10-03 16:00');
    expect(elapsedMinutes(filed, sh('2026-10-03 16:00'), 'continuous')).toBe(72 * 60);
    expect(elapsedMinutes(sh('2026-10-03 16:00'), filed, 'continuous')).toBe(0);
  });

  it('working mode dispatches to the calendar', () => {
    const filed = sh('2026-09-30 16:00');
    expect(fmt(addTime(filed, 3 * DAY, 'working'))).toBe('2026-10-10 16:00');
    expect(elapsedMinutes(filed, sh('2026-10-03 16:00'), 'working')).toBe(90);
  });
});

describe('administrators’ overrides', () => {
  it('turns an official workday into a holiday', () => {
    const cfg: CalendarConfig = { ...defaultCalendarConfig, overrides: { '2026-10-08': 'holiday' } };
    expect(isWorkday(sh('2026-10-08 10:00'), cfg)).toBe(false);
    // 90 + 10-09 420 + 10-10 420 = 930; Sun off; Mon 10-12: 330 → 16:00
    expect(fmt(addWorkingMinutes(sh('2026-09-30 16:00'), 3 * DAY, cfg))).toBe('2026-10-12 16:00');
    // the default calendar is untouched
    expect(isWorkday(sh('2026-10-08 10:00'))).toBe(true);
  });

  it('turns a Saturday into a workday', () => {
    const cfg: CalendarConfig = { ...defaultCalendarConfig, overrides: { '2026-10-17': 'workday' } };
    expect(fmt(addWorkingMinutes(sh('2026-10-16 17:00'), 60, cfg))).toBe('2026-10-17 09:30');
  });

  it('throws instead of looping forever when no workday exists within 400 days', () => {
    const overrides: Record<string, 'holiday'> = {};
    for (let t = Date.UTC(2026, 9, 12); t < Date.UTC(2028, 0, 1); t += 86_400_000) {
      overrides[new Date(t).toISOString().slice(0, 10)] = 'holiday';
    }
    const cfg: CalendarConfig = { ...defaultCalendarConfig, overrides };
    expect(() => addWorkingMinutes(sh('2026-10-12 09:00'), 60, cfg)).toThrow(
      expect.objectContaining({ code: 'calendar_no_workday', status: 422 }),
    );
  });

  it('rejects malformed configuration', () => {
    expect(() => createCalendar({ hours: { periods: [] } })).toThrow(CalendarError);
    expect(() => createCalendar({ hours: { periods: [{ start: '9:00', end: '12:00' }] } })).toThrow(/HH:MM/);
    expect(() =>
      createCalendar({ hours: { periods: [{ start: '09:00', end: '12:00' }, { start: '11:00', end: '13:00' }] } }),
    ).toThrow(/overlap/);
    expect(() => createCalendar({ ...defaultCalendarConfig, overrides: { '2026-02-30': 'holiday' } })).toThrow(
      /YYYY-MM-DD/,
    );
  });

  it('supports other working hours (e.g. 08:30–12:00, 14:00–18:00)', () => {
    const cfg: CalendarConfig = {
      hours: { periods: [{ start: '14:00', end: '18:00' }, { start: '08:30', end: '12:00' }] },
    };
    expect(workingDaysToMinutes(1, cfg)).toBe(450);
    expect(fmt(addWorkingMinutes(sh('2026-10-12 11:00'), 120, cfg))).toBe('2026-10-12 15:00');
  });
});

describe('consistency of addWorkingMinutes and workingMinutesBetween (property)', () => {
  const from = Date.UTC(2025, 11, 1);
  const to = Date.UTC(2027, 1, 1);
  const instant = fc.integer({ min: from, max: to }).map((ms) => new Date(ms));
  const cfg: CalendarConfig = { ...defaultCalendarConfig, overrides: { '2026-05-06': 'holiday', '2026-05-10': 'workday' } };

  it('between(start, add(start, m)) === m, and the result is the earliest such instant', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 60 * DAY }), fc.boolean(), (start, m, custom) => {
        const c = custom ? cfg : undefined;
        const due = addWorkingMinutes(start, m, c);
        expect(due.getTime()).toBeGreaterThanOrEqual(start.getTime());
        expect(workingMinutesBetween(start, due, c)).toBe(m);
        if (m > 0) expect(workingMinutesBetween(start, new Date(due.getTime() - 1), c)).toBeLessThan(m);
      }),
      { numRuns: 400 },
    );
  });

  it('adding in two steps equals adding at once', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 5 * DAY }), fc.integer({ min: 0, max: 5 * DAY }), (s, m1, m2) => {
        const once = addWorkingMinutes(s, m1 + m2);
        const twice = addWorkingMinutes(addWorkingMinutes(s, m1), m2);
        expect(twice.getTime()).toBe(once.getTime());
      }),
      { numRuns: 300 },
    );
  });

  it('working time over [a, c) splits at any b', () => {
    fc.assert(
      fc.property(instant, instant, instant, (x, y, z) => {
        const [a, b, c] = [x, y, z].sort((p, q) => p.getTime() - q.getTime()) as [Date, Date, Date];
        expect(workingMinutesBetween(a, b) + workingMinutesBetween(b, c)).toBeCloseTo(workingMinutesBetween(a, c), 9);
        expect(workingMinutesBetween(a, c)).toBeLessThanOrEqual((c.getTime() - a.getTime()) / 60_000);
      }),
      { numRuns: 300 },
    );
  });
});

describe('SLA light (亮灯)', () => {
  it('yellow threshold is ceil(80 %) without float drift', () => {
    expect(yellowThresholdMinutes(100)).toBe(80);
    expect(yellowThresholdMinutes(15)).toBe(12); // 0.8 * 15 = 12.000000000000002 in floating point
    expect(yellowThresholdMinutes(1260)).toBe(1008);
    expect(yellowThresholdMinutes(7)).toBe(6);
  });

  it('79 % green, 80 % yellow, 100 % yellow, over the limit red', () => {
    expect(slaLight(79, 100)).toBe('green');
    expect(slaLight(80, 100)).toBe('yellow');
    expect(slaLight(100, 100)).toBe('yellow');
    expect(slaLight(101, 100)).toBe('red');
    expect(slaLight(100.5, 100)).toBe('red');
    expect(slaLight(0, 1260)).toBe('green');
    expect(slaLight(1007, 1260)).toBe('green');
    expect(slaLight(1008, 1260)).toBe('yellow');
  });

  it('a 3-working-day case filed 09-30 16:00 turns yellow on 10-10 at 10:18 and red after 16:00', () => {
    const filed = sh('2026-09-30 16:00');
    const limit = workingDaysToMinutes(3);
    const yellowAt = addWorkingMinutes(filed, yellowThresholdMinutes(limit));
    expect(fmt(yellowAt)).toBe('2026-10-10 10:18'); // 1008 min: 930 by 10-09 close, +78 on 10-10
    const light = (at: string) => slaLight(workingMinutesBetween(filed, sh(at)), limit);
    expect(light('2026-10-09 17:30')).toBe('green');
    expect(light('2026-10-10 10:17')).toBe('green');
    expect(light('2026-10-10 10:18')).toBe('yellow');
    expect(light('2026-10-10 16:00')).toBe('yellow');
    expect(light('2026-10-10 16:01')).toBe('red');
  });
});
