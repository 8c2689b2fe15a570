import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { freeSlots, groupByDay, type DateOverride, type Duration, type Interval, type Slot, type SlotQuery, type WeeklyRule } from './engine.ts';

const MINUTE = 60_000;
const DAY = 86_400_000;
const PARIS = 'Europe/Paris';
const MONTREAL = 'America/Montreal';
const DAKAR = 'Africa/Dakar';

// ---------------------------------------------------------------------------------------
// Helpers for the example tests
// ---------------------------------------------------------------------------------------

/** A local wall-clock time that exists exactly once in `zone`, as a Date. */
function at(zone: string, local: string): Date {
  const dt = DateTime.fromISO(local, { zone });
  if (!dt.isValid) throw new Error(`bad local time ${local}`);
  return dt.toJSDate();
}

function query(overrides: Partial<SlotQuery> = {}): SlotQuery {
  return {
    mentorZone: PARIS,
    rules: [],
    overrides: [],
    busy: [],
    bufferMinutes: 0,
    minNoticeMinutes: 0,
    windowDays: 7,
    now: at(PARIS, '2026-01-04T12:00'), // a Sunday
    durationMinutes: 30,
    ...overrides,
  };
}

const rule = (weekday: number, start: string, end: string, active = true): WeeklyRule => ({ weekday, start, end, active });
const busy = (zone: string, start: string, end: string): Interval => ({ start: at(zone, start), end: at(zone, end) });

/** Slot starts as local 'yyyy-MM-dd HH:mm' in `zone` (the offset too with `withOffset`). */
function local(slots: Slot[], zone = PARIS, withOffset = false): string[] {
  return slots.map((s) => DateTime.fromJSDate(s.start, { zone }).toFormat(withOffset ? 'yyyy-MM-dd HH:mm ZZ' : 'yyyy-MM-dd HH:mm'));
}

const utc = (slots: Slot[]) => slots.map((s) => s.start.toISOString());
const minutesLong = (slots: Slot[]) => slots.map((s) => (s.end.getTime() - s.start.getTime()) / MINUTE);

// ---------------------------------------------------------------------------------------
// Examples
// ---------------------------------------------------------------------------------------

