// The kept offsets must answer as luxon does, at every instant and after being dropped,
// and DateTimes built in a kept zone must land where the plain zone name puts them.
import { DateTime, IANAZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import { MAX_KEPT_OFFSETS, memoZone } from './memo-zone.ts';

// DST at 02:00 and 03:00, DST at midnight (Santiago), a 30-minute DST (Lord Howe),
// quarter-hour and half-hour offsets, and a zone that skipped a whole day in 2011 (Apia).
const ZONES = ['Europe/Paris', 'America/Santiago', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/St_Johns', 'Pacific/Apia'];
const YEAR_START = Date.UTC(2026, 0, 1);
const STEP = 97 * 60_000 + 13_000; // not a whole minute: instants inside a second count too

describe('kept zone offsets', () => {
  it('answer as luxon does over a whole year, and minute by minute through each change', () => {
    for (const name of ZONES) {
      const plain = IANAZone.create(name);
      const kept = memoZone(name);
      const changes: number[] = [];
      for (let ts = YEAR_START; ts < YEAR_START + 366 * 86_400_000; ts += STEP) {
        const want = plain.offset(ts);
        expect(kept.offset(ts)).toBe(want);
        expect(kept.offset(ts)).toBe(want);
        if (plain.offset(ts + STEP) !== want) changes.push(ts);
      }
      // Minute by minute through each change, forwards then backwards: an answer kept for
      // a coarser key than the instant (an hour, a day) would be handed across the change.
      for (const change of changes) {
        const minutes = Array.from({ length: 2 * 60 + STEP / 60_000 }, (_, i) => change - 60 * 60_000 + i * 60_000);
        for (const ts of [...minutes, ...minutes.reverse()]) expect(kept.offset(ts), `${name} at ${new Date(ts).toISOString()}`).toBe(plain.offset(ts));
      }
    }
  });

  it('put local midnights, week ends and day steps where the zone name does, across DST days', () => {
    const days = [Date.UTC(2026, 2, 28, 23), Date.UTC(2026, 3, 4, 12), Date.UTC(2026, 8, 5, 12), Date.UTC(2026, 9, 24, 23), Date.UTC(2011, 11, 29, 12)];
    for (const name of ZONES) {
      for (const at of days) {
        for (const [a, b] of [[DateTime.fromMillis(at, { zone: name }), DateTime.fromMillis(at, { zone: memoZone(name) })]] as const) {
          expect(b.startOf('day').toMillis()).toBe(a.startOf('day').toMillis());
          expect(b.endOf('week').toMillis()).toBe(a.endOf('week').toMillis());
          for (let i = 0; i < 7; i++) {
            expect(b.startOf('day').plus({ days: i }).toISO()).toBe(a.startOf('day').plus({ days: i }).toISO());
          }
        }
      }
    }
  });

  it('still answer right once the kept answers were dropped for being too many', () => {
    const kept = memoZone('Europe/Paris');
    const plain = IANAZone.create('Europe/Paris');
    for (let i = 0; i <= MAX_KEPT_OFFSETS + 10; i++) kept.offset(YEAR_START + i * 1000);
    for (const ts of [Date.UTC(2026, 2, 29, 0, 59, 59), Date.UTC(2026, 2, 29, 1), Date.UTC(2026, 9, 25, 0, 59, 59), Date.UTC(2026, 9, 25, 1)]) {
      expect(kept.offset(ts)).toBe(plain.offset(ts));
    }
  });

  it('take a name in any case, and leave an unknown one invalid as luxon would', () => {
    expect(DateTime.fromMillis(YEAR_START, { zone: memoZone('europe/paris') }).offset).toBe(60);
    const unknown = DateTime.fromMillis(YEAR_START, { zone: memoZone('Mars/Olympus_Mons') });
    expect(unknown.isValid).toBe(false);
    expect(unknown.invalidReason).toBe(DateTime.fromMillis(YEAR_START, { zone: 'Mars/Olympus_Mons' }).invalidReason);
  });
});
