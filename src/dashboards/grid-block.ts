// One block of the bookings grid and its total, for the dashboard's JSON and for the
// public API alike: the same scope (the actor's own bookings, or all for an admin),
// the same filters and order, the same counting rule.
import type { Knex } from 'knex';
import { pgCode } from '../lib/errors.ts';
import { COLUMNS, gridCountQuery, gridEstimateQuery, gridRowsQuery, toGridRow, type ColumnSpec, type GridActor, type GridRecord, type GridRequest, type GridRow } from './grid-query.ts';

/** Past this, the admin's exact count gives way to the planner's estimate. */
export const ADMIN_COUNT_TIMEOUT_MS = 300;
/**
 * Planner estimates up to this are counted exactly: an index-only count of 10,000 rows
 * takes ~2 ms. Past it the estimate is shown, marked as one: an exact count of the
 * unfiltered million-row table scans it all (130–170 ms).
 */
export const EXACT_COUNT_MAX_ESTIMATE = 10_000;
const QUERY_CANCELED = '57014';

/** A number of matching rows, and whether it is the planner's estimate rather than a count. */
export interface GridTotal {
  count: number;
  estimated: boolean;
}

async function exactCount(db: Knex, actor: GridActor, grid: GridRequest): Promise<number> {
  const [row] = (await gridCountQuery(db, actor, grid)) as { n: number | string }[];
  return Number(row?.n ?? 0);
}

/** The planner's row estimate for the grid's WHERE (no execution: well under 1 ms). */
async function estimatedCount(knex: Knex, actor: GridActor, grid: GridRequest): Promise<number> {
  const { sql, bindings } = gridEstimateQuery(knex, actor, grid).toSQL();
  const result = (await knex.raw(`explain (format json) ${sql}`, bindings as Knex.RawBinding[])) as { rows: { 'QUERY PLAN': [{ Plan: { 'Plan Rows': number } }] }[] };
  return Math.round(result.rows[0]?.['QUERY PLAN'][0].Plan['Plan Rows'] ?? 0);
}

/**
 * The total of a grid request. Mentors and students: always counted, with the same
 * WHERE: bounded by their own bookings (busiest mentor of the 1,000,000-row bench:
 * under 1 ms index-only, ~40 ms with a quick filter). The admin's scope is the whole
 * table: counted when the planner expects few rows (a selective filter), otherwise, or
 * when the count outlasts ADMIN_COUNT_TIMEOUT_MS, the planner's estimate, flagged so
 * that the pages say "about".
 */
export async function gridTotal(knex: Knex, actor: GridActor, grid: GridRequest): Promise<GridTotal> {
  if (actor.role !== 'admin') return { count: await exactCount(knex, actor, grid), estimated: false };
  const estimate = await estimatedCount(knex, actor, grid);
  if (estimate > EXACT_COUNT_MAX_ESTIMATE) return { count: estimate, estimated: true };
  // Status and date filters have statistics: the estimate bounds the count, which then
  // needs no timeout (nor the three round trips of its transaction). Text matches are
  // guessed by the planner: those keep the safety net.
  if (!grid.quickFilter && grid.filters.every((f) => (COLUMNS[f.col] as ColumnSpec).filter?.kind !== 'text' || f.col === 'status')) {
    return { count: await exactCount(knex, actor, grid), estimated: false };
  }
  try {
    const count = await knex.transaction(async (trx) => {
      await trx.raw(`set local statement_timeout = ${ADMIN_COUNT_TIMEOUT_MS}`);
      return exactCount(trx, actor, grid);
    });
    return { count, estimated: false };
  } catch (error) {
    if (pgCode(error) === QUERY_CANCELED) return { count: estimate, estimated: true };
    throw error;
  }
}

export interface GridBlock {
  rows: GridRow[];
  /** Ag Grid's lastRow: the total when known exactly, else -1 (unknown: the grid grows as it scrolls). */
  lastRow: number;
  /** Set when the total is the planner's estimate (the admin's first block only). */
  estimatedRowCount?: number;
}

/**
 * The admin's later blocks answer -1 (Ag Grid keeps the total it learnt from the first
 * block); an estimated total is -1 too, with the estimate beside it for the label.
 */
export async function gridBlock(knex: Knex, actor: GridActor, grid: GridRequest, now: Date): Promise<GridBlock> {
  const records = (await gridRowsQuery(knex, actor, grid, now)) as GridRecord[];
  const rows = records.map((r) => toGridRow(r, actor, now));
  // A short block is the last one: its end is the total, no count needed.
  const size = grid.endRow - grid.startRow;
  if (records.length < size && (records.length > 0 || grid.startRow === 0)) return { rows, lastRow: grid.startRow + records.length };
  if (actor.role === 'admin' && grid.startRow > 0) return { rows, lastRow: -1 };
  const total = await gridTotal(knex, actor, grid);
  return total.estimated ? { rows, lastRow: -1, estimatedRowCount: total.count } : { rows, lastRow: total.count };
}