describe('freeSlots, examples', () => {
  it('lists a simple week on the 30-minute grid, each slot as long as asked', () => {
    const slots = freeSlots(query({ rules: [rule(1, '09:00', '12:00'), rule(3, '14:00', '16:00')], durationMinutes: 60 }));
    expect(local(slots)).toEqual([
      '2026-01-05 09:00',
      '2026-01-05 09:30',
      '2026-01-05 10:00',
      '2026-01-05 10:30',
      '2026-01-05 11:00',
      '2026-01-07 14:00',
      '2026-01-07 14:30',
      '2026-01-07 15:00',
    ]);
    expect(minutesLong(slots)).toEqual(Array(8).fill(60));
    expect(utc(slots)[0]).toBe('2026-01-05T08:00:00.000Z'); // Paris is UTC+1 in winter
  });

  it('starts a rule that is not on the grid at the next grid time', () => {
    const slots = freeSlots(query({ rules: [rule(1, '09:10', '10:45')] }));
    expect(local(slots)).toEqual(['2026-01-05 09:30', '2026-01-05 10:00']);
  });

  it('aligns starts to another grid when asked', () => {
    const rules = [rule(1, '09:00', '12:00')];
    expect(local(freeSlots(query({ rules, gridMinutes: 60, durationMinutes: 60 })))).toEqual(['2026-01-05 09:00', '2026-01-05 10:00', '2026-01-05 11:00']);
    expect(local(freeSlots(query({ rules: [rule(1, '09:00', '10:00')], gridMinutes: 15 })))).toEqual(['2026-01-05 09:00', '2026-01-05 09:15', '2026-01-05 09:30']);
  });

  it('includes the rest of today when the mentor’s evening is already tomorrow in UTC', () => {
    // 20:00 in Montreal is 01:00 UTC on the next day.
    const slots = freeSlots(query({ mentorZone: MONTREAL, rules: [rule(1, '21:00', '23:00')], now: at(MONTREAL, '2026-01-05T20:00'), windowDays: 1, durationMinutes: 60 }));
    expect(local(slots, MONTREAL)).toEqual(['2026-01-05 21:00', '2026-01-05 21:30', '2026-01-05 22:00']);
  });

  it('cuts off at now + notice (inclusive) and at now + window (exclusive)', () => {
    const everyDay = [1, 2, 3, 4, 5, 6, 7].map((d) => rule(d, '09:00', '17:00'));
    const monday10 = at(PARIS, '2026-01-05T10:00');
    const exact = freeSlots(query({ rules: everyDay, now: monday10, minNoticeMinutes: 60, windowDays: 1 }));
    expect(local(exact).slice(0, 2)).toEqual(['2026-01-05 11:00', '2026-01-05 11:30']);
    expect(local(exact).slice(-2)).toEqual(['2026-01-06 09:00', '2026-01-06 09:30']); // Tuesday 10:00 is now + 24 h

    const offGrid = freeSlots(query({ rules: everyDay, now: at(PARIS, '2026-01-05T10:10'), minNoticeMinutes: 60, windowDays: 1 }));
    expect(local(offGrid)[0]).toBe('2026-01-05 11:30');
    expect(local(offGrid).at(-1)).toBe('2026-01-06 10:00');

    const halfDay = freeSlots(query({ rules: everyDay, now: monday10, minNoticeMinutes: 720, windowDays: 2 }));
    expect(local(halfDay)[0]).toBe('2026-01-06 09:00'); // Monday 22:00 is past the rule

    expect(freeSlots(query({ rules: everyDay, now: monday10, windowDays: 0 }))).toEqual([]);
  });

  it('keeps the buffer free before and after every busy interval (half-open)', () => {
    const q = (bufferMinutes: number) =>
      local(freeSlots(query({ rules: [rule(1, '09:00', '13:00')], busy: [busy(PARIS, '2026-01-05T11:00', '2026-01-05T11:30')], bufferMinutes })));
    const all = ['09:00', '09:30', '10:00', '10:30', '11:00', '11:30', '12:00', '12:30'].map((t) => `2026-01-05 ${t}`);
    const without = (...times: string[]) => all.filter((s) => !times.some((t) => s.endsWith(t)));
    expect(q(0)).toEqual(without('11:00'));
    expect(q(15)).toEqual(without('10:30', '11:00', '11:30'));
    // 30 minutes: 10:00–10:30 + buffer ends exactly at 11:00, 12:00 − buffer starts exactly at 11:30.
    expect(q(30)).toEqual(without('10:30', '11:00', '11:30'));
    expect(q(45)).toEqual(without('10:00', '10:30', '11:00', '11:30', '12:00'));
  });

  it('needs the whole duration free: a 60-minute gap has no 90-minute slot', () => {
    const base = {
      rules: [rule(1, '09:00', '12:00')],
      busy: [busy(PARIS, '2026-01-05T09:00', '2026-01-05T10:00'), busy(PARIS, '2026-01-05T11:00', '2026-01-05T12:00')],
    };
    expect(local(freeSlots(query({ ...base, durationMinutes: 60 })))).toEqual(['2026-01-05 10:00']);
    expect(freeSlots(query({ ...base, durationMinutes: 90 }))).toEqual([]);
    // The availability range too.
    expect(freeSlots(query({ rules: [rule(1, '09:00', '10:00')], durationMinutes: 90 }))).toEqual([]);
    expect(local(freeSlots(query({ rules: [rule(1, '09:00', '10:30')], durationMinutes: 90 })))).toEqual(['2026-01-05 09:00']);
    expect(local(freeSlots(query({ rules: [rule(1, '09:00', '11:00')], durationMinutes: 120 })))).toEqual(['2026-01-05 09:00']);
  });

  it('adds an extra override on a day without rules', () => {
    const extra: DateOverride = { date: '2026-01-06', kind: 'extra', start: '14:00', end: '15:00' };
    const slots = freeSlots(query({ rules: [rule(1, '09:00', '10:00')], overrides: [extra] }));
    expect(local(slots)).toEqual(['2026-01-05 09:00', '2026-01-05 09:30', '2026-01-06 14:00', '2026-01-06 14:30']);
  });

  it('removes a whole blocked day, extras included, or only a blocked range', () => {
    const rules = [rule(1, '09:00', '12:00'), rule(2, '09:00', '10:00')];
    const extra: DateOverride = { date: '2026-01-05', kind: 'extra', start: '14:00', end: '15:00' };
    const wholeDay = freeSlots(query({ rules, overrides: [extra, { date: '2026-01-05', kind: 'blocked' }] }));
    expect(local(wholeDay)).toEqual(['2026-01-06 09:00', '2026-01-06 09:30']);

    const blockedRange = freeSlots(query({ rules, overrides: [extra, { date: '2026-01-05', kind: 'blocked', start: '10:00', end: '11:00' }] }));
    expect(local(blockedRange)).toEqual([
      '2026-01-05 09:00',
      '2026-01-05 09:30',
      '2026-01-05 11:00',
      '2026-01-05 11:30',
      '2026-01-05 14:00',
      '2026-01-05 14:30',
      '2026-01-06 09:00',
      '2026-01-06 09:30',
    ]);

    // A blocked range with one bound runs from the start of the day / to its end.
    const untilTen = freeSlots(query({ rules, overrides: [{ date: '2026-01-05', kind: 'blocked', end: '11:00' }] }));
    expect(local(untilTen).filter((s) => s.startsWith('2026-01-05'))).toEqual(['2026-01-05 11:00', '2026-01-05 11:30']);
  });

  it('merges touching and overlapping rules into one range, ignores inactive ones', () => {
    const touching = freeSlots(query({ rules: [rule(1, '09:00', '10:00'), rule(1, '10:00', '11:00')], durationMinutes: 60 }));
    expect(local(touching)).toEqual(['2026-01-05 09:00', '2026-01-05 09:30', '2026-01-05 10:00']);

    const overlapping = freeSlots(
      query({ rules: [rule(1, '09:00', '10:30'), rule(1, '10:00', '11:00'), rule(1, '09:30', '10:00')], durationMinutes: 60 }),
    );
    expect(local(overlapping)).toEqual(['2026-01-05 09:00', '2026-01-05 09:30', '2026-01-05 10:00']);

    // An extra override touching a rule extends it too.
    const extended = freeSlots(
      query({ rules: [rule(1, '09:00', '10:00')], overrides: [{ date: '2026-01-05', kind: 'extra', start: '10:00', end: '10:30' }], durationMinutes: 90 }),
    );
    expect(local(extended)).toEqual(['2026-01-05 09:00']);

    expect(freeSlots(query({ rules: [rule(1, '09:00', '12:00', false)] }))).toEqual([]);
  });

  it('takes busy intervals in any order, overlapping or nested', () => {
    const slots = freeSlots(
      query({
        rules: [rule(1, '09:00', '12:00')],
        busy: [
          busy(PARIS, '2026-01-05T10:30', '2026-01-05T11:00'),
          busy(PARIS, '2026-01-05T09:30', '2026-01-05T10:00'),
          busy(PARIS, '2026-01-05T09:45', '2026-01-05T10:45'),
          busy(PARIS, '2026-01-05T09:50', '2026-01-05T09:55'),
          busy(PARIS, '2026-01-05T11:40', '2026-01-05T11:40'), // empty: blocks nothing
        ],
      }),
    );
    expect(local(slots)).toEqual(['2026-01-05 09:00', '2026-01-05 11:00', '2026-01-05 11:30']);
  });

  it('honours from (inclusive) and to (exclusive)', () => {
    const slots = freeSlots(
      query({ rules: [rule(1, '09:00', '12:00'), rule(2, '09:00', '12:00')], from: at(PARIS, '2026-01-05T10:00'), to: at(PARIS, '2026-01-06T09:30') }),
    );
    expect(local(slots)).toEqual(['2026-01-05 10:00', '2026-01-05 10:30', '2026-01-05 11:00', '2026-01-05 11:30', '2026-01-06 09:00']);
  });

  it('never lets a slot run past midnight into the next day', () => {
    const slots = freeSlots(query({ rules: [rule(1, '23:00', '24:00'), rule(2, '00:00', '01:00')], durationMinutes: 60 }));
    expect(local(slots)).toEqual(['2026-01-05 23:00', '2026-01-06 00:00']);
  });

  it('rejects malformed input', () => {
    expect(() => freeSlots(query({ rules: [rule(1, '9:00', '12:00')] }))).toThrow(RangeError);
    expect(() => freeSlots(query({ rules: [rule(1, '24:00', '24:00')] }))).toThrow(RangeError);
    expect(() => freeSlots(query({ rules: [rule(8, '09:00', '12:00')] }))).toThrow(RangeError);
    expect(() => freeSlots(query({ mentorZone: 'Mars/Olympus' }))).toThrow(RangeError);
    expect(() => freeSlots(query({ overrides: [{ date: '2026-1-5', kind: 'blocked' }] }))).toThrow(RangeError);
  });
});

