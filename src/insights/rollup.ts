// Brings insight_hourly, insight_daily_visitors and the top lists' day, week, month and quarter
// levels up to date (the design is in the headers of migrations/20261202100000_create_insights.ts,
// 20261202120000_create_insight_top_levels.ts, …_create_insight_top_monthly.ts and
// …_create_insight_top_quarterly.ts). Safe to run at any time, by any
// number of workers: one transaction under an advisory lock, so two runs never count
// the same events twice, and the booking columns are set from their tables, never added.
import type { Knex } from 'knex';
import type { Clock } from '../lib/clock.ts';
import { LATE_CANCEL_HOURS } from './model.ts';
import {
  backfillBookings, platformColumns, RECOUNT_VISITORS, ROLL_DIRTY, ROLL_EVENTS, SUM_PLATFORM_ALL, SUM_PLATFORM_HOURS,
} from './rollup-sql.ts';
import { BACKFILL_TOP_LEVELS, SET_TOP_DAYS, SET_TOP_MONTHS, SET_TOP_QUARTERS, SET_TOP_WEEKS } from './top-levels-sql.ts';

/** Any constant of our own: the rollups take turns on it. ('insights' as 8 bytes.) */
const ROLLUP_LOCK = 0x696e7369676874;
/** Dirty keys per statement: bounded memory and statement time after a mass update. */
const DIRTY_BATCH = 5000;
/** The platform-only columns are recounted over this many hours back (accounts created since the last run). */
const RECENT_HOURS = 48;
/** Events already rolled up are kept this long (their UTC day over, plus a day) for the visitor recount. */
export const EVENT_RETENTION_MS = 2 * 24 * 3600_000;

export interface RollupResult {
  backfilled: boolean;
  events: number;
  dirtyKeys: number;
  ms: number;
}

type Row = Record<string, unknown>;
const rows = (result: { rows: Row[] }) => result.rows;

export function insightsRollup(deps: { knex: Knex; clock: Clock }) {
  const { knex, clock } = deps;

  async function rollEvents(trx: Knex.Transaction, through: number): Promise<number> {
    // Event batches are written concurrently with identity ids: one committing after a
    // later id was already rolled up would sit below the mark forever. The share lock waits
    // for the batches in flight and holds new ones back until this transaction ends
    // (milliseconds; they wait in the writer's buffer, never in a request).
    await trx.raw('lock table insight_events in share mode');
    const [done] = rows(await trx.raw(ROLL_EVENTS, { through }));
    const events = Number(done?.events ?? 0);
    if (!events) return 0;
    await trx.raw(RECOUNT_VISITORS, { days: done!.days as string[] });
    await trx('insightRollupState').update({ eventsThrough: done!.through });
    return events;
  }

  async function rollDirty(trx: Knex.Transaction): Promise<number> {
    let keys = 0;
    for (;;) {
      const [batch] = rows(await trx.raw(ROLL_DIRTY, { batch: DIRTY_BATCH, lateHours: LATE_CANCEL_HOURS }));
      const hours = (batch?.hours ?? []) as Date[];
      if (!hours.length) return keys;
      keys += Number(batch!.keys);
      await trx.raw(SUM_PLATFORM_HOURS, { hours });
      // The top lists' days, then their weeks and months (sums of the days just set), then the
      // quarters (of the months): separate statements, as one would not see the other's rows.
      const touched = { mentors: batch!.mentors as string[], days: batch!.days as string[] };
      for (const sql of [SET_TOP_DAYS, SET_TOP_WEEKS, SET_TOP_MONTHS, SET_TOP_QUARTERS]) await trx.raw(sql, touched);
    }
  }

  async function backfill(trx: Knex.Transaction): Promise<void> {
    // Whatever is queued is part of all time; marks made after this statement stay queued.
    await trx('insightDirty').delete();
    // Empty unless the backfill is being redone (backfilled_at cleared by hand): then it overwrites.
    const empty = !(await trx('insightHourly').first(trx.raw('1 as one')));
    await trx.raw(backfillBookings(empty), { lateHours: LATE_CANCEL_HOURS });
    await trx.raw(SUM_PLATFORM_ALL);
    for (const sql of BACKFILL_TOP_LEVELS) await trx.raw(sql);
    await trx.raw(platformColumns(false), { since: new Date(0) });
  }

  async function rollup(): Promise<RollupResult> {
    const started = performance.now();
    return knex.transaction(async (trx) => {
      await trx.raw('select pg_advisory_xact_lock(?)', [ROLLUP_LOCK]);
      // Read after the lock: a run that waited sees what the previous one committed.
      const state = await trx('insightRollupState').first<{ eventsThrough: number; backfilledAt: Date | null }>('eventsThrough', 'backfilledAt');
      const now = clock.now();
      const backfilled = !state?.backfilledAt;
      // The groupings hash their rows in memory rather than sort them on disk: a minute's run
      // needs little, the backfill's one pass over every booking needs more (this run only).
      await trx.raw(`set local work_mem = '${backfilled ? '256MB' : '32MB'}'`);
      if (backfilled) await backfill(trx);
      const events = await rollEvents(trx, Number(state?.eventsThrough ?? 0));
      const dirtyKeys = await rollDirty(trx);
      const until = new Date(Math.floor(now.getTime() / 3600_000) * 3600_000);
      await trx.raw(platformColumns(true), { since: new Date(until.getTime() - RECENT_HOURS * 3600_000), until });
      await trx('insightRollupState').update({ updatedAt: now, ...(backfilled ? { backfilledAt: now } : {}) });
      return { backfilled, events, dirtyKeys, ms: Math.round(performance.now() - started) };
    });
  }

  /** Events rolled up and older than the retention: the visitor recount no longer needs them. */
  async function prune(): Promise<number> {
    const cutoff = new Date(clock.now().getTime() - EVENT_RETENTION_MS);
    return knex('insightEvents')
      .where('id', '<=', knex('insightRollupState').select('eventsThrough'))
      .andWhere('occurredAt', '<', cutoff)
      .delete();
  }

  return { rollup, prune };
}
