// A mentor's open time: weekly rules, date overrides and booking settings. Writes
// for one mentor are serialised by an advisory lock so two tabs cannot add
// overlapping ranges at the same moment.
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import type { Clock } from '../lib/clock.ts';
import type { Jobs } from '../lib/jobs.ts';
import { FieldRuleError, NotFoundError } from '../lib/errors.ts';
import { AvailabilityOverride, AvailabilityRule, DEFAULT_SETTINGS, MentorSettings } from './model.ts';
import { toMinutes } from './schemas.ts';

/** A new range meets one the mentor already has that day (shown beside its start). */
export class RangeOverlapError extends FieldRuleError {
  readonly code = 'range_overlap';
  constructor(readonly existing: { start: string; end: string }) {
    super('start', 'availability.overlaps', existing);
  }
}

/** An override for a day that has passed in the mentor's zone. */
export class PastDateError extends FieldRuleError {
  readonly code = 'past_date';
  constructor() {
    super('date', 'availability.pastDate');
  }
}

export type OverrideInput = { date: string; kind: 'extra' | 'blocked'; start?: string; end?: string; note?: string };

export type Settings = Pick<MentorSettings, 'minNoticeMinutes' | 'windowDays' | 'bufferMinutes' | 'requiresApproval' | 'seriesWindowDays'>;

const hhmm = (t: string) => t.slice(0, 5);
// PostgreSQL `time` has no 24:00 input issue, but prints it as 24:00:00: keep it.
const overlaps = (a: { start: string; end: string }, b: { start: string; end: string }) =>
  toMinutes(a.start) < toMinutes(b.end) && toMinutes(b.start) < toMinutes(a.end);

export function availabilityService(deps: { knex: Knex; clock: Clock; jobs?: Jobs }) {
  const { knex, clock } = deps;
  const lock = (trx: Knex.Transaction, mentorId: string) => trx.raw('select pg_advisory_xact_lock(hashtext(?))', [`availability:${mentorId}`]);
  /** New hours change the mentor's first free slot (catalogue "available this week"). */
  const changed = (mentorId: string, db: Knex = knex) => deps.jobs?.add(db, 'refresh-next-free', { mentorId }, { jobKey: `next-free:${mentorId}` });

  async function settingsOf(mentorId: string, db: Knex = knex): Promise<Settings> {
    const row = await MentorSettings.query(db).findById(mentorId);
    return row ? { minNoticeMinutes: row.minNoticeMinutes, windowDays: row.windowDays, bufferMinutes: row.bufferMinutes, requiresApproval: row.requiresApproval, seriesWindowDays: row.seriesWindowDays } : { ...DEFAULT_SETTINGS };
  }

  async function load(mentorId: string, zone: string) {
    const today = DateTime.fromJSDate(clock.now(), { zone }).toISODate()!;
    const [rules, overrides, settings] = await Promise.all([
      AvailabilityRule.query(knex).where({ mentorId }).orderBy(['weekday', 'startTime']),
      AvailabilityOverride.query(knex).where({ mentorId }).where('date', '>=', today).orderBy(['date', 'startTime']),
      settingsOf(mentorId),
    ]);
    return { rules, overrides, settings, today };
  }

  async function addRule(mentorId: string, input: { weekday: number; start: string; end: string }): Promise<AvailabilityRule> {
    return knex.transaction(async (trx) => {
      await lock(trx, mentorId);
      const sameDay = await AvailabilityRule.query(trx).where({ mentorId, weekday: input.weekday });
      const clash = sameDay.map((r) => ({ start: hhmm(r.startTime), end: hhmm(r.endTime) })).find((r) => overlaps(r, input));
      if (clash) throw new RangeOverlapError(clash);
      return AvailabilityRule.query(trx).insertAndFetch({ mentorId, weekday: input.weekday, startTime: input.start, endTime: input.end, active: true } as Partial<AvailabilityRule>);
    }).finally(() => changed(mentorId));
  }

  // The writes below take an optional `db` so that the blocking flow (blocking.ts) can
  // run them inside its own transaction, next to the cancellations they cause.
  async function setRuleActive(mentorId: string, id: string, active: boolean, db: Knex = knex): Promise<void> {
    const n = await AvailabilityRule.query(db).where({ mentorId, id }).patch({ active } as Partial<AvailabilityRule>);
    if (!n) throw new NotFoundError();
    await changed(mentorId, db);
  }

  async function deleteRule(mentorId: string, id: string, db: Knex = knex): Promise<void> {
    const n = await AvailabilityRule.query(db).where({ mentorId, id }).delete();
    if (!n) throw new NotFoundError();
    await changed(mentorId, db);
  }

  async function addOverride(mentorId: string, zone: string, input: OverrideInput, db: Knex = knex) {
    const today = DateTime.fromJSDate(clock.now(), { zone }).toISODate()!;
    if (input.date < today) throw new PastDateError();
    return db.transaction(async (trx) => {
      await lock(trx, mentorId);
      if (input.kind === 'extra' && input.start && input.end) {
        const others = await AvailabilityOverride.query(trx).where({ mentorId, date: input.date, kind: 'extra' });
        const clash = others.map((o) => ({ start: hhmm(o.startTime!), end: hhmm(o.endTime!) })).find((o) => overlaps(o, { start: input.start!, end: input.end! }));
        if (clash) throw new RangeOverlapError(clash);
      }
      return AvailabilityOverride.query(trx).insertAndFetch({
        mentorId, date: input.date, kind: input.kind, startTime: input.start ?? null, endTime: input.end ?? null, note: input.note ?? null,
      } as Partial<AvailabilityOverride>);
    }).finally(() => changed(mentorId, db));
  }

  async function deleteOverride(mentorId: string, id: string, db: Knex = knex): Promise<void> {
    const n = await AvailabilityOverride.query(db).where({ mentorId, id }).delete();
    if (!n) throw new NotFoundError();
    await changed(mentorId, db);
  }

  async function saveSettings(mentorId: string, s: Settings): Promise<void> {
    await knex('mentorSettings').insert({ mentorId, ...s, updatedAt: clock.now() }).onConflict('mentorId').merge();
    await changed(mentorId);
  }

  return { load, settingsOf, addRule, setRuleActive, deleteRule, addOverride, deleteOverride, saveSettings };
}

export type AvailabilityService = ReturnType<typeof availabilityService>;