describe('groupByDay', () => {
  // Monday 23:00, 23:30 and Tuesday 00:00, 00:30 in Paris.
  const slots = freeSlots(query({ rules: [rule(1, '23:00', '24:00'), rule(2, '00:00', '01:00')] }));

  it('groups by the viewer’s calendar day, not the mentor’s', () => {
    expect(local(slots)).toEqual(['2026-01-05 23:00', '2026-01-05 23:30', '2026-01-06 00:00', '2026-01-06 00:30']);
    expect(groupByDay(slots, PARIS).map((g) => [g.date, g.slots.length])).toEqual([
      ['2026-01-05', 2],
      ['2026-01-06', 2],
    ]);
    // Montreal is 6 hours behind: Tuesday 00:30 in Paris is Monday 18:30 there.
    const montreal = groupByDay(slots, MONTREAL);
    expect(montreal.map((g) => g.date)).toEqual(['2026-01-05']);
    expect(local(montreal[0]!.slots, MONTREAL)).toEqual(['2026-01-05 17:00', '2026-01-05 17:30', '2026-01-05 18:00', '2026-01-05 18:30']);
    // Tokyo is 8 hours ahead: all on Tuesday.
    expect(groupByDay(slots, 'Asia/Tokyo').map((g) => g.date)).toEqual(['2026-01-06']);
  });

  it('sorts days and slots whatever the input order', () => {
    const shuffled = [slots[3]!, slots[0]!, slots[2]!, slots[1]!];
    const groups = groupByDay(shuffled, PARIS);
    expect(groups.map((g) => g.date)).toEqual(['2026-01-05', '2026-01-06']);
    expect(groups.flatMap((g) => g.slots)).toEqual(slots);
    expect(groupByDay([], PARIS)).toEqual([]);
  });

  it('uses the viewer zone’s own DST rules', () => {
    // 2026-03-08 Montreal springs forward at 07:00Z; 2026-03-08T04:30Z is 23:30 EST on the 7th,
    // 2026-03-09T03:30Z is 23:30 EDT on the 8th.
    const mk = (iso: string): Slot => ({ start: new Date(iso), end: new Date(Date.parse(iso) + 30 * MINUTE) });
    const groups = groupByDay([mk('2026-03-08T04:30:00Z'), mk('2026-03-08T05:00:00Z'), mk('2026-03-09T03:30:00Z'), mk('2026-03-09T04:00:00Z')], MONTREAL);
    expect(groups.map((g) => [g.date, g.slots.length])).toEqual([
      ['2026-03-07', 1],
      ['2026-03-08', 2],
      ['2026-03-09', 1],
    ]);
  });
});

