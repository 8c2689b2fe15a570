// One block of the bookings grid and its total, for the dashboard's JSON and for the
// public API alike: the same scope (the actor's own bookings, or all for an admin),
// the same filters and order, the same counting rule.
import type { Knex } from 'knex';
import { pgCode } from '../lib/errors.ts';
import { gridCountQuery, gridRowsQuery, toGridRow, type GridActor, type GridRecord, type GridRequest, type GridRow } from './grid-query.ts';

/** Past this, the admin's total is left unknown (lastRow -1). */
export const ADMIN_COUNT_TIMEOUT_MS = 300;
const QUERY_CANCELED = '57014';

/**
 * The total for Ag Grid's lastRow. Mentors and students: always counted, with the same
 * WHERE: bounded by their own bookings (busiest mentor of the 1,000,000-row bench:
 * under 1 ms index-only, ~40 ms with a quick filter). The admin's scope is the whole table: counted on the first
 * block only, and given up (-1, "unknown") past ADMIN_COUNT_TIMEOUT_MS: about 150 ms
 * unfiltered at a million rows, ~500 ms with a quick filter. Later blocks answer -1;
 * Ag Grid keeps the total it learnt from the first one.
 */
async function countRows(knex: Knex, actor: GridActor, grid: GridRequest): Promise<number> {
  const count = async (db: Knex) => {
    const [row] = (await gridCountQuery(db, actor, grid)) as { n: number | string }[];
    return Number(row?.n ?? 0);
  };
  if (actor.role !== 'admin') return count(knex);
  if (grid.startRow > 0) return -1;
  try {
    return await knex.transaction(async (trx) => {
      await trx.raw(`set local statement_timeout = ${ADMIN_COUNT_TIMEOUT_MS}`);
      return count(trx);
    });
  } catch (error) {
    if (pgCode(error) === QUERY_CANCELED) return -1;
    throw error;
  }
}

export async function gridBlock(knex: Knex, actor: GridActor, grid: GridRequest, now: Date): Promise<{ rows: GridRow[]; lastRow: number }> {
  const records = (await gridRowsQuery(knex, actor, grid, now)) as GridRecord[];
  // A short block is the last one: its end is the total, no count needed.
  const size = grid.endRow - grid.startRow;
  const lastRow = records.length < size && (records.length > 0 || grid.startRow === 0)
    ? grid.startRow + records.length
    : await countRows(knex, actor, grid);
  return { rows: records.map((r) => toGridRow(r, actor, now)), lastRow };
}
