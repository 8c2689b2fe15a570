// The load scenarios of one phase, in the order they run. Read scenarios are compared
// to the read floor (the mean of its two runs), the booking scenario to the write floor.
import fs from 'node:fs';
import type pg from 'pg';
import type { LoadSpec } from './load.ts';
import type { ScenarioGroup } from './report.ts';
import { freeBookingSlots, MENTORS, type BookingSlot } from './seed-large.ts';
import type { SignedIn } from './sign-in.ts';

export interface Scenario {
  name: string;
  group: ScenarioGroup;
  path: string;
  spec: () => Promise<Omit<LoadSpec, 'seconds' | 'connections'>>;
  notes?: (statusCounts: Record<string, number>) => string;
}

export interface ScenarioContext {
  /** The app under load. */
  appUrl: string;
  readFloorUrl: string;
  writeFloorUrl: string;
  pool: pg.Pool;
  searchWord: string;
  /** A one-on-one skill of the busy mentor (60-minute sessions). */
  busySkill: string;
  mentor: SignedIn;
  /** A student who does not book in the booking scenario (their pages do not change under it). */
  reader: SignedIn;
  /** The students of the booking scenario. */
  bookers: SignedIn[];
  /** autocannon's setupRequest hook for the booking scenario and the plan file it reads. */
  bookingHook: string;
  planFile: string;
  slotsPerRun: number;
  durationMinutes: number;
}

/** What htmx sends when it swaps a fragment: the app answers with the fragment alone. */
const HOUR = 3_600_000;
const HTMX_PARTIAL = { 'hx-request': 'true', 'hx-request-type': 'partial' };

export function phaseScenarios(c: ScenarioContext): Scenario[] {
  const get = (name: string, group: ScenarioGroup, path: string, headers?: Record<string, string>): Scenario => ({
    name,
    group,
    path,
    spec: async () => ({ url: `${c.appUrl}${path}`, headers, expected: [200] }),
  });
  const readFloor = (name: string): Scenario => ({ name, group: 'floor', path: '/', spec: async () => ({ url: c.readFloorUrl, expected: [200] }) });
  const search = `/?q=${encodeURIComponent(c.searchWord)}`;
  const asMentor = { cookie: c.mentor.cookie };
  const asReader = { cookie: c.reader.cookie };
  return [
    readFloor('read floor (express + select 1)'),
    get('landing GET /', 'anonymous', '/'),
    get(`search GET ${search}`, 'anonymous', search),
    get('skill page (busy mentor)', 'anonymous', `/skills/${c.busySkill}`),
    get('slot fragment (busy mentor, htmx)', 'anonymous', `/skills/${c.busySkill}/book?duration=${c.durationMinutes}`, HTMX_PARTIAL),
    get('mentor dashboard HTML (busy mentor)', 'signed-in', '/dashboard', asMentor),
    get('booking page (student)', 'signed-in', `/skills/${c.busySkill}/book?duration=${c.durationMinutes}`, asReader),
    get('notifications (student)', 'signed-in', '/notifications', asReader),
    // The machine is shared: a second read floor after the read scenarios shows the drift,
    // and the ratios use the mean of both. Before the writes, so that neither follows a burst.
    readFloor('read floor again'),
    {
      name: 'write floor (express + 1 insert under a GiST exclusion)',
      group: 'write-floor',
      path: 'POST /',
      spec: async () => ({ url: c.writeFloorUrl, expected: [303], requests: [{ method: 'POST', path: '/' }] }),
    },
    {
      name: 'booking POST (distinct slots)',
      group: 'booking',
      path: 'POST /skills/:id/bookings',
      spec: async () => {
        // Not at an hour any of these students already has (seeded, or booked in the warm-up):
        // theirs would be refused by their own calendar, and a refusal is not what is measured.
        const { rows } = await c.pool.query<{ s: Date; e: Date }>(
          `select b.starts_at as s, b.ends_at as e from bookings b join users u on u.id = b.student_id
           where u.username = any($1) and b.status in ('pending', 'confirmed') and b.ends_at > now()`,
          [c.bookers.map((b) => b.username)],
        );
        const taken = new Set<number>();
        for (const { s: from, e: to } of rows) {
          for (let h = Math.floor(from.getTime() / HOUR) * HOUR; h < to.getTime(); h += HOUR) taken.add(h);
        }
        const hours = 2 * Math.ceil(c.slotsPerRun / c.bookers.length) + 24;
        const free = (await freeBookingSlots(c.pool, hours * MENTORS)).filter((slot) => !taken.has(new Date(slot.start).getTime()));
        const slots = conflictFreePlan(free, c.bookers.length, c.slotsPerRun);
        // The booking path itself, not the checkout's: these skills are free (a paid one
        // goes to the payment provider first and is booked by its webhook).
        await c.pool.query('update skills set price_cents = 0 where id = any($1::uuid[]) and price_cents <> 0', [[...new Set(slots.map((s) => s.skillId))]]);
        fs.writeFileSync(c.planFile, JSON.stringify({ students: c.bookers, slots, duration: c.durationMinutes }));
        return { url: c.appUrl, expected: [303], requests: [{ setupRequest: c.bookingHook }] };
      },
      notes: (s) => {
        const other = Object.entries(s).filter(([code]) => !['303', '409'].includes(code)).map(([code, n]) => `${code}×${n}`);
        return [`303 booked ×${s['303'] ?? 0}`, `409 taken ×${s['409'] ?? 0}`, ...other].join(', ');
      },
    },
  ];
}