// ---------------------------------------------------------------------------------------
// Daylight saving
// ---------------------------------------------------------------------------------------

describe('freeSlots across daylight-saving changes', () => {
  const mondayMorning = [rule(1, '09:00', '12:00')];
  const mondays = (zone: string, now: string, windowDays: number) =>
    freeSlots(query({ mentorZone: zone, rules: mondayMorning, now: at(zone, now), windowDays, durationMinutes: 60 }));
  const morning = (date: string) => ['09:00', '09:30', '10:00', '10:30', '11:00'].map((t) => `${date} ${t}`);

  it('Europe/Paris spring forward (2026-03-29): Monday 09:00 local both weeks, one hour apart in UTC', () => {
    const slots = mondays(PARIS, '2026-03-21T12:00', 14);
    expect(local(slots)).toEqual([...morning('2026-03-23'), ...morning('2026-03-30')]);
    expect(utc(slots)[0]).toBe('2026-03-23T08:00:00.000Z');
    expect(utc(slots)[5]).toBe('2026-03-30T07:00:00.000Z');
  });

  it('Europe/Paris spring forward: 02:00–03:00 does not exist, durations are real minutes', () => {
    const night = (durationMinutes: Duration, rules = [rule(7, '01:00', '04:00')]) =>
      freeSlots(query({ rules, now: at(PARIS, '2026-03-28T12:00'), windowDays: 2, durationMinutes }));
    expect(local(night(30), PARIS, true)).toEqual(['2026-03-29 01:00 +01:00', '2026-03-29 01:30 +01:00', '2026-03-29 03:00 +02:00', '2026-03-29 03:30 +02:00']);
    expect(utc(night(30))).toEqual(['2026-03-29T00:00:00.000Z', '2026-03-29T00:30:00.000Z', '2026-03-29T01:00:00.000Z', '2026-03-29T01:30:00.000Z']);
    // 01:00–04:00 local is only 2 real hours that night.
    expect(local(night(60))).toEqual(['2026-03-29 01:00', '2026-03-29 01:30', '2026-03-29 03:00']);
    expect(local(night(120))).toEqual(['2026-03-29 01:00']);
    expect(night(90).map((s) => s.end.toISOString())).toEqual(['2026-03-29T01:30:00.000Z', '2026-03-29T02:00:00.000Z']);
    // A rule inside the missing hour gives nothing; rules on both sides of it join up.
    expect(night(30, [rule(7, '02:00', '03:00')])).toEqual([]);
    expect(local(night(60, [rule(7, '01:00', '02:00'), rule(7, '03:00', '03:30')]))).toEqual(['2026-03-29 01:00', '2026-03-29 01:30']);
  });

  it('Europe/Paris fall back (2026-10-25): Monday 09:00 local both weeks, repeated hour offered once', () => {
    const slots = mondays(PARIS, '2026-10-17T12:00', 14);
    expect(local(slots)).toEqual([...morning('2026-10-19'), ...morning('2026-10-26')]);
    expect(utc(slots)[0]).toBe('2026-10-19T07:00:00.000Z');
    expect(utc(slots)[5]).toBe('2026-10-26T08:00:00.000Z');

    const night = (durationMinutes: Duration, rules = [rule(7, '01:00', '04:00')]) =>
      freeSlots(query({ rules, now: at(PARIS, '2026-10-24T12:00'), windowDays: 2, durationMinutes }));
    // 02:00 and 02:30 happen twice; only the first (summer time, +02:00) is a start.
    expect(local(night(30), PARIS, true)).toEqual([
      '2026-10-25 01:00 +02:00',
      '2026-10-25 01:30 +02:00',
      '2026-10-25 02:00 +02:00',
      '2026-10-25 02:30 +02:00',
      '2026-10-25 03:00 +01:00',
      '2026-10-25 03:30 +01:00',
    ]);
    expect(utc(night(30))).toEqual([
      '2026-10-24T23:00:00.000Z',
      '2026-10-24T23:30:00.000Z',
      '2026-10-25T00:00:00.000Z',
      '2026-10-25T00:30:00.000Z',
      '2026-10-25T02:00:00.000Z',
      '2026-10-25T02:30:00.000Z',
    ]);
    // 02:30 summer time + 60 real minutes = 02:30 winter time: still inside 01:00–04:00.
    expect(local(night(60))).toEqual(['2026-10-25 01:00', '2026-10-25 01:30', '2026-10-25 02:00', '2026-10-25 02:30', '2026-10-25 03:00']);
    expect(minutesLong(night(120))).toEqual([120, 120, 120, 120]);
    // A 02:00–03:00 rule covers both passes of that hour: 2 real hours that night.
    expect(utc(night(120, [rule(7, '02:00', '03:00')]))).toEqual(['2026-10-25T00:00:00.000Z']);
  });

  it('America/Montreal spring forward (2026-03-08)', () => {
    const slots = mondays(MONTREAL, '2026-02-28T12:00', 14);
    expect(local(slots, MONTREAL)).toEqual([...morning('2026-03-02'), ...morning('2026-03-09')]);
    expect(utc(slots)[0]).toBe('2026-03-02T14:00:00.000Z');
    expect(utc(slots)[5]).toBe('2026-03-09T13:00:00.000Z');

    const night = freeSlots(query({ mentorZone: MONTREAL, rules: [rule(7, '01:00', '04:00')], now: at(MONTREAL, '2026-03-07T12:00'), windowDays: 2, durationMinutes: 30 }));
    expect(local(night, MONTREAL, true)).toEqual(['2026-03-08 01:00 -05:00', '2026-03-08 01:30 -05:00', '2026-03-08 03:00 -04:00', '2026-03-08 03:30 -04:00']);
  });

  it('America/Montreal fall back (2026-11-01)', () => {
    const slots = mondays(MONTREAL, '2026-10-24T12:00', 14);
    expect(local(slots, MONTREAL)).toEqual([...morning('2026-10-26'), ...morning('2026-11-02')]);
    expect(utc(slots)[0]).toBe('2026-10-26T13:00:00.000Z');
    expect(utc(slots)[5]).toBe('2026-11-02T14:00:00.000Z');

    const night = freeSlots(query({ mentorZone: MONTREAL, rules: [rule(7, '00:00', '03:00')], now: at(MONTREAL, '2026-10-31T12:00'), windowDays: 2, durationMinutes: 30 }));
    expect(utc(night)).toEqual([
      '2026-11-01T04:00:00.000Z', // 00:00 EDT
      '2026-11-01T04:30:00.000Z',
      '2026-11-01T05:00:00.000Z', // 01:00 EDT, the first 01:00
      '2026-11-01T05:30:00.000Z',
      '2026-11-01T07:00:00.000Z', // 02:00 EST
      '2026-11-01T07:30:00.000Z',
    ]);
  });

  it('Africa/Dakar has no DST: same UTC time every Monday, no gap or repeat on European DST nights', () => {
    const spring = mondays(DAKAR, '2026-03-21T12:00', 14);
    expect(utc(spring)).toEqual([...morning('2026-03-23'), ...morning('2026-03-30')].map((s) => `${s.replace(' ', 'T')}:00.000Z`));
    const autumn = mondays(DAKAR, '2026-10-17T12:00', 14);
    expect(local(autumn, DAKAR)).toEqual([...morning('2026-10-19'), ...morning('2026-10-26')]);
    const night = freeSlots(query({ mentorZone: DAKAR, rules: [rule(7, '01:00', '04:00')], now: at(DAKAR, '2026-03-28T12:00'), windowDays: 2 }));
    expect(utc(night)).toEqual(['01:00', '01:30', '02:00', '02:30', '03:00', '03:30'].map((t) => `2026-03-29T${t}:00.000Z`));
  });
});

// ---------------------------------------------------------------------------------------
// Properties, against a slow brute-force reference
// ---------------------------------------------------------------------------------------

const RUNS = 200;
const ZONES = [PARIS, DAKAR, MONTREAL] as const;

/** Wall clock of instant t in zone, memoised (luxon is the slow part of the reference). */
const walls = new Map<string, Map<number, { date: string; minute: number }>>();
function wallOf(zone: string, t: number): { date: string; minute: number } {
  let byTime = walls.get(zone);
  if (!byTime) walls.set(zone, (byTime = new Map()));
  let wall = byTime.get(t);
  if (!wall) {
    const dt = DateTime.fromMillis(t, { zone });
    wall = { date: dt.toISODate()!, minute: dt.hour * 60 + dt.minute };
    byTime.set(t, wall);
  }
  return wall;
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Minute-by-minute availability of a local date: a 1440-entry boolean table. */
function dayAvailability(q: SlotQuery, date: string): boolean[] {
  const available = Array<boolean>(1440).fill(false);
  const weekday = DateTime.fromISO(date, { zone: 'UTC' }).weekday;
  const mark = (start: string, end: string, value: boolean) => {
    for (let m = toMinutes(start); m < toMinutes(end); m++) available[m] = value;
  };
  for (const r of q.rules) if (r.active && r.weekday === weekday) mark(r.start, r.end, true);
  for (const o of q.overrides) if (o.date === date && o.kind === 'extra' && o.start && o.end) mark(o.start, o.end, true);
  for (const o of q.overrides) {
    if (o.date !== date || o.kind !== 'blocked') continue;
    if (o.start === undefined && o.end === undefined) available.fill(false);
    else mark(o.start ?? '00:00', o.end ?? '24:00', false);
  }
  return available;
}

// The reference walks real instants in 15-minute steps. That is exact for these tests:
// rules, overrides and grid are on 30-minute wall-clock boundaries, and the three zones
// only ever have whole-hour offsets changing on whole UTC hours.
const STEP = 15 * MINUTE;

/** Is every step of [start, end) available on local date `date`? */
function insideDay(q: SlotQuery, date: string, start: number, end: number, tables: Map<string, boolean[]>): boolean {
  for (let u = start; u < end; u += STEP) {
    const wall = wallOf(q.mentorZone, u);
    if (wall.date !== date) return false;
    let table = tables.get(date);
    if (!table) tables.set(date, (table = dayAvailability(q, date)));
    if (!table[wall.minute]) return false;
  }
  return true;
}

const overlaps = (a0: number, a1: number, b0: number, b1: number) => a0 < b1 && b0 < a1;

/** Slow, obviously correct: try every real instant on the step grid. */
function referenceSlots(q: SlotQuery): Slot[] {
  const grid = q.gridMinutes ?? 30;
  const now = q.now.getTime();
  const windowEnd = now + q.windowDays * DAY;
  const firstDate = wallOf(q.mentorZone, now).date;
  const lastDate = wallOf(q.mentorZone, windowEnd).date;
  const duration = q.durationMinutes * MINUTE;
  const buffer = q.bufferMinutes * MINUTE;
  const tables = new Map<string, boolean[]>();
  const seen = new Set<string>();
  const out: Slot[] = [];
  for (let t = Math.floor((now - DAY) / STEP) * STEP; t < windowEnd + DAY; t += STEP) {
    const wall = wallOf(q.mentorZone, t);
    const key = `${wall.date} ${wall.minute}`;
    if (seen.has(key)) continue; // the second pass of a repeated (fall-back) wall time
    seen.add(key);
    if (wall.minute % grid !== 0 || wall.date < firstDate || wall.date > lastDate) continue;
    if (t < now + q.minNoticeMinutes * MINUTE || t >= windowEnd) continue;
    if (q.from && t < q.from.getTime()) continue;
    if (q.to && t >= q.to.getTime()) continue;
    if (!insideDay(q, wall.date, t, t + duration, tables)) continue;
    const clash = q.busy.some((b) => b.start < b.end && overlaps(t - buffer, t + duration + buffer, b.start.getTime(), b.end.getTime()));
    if (!clash) out.push({ start: new Date(t), end: new Date(t + duration) });
  }
  return out;
}

// --- generators --------------------------------------------------------------------------

const hhmm = (halfHours: number) => `${String(Math.floor(halfHours / 2)).padStart(2, '0')}:${halfHours % 2 ? '30' : '00'}`;

const ruleArb = fc
  .record({ weekday: fc.integer({ min: 1, max: 7 }), start: fc.integer({ min: 0, max: 47 }), length: fc.integer({ min: 1, max: 20 }), active: fc.boolean() })
  .map(({ weekday, start, length, active }): WeeklyRule => ({ weekday, start: hhmm(start), end: hhmm(Math.min(48, start + length)), active }));

const overrideSpecArb = fc.record({
  day: fc.integer({ min: 0, max: 29 }), // days after the local date of now
  kind: fc.constantFrom('extra', 'blocked', 'blocked-day'),
  start: fc.integer({ min: 0, max: 47 }),
  length: fc.integer({ min: 1, max: 16 }),
});

const busySpecArb = fc.record({
  offsetMinutes: fc.integer({ min: -600, max: 28 * 1440 + 600 }),
  lengthMinutes: fc.integer({ min: 1, max: 360 }),
  granularity: fc.constantFrom(1, 15, 30),
});

const YEAR_START = Date.UTC(2026, 0, 1);
const YEAR_END = Date.UTC(2027, 0, 1);
const TRANSITIONS = ['2026-03-08T07:00:00Z', '2026-03-29T01:00:00Z', '2026-10-25T01:00:00Z', '2026-11-01T06:00:00Z'].map(Date.parse);

const nowArb = fc.oneof(
  fc.integer({ min: YEAR_START, max: YEAR_END }),
  fc.integer({ min: YEAR_START / MINUTE, max: YEAR_END / MINUTE }).map((m) => m * MINUTE),
  // Up to four weeks before a DST change (so the window crosses it) or just after it.
  fc.tuple(fc.constantFrom(...TRANSITIONS), fc.integer({ min: -28 * 1440, max: 2 * 1440 })).map(([t, minutes]) => t + minutes * MINUTE),
  fc.tuple(fc.constantFrom(...TRANSITIONS), fc.integer({ min: -3 * 24, max: 24 })).map(([t, hours]) => t + hours * 30 * MINUTE),
);

const queryArb: fc.Arbitrary<SlotQuery> = fc
  .record({
    zone: fc.constantFrom(...ZONES),
    now: nowArb,
    rules: fc.array(ruleArb, { maxLength: 10 }),
    overrides: fc.array(overrideSpecArb, { maxLength: 8 }),
    busy: fc.array(busySpecArb, { maxLength: 40 }),
    buffer: fc.constantFrom(0, 15, 30),
    notice: fc.constantFrom(0, 60, 720),
    window: fc.integer({ min: 1, max: 28 }),
    duration: fc.constantFrom<Duration>(30, 60, 90, 120),
    grid: fc.constantFrom(undefined, undefined, undefined, 30, 60),
    bounds: fc.option(fc.tuple(fc.integer({ min: -1440, max: 28 * 1440 }), fc.integer({ min: 0, max: 28 * 1440 }), fc.boolean(), fc.boolean()), { nil: undefined }),
  })
  .map((g): SlotQuery => {
    const firstDate = DateTime.fromMillis(g.now, { zone: g.zone }).startOf('day');
    const overrides = g.overrides.map((o): DateOverride => {
      const date = firstDate.plus({ days: o.day }).toISODate()!;
      if (o.kind === 'blocked-day') return { date, kind: 'blocked' };
      return { date, kind: o.kind === 'extra' ? 'extra' : 'blocked', start: hhmm(o.start), end: hhmm(Math.min(48, o.start + o.length)) };
    });
    const busyIntervals = g.busy.map(({ offsetMinutes, lengthMinutes, granularity }): Interval => {
      const start = Math.floor((g.now + offsetMinutes * MINUTE) / (granularity * MINUTE)) * granularity * MINUTE;
      return { start: new Date(start), end: new Date(start + lengthMinutes * MINUTE) };
    });
    const q: SlotQuery = {
      mentorZone: g.zone,
      rules: g.rules,
      overrides,
      busy: busyIntervals,
      bufferMinutes: g.buffer,
      minNoticeMinutes: g.notice,
      windowDays: g.window,
      now: new Date(g.now),
      durationMinutes: g.duration,
    };
    if (g.grid !== undefined) q.gridMinutes = g.grid;
    if (g.bounds) {
      const [fromMinutes, spanMinutes, useFrom, useTo] = g.bounds;
      if (useFrom) q.from = new Date(g.now + fromMinutes * MINUTE);
      if (useTo) q.to = new Date(g.now + (fromMinutes + spanMinutes) * MINUTE);
    }
    return q;
  });

const check = (name: string, seed: number, predicate: (q: SlotQuery, slots: Slot[]) => void) =>
  it(
    name,
    () => {
      fc.assert(
        fc.property(queryArb, (q) => predicate(q, freeSlots(q))),
        { numRuns: RUNS, seed },
      );
    },
    60_000,
  );

describe(`freeSlots properties (${RUNS} runs each)`, () => {
  check('no slot, widened by the buffer, overlaps a busy interval', 101, (q, slots) => {
    const buffer = q.bufferMinutes * MINUTE;
    const clashes = slots.filter((s) => q.busy.some((b) => overlaps(s.start.getTime() - buffer, s.end.getTime() + buffer, b.start.getTime(), b.end.getTime())));
    expect(utc(clashes)).toEqual([]);
  });

  check('every slot lies inside the availability of its local day, minute by minute', 102, (q, slots) => {
    const tables = new Map<string, boolean[]>();
    const table = (date: string) => tables.get(date) ?? tables.set(date, dayAvailability(q, date)).get(date)!;
    const outside: string[] = [];
    // Every real minute of a few slots spread over the output, read with luxon directly.
    const picked = slots.filter((_s, i) => slots.length <= 6 || i % Math.ceil(slots.length / 6) === 0 || i === slots.length - 1);
    for (const s of picked) {
      const first = DateTime.fromJSDate(s.start, { zone: q.mentorZone });
      const date = first.toISODate()!;
      for (let u = s.start.getTime(); u < s.end.getTime(); u += MINUTE) {
        const dt = DateTime.fromMillis(u, { zone: q.mentorZone });
        const sameDay = dt.day === first.day && dt.month === first.month && dt.year === first.year;
        if (!sameDay || !table(date)[dt.hour * 60 + dt.minute]) outside.push(`${s.start.toISOString()}: minute ${dt.toISO()}`);
      }
    }
    // And every slot on the 15-minute walk of the reference.
    for (const s of slots) {
      const date = wallOf(q.mentorZone, s.start.getTime()).date;
      if (!insideDay(q, date, s.start.getTime(), s.end.getTime(), tables)) outside.push(s.start.toISOString());
    }
    expect(outside).toEqual([]);
  });

  check('no slot starts before now + notice, at/after now + window, or outside from/to', 103, (q, slots) => {
    const lowest = Math.max(q.now.getTime() + q.minNoticeMinutes * MINUTE, q.from?.getTime() ?? -Infinity);
    const highest = Math.min(q.now.getTime() + q.windowDays * DAY, q.to?.getTime() ?? Infinity);
    expect(utc(slots.filter((s) => s.start.getTime() < lowest || s.start.getTime() >= highest))).toEqual([]);
  });

  check('agrees exactly with the brute-force reference (grid, wall-clock rules, DST)', 104, (q, slots) => {
    const reference = referenceSlots(q);
    expect(utc(slots)).toEqual(utc(reference));
    expect(slots).toEqual(reference);
    const offGrid = slots.filter((s) => {
      const dt = DateTime.fromJSDate(s.start, { zone: q.mentorZone });
      return (dt.hour * 60 + dt.minute) % (q.gridMinutes ?? 30) !== 0 || dt.second !== 0 || dt.millisecond !== 0;
    });
    expect(utc(offGrid)).toEqual([]);
  });

  check('every slot lasts exactly the requested duration', 105, (q, slots) => {
    expect(minutesLong(slots).filter((m) => m !== q.durationMinutes)).toEqual([]);
  });

  check('slots are sorted by start, without duplicates', 106, (_q, slots) => {
    const starts = slots.map((s) => s.start.getTime());
    expect(starts.filter((t, i) => i > 0 && t <= starts[i - 1]!)).toEqual([]);
  });

  check('groupByDay keeps every slot, under its own date in the viewer zone, sorted', 107, (_q, slots) => {
    for (const viewer of ZONES) {
      const groups = groupByDay(slots, viewer);
      expect(groups.flatMap((g) => g.slots)).toEqual(slots);
      const misplaced = groups.flatMap((g) => g.slots.filter((s) => DateTime.fromJSDate(s.start, { zone: viewer }).toISODate() !== g.date));
      expect(utc(misplaced)).toEqual([]);
      const dates = groups.map((g) => g.date);
      expect(dates.filter((d, i) => i > 0 && d <= dates[i - 1]!)).toEqual([]);
    }
  });

  it('the generated queries do exercise the interesting cases', () => {
    // Guards the generators: a property that only ever sees empty outputs proves nothing.
    const samples = fc.sample(queryArb, { numRuns: RUNS, seed: 104 });
    const outputs = samples.map((q) => freeSlots(q));
    expect(outputs.filter((o) => o.length > 0).length).toBeGreaterThan(RUNS / 3);
    const crossesDst = samples.filter((q) => q.mentorZone !== DAKAR && TRANSITIONS.some((t) => t > q.now.getTime() && t < q.now.getTime() + q.windowDays * DAY));
    expect(crossesDst.length).toBeGreaterThan(RUNS / 10);
    const blockedByBusy = samples.filter((q, i) => {
      const unbusy = freeSlots({ ...q, busy: [] });
      return unbusy.length > outputs[i]!.length;
    });
    expect(blockedByBusy.length).toBeGreaterThan(RUNS / 10);
  });
});