/** The busy mentor's one-on-one skill offering 60 minutes (the slot and booking pages). */
export async function busySkillId(pool: pg.Pool, mentorId: string): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `select id from skills where mentor_id = $1 and mode = 'one_on_one' and status = 'published' and 60 = any(durations) order by created_at limit 1`,
    [mentorId],
  );
  if (!rows[0]) throw new Error('the busy mentor has no one-on-one skill of 60 minutes');
  return rows[0].id;
}

/**
 * freeBookingSlots lists every mentor's first free hour first, mostly the same hour for
 * all, and the hook gives slot i to student i mod n: a student would get many slots at
 * one time and all but one would be refused (their own calendar). Here each block of n
 * consecutive slots is one hour with n different mentors, so every request can succeed.
 */
export function conflictFreePlan(slots: BookingSlot[], students: number, limit: number): BookingSlot[] {
  const byStart = new Map<string, BookingSlot[]>();
  for (const slot of slots) byStart.set(slot.start, [...(byStart.get(slot.start) ?? []), slot]);
  const plan: BookingSlot[] = [];
  for (const group of byStart.values()) {
    if (group.length >= students) plan.push(...group.slice(0, students));
    if (plan.length >= limit) break;
  }
  return plan;
}

type Measured = { group: ScenarioGroup; load: { reqPerSec: number; seconds: number; statusCounts: Record<string, number> }; ratioToFloor: number };

/** Bookings count only when booked (303): a refusal is no booking, however fast. */
const rateOf = (r: Measured) => (r.group === 'booking' ? (r.load.statusCounts['303'] ?? 0) / (r.load.seconds || 1) : r.load.reqPerSec);

/** Each row's ratio to its floor: the read floor's mean for reads, the write floor for bookings. */
export function applyRatios(rows: Measured[]): void {
  const mean = (group: ScenarioGroup) => {
    const floors = rows.filter((r) => r.group === group);
    return floors.length ? floors.reduce((sum, r) => sum + r.load.reqPerSec, 0) / floors.length : 0;
  };
  const read = mean('floor');
  const write = mean('write-floor');
  for (const r of rows) {
    const floor = r.group === 'booking' || r.group === 'write-floor' ? write : read;
    r.ratioToFloor = floor ? rateOf(r) / floor : 0;
  }
}
