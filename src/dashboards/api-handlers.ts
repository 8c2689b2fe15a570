// JSON and CSV for the bookings dashboards (Ag Grid, Infinite Row Model), and the
// mentor's bulk approve / reject. Parsing and SQL live in grid-query.ts.
import type { Request, RequestHandler, Response } from 'express';
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { Deps } from '../composition.ts';
import type { Formatters } from '../i18n/format.ts';
import type { Translate } from '../i18n/index.ts';
import { AppError, pgCode } from '../lib/errors.ts';
import { currentUser } from '../lib/guards.ts';
import { minorToDecimal } from '../lib/money.ts';
import { blank, parseForm } from '../lib/validation.ts';
import {
  gridCountQuery, gridRowsQuery, parseGridRequest, toGridRow,
  type GridActor, type GridRecord, type GridRequest, type GridRole, type GridRow,
} from './grid-query.ts';

/** Past this, the admin's total is left unknown (lastRow -1). */
export const ADMIN_COUNT_TIMEOUT_MS = 300;
const QUERY_CANCELED = '57014';


export const bulkSchema = z
  .object({
    action: z.enum(['approve', 'reject']),
    ids: z.array(z.uuid()).min(1).max(100),
    reason: z.preprocess(blank, z.string().trim().min(3, { error: 'bookings.reasonRequired' }).max(500).optional()),
    meetingUrl: z.preprocess(blank, z.url({ protocol: /^https$/, error: 'bookings.meetingUrlFormat' }).max(300).optional()),
  })
  .superRefine((v, ctx) => {
    if (v.action === 'reject' && !v.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'bookings.reasonRequired' });
  });

export type BulkResult = { id: string; ok: true; status: string } | { id: string; ok: false; code: string; message: string };

// --- CSV -------------------------------------------------------------------

/** A spreadsheet must not run what a user typed: cells that would start a formula are quoted. */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number | null | undefined): string {
  let s = value === null || value === undefined ? '' : String(value);
  if (FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const csvLine = (cells: (string | number | null | undefined)[]) => `${cells.map(csvCell).join(',')}\r\n`;

type CsvColumn = keyof GridRow;

const CSV_COLUMNS: Record<GridRole, readonly CsvColumn[]> = {
  mentor: ['id', 'startsAt', 'endsAt', 'studentName', 'skillTitle', 'durationMinutes', 'priceCents', 'currency', 'status', 'meetingUrl', 'createdAt'],
  student: ['id', 'startsAt', 'endsAt', 'mentorName', 'skillTitle', 'durationMinutes', 'priceCents', 'currency', 'status', 'meetingUrl'],
  admin: ['id', 'startsAt', 'endsAt', 'studentName', 'mentorName', 'skillTitle', 'durationMinutes', 'priceCents', 'currency', 'status', 'meetingUrl', 'createdAt'],
};
const DATE_COLUMNS = new Set<CsvColumn>(['startsAt', 'endsAt', 'createdAt']);

// --- Handlers ----------------------------------------------------------------

export function dashboardApiHandlers(deps: Deps) {
  const { bookings } = deps.services;

  const actorOf = (req: Request): GridActor => {
    const u = currentUser(req);
    return { id: u.id, role: u.role };
  };
  const fmtOf = (res: Response) => res.locals.fmt as Formatters;

  /**
   * The total for Ag Grid's lastRow. Mentors and students: always counted, with the same
   * WHERE: bounded by their own bookings (busiest mentor of the 1,000,000-row bench:
   * under 1 ms index-only, ~40 ms with a quick filter). The admin's scope is the whole table: counted on the first
   * block only, and given up (-1, "unknown") past ADMIN_COUNT_TIMEOUT_MS: about 150 ms
   * unfiltered at a million rows, ~500 ms with a quick filter. Later blocks answer -1;
   * Ag Grid keeps the total it learnt from the first one.
   */
  async function countRows(actor: GridActor, grid: GridRequest): Promise<number> {
    const count = async (db: Knex) => {
      const [row] = (await gridCountQuery(db, actor, grid)) as { n: number | string }[];
      return Number(row?.n ?? 0);
    };
    if (actor.role !== 'admin') return count(deps.knex);
    if (grid.startRow > 0) return -1;
    try {
      return await deps.knex.transaction(async (trx) => {
        await trx.raw(`set local statement_timeout = ${ADMIN_COUNT_TIMEOUT_MS}`);
        return count(trx);
      });
    } catch (error) {
      if (pgCode(error) === QUERY_CANCELED) return -1;
      throw error;
    }
  }

  /** One block of rows for the Infinite Row Model, and the total when it is known. */
  const rows: RequestHandler = async (req, res) => {
    const actor = actorOf(req);
    const grid = parseGridRequest(req.query as Record<string, unknown>, actor.role, { timeZone: fmtOf(res).timeZone });
    const now = deps.clock.now();
    const records = (await gridRowsQuery(deps.knex, actor, grid, now)) as GridRecord[];
    // A short block is the last one: its end is the total, no count needed.
    const size = grid.endRow - grid.startRow;
    const lastRow = records.length < size && (records.length > 0 || grid.startRow === 0)
      ? grid.startRow + records.length
      : await countRows(actor, grid);
    res.set('Cache-Control', 'private, no-store');
    res.json({ rows: records.map((r) => toGridRow(r, actor, now)), lastRow });
  };

  /** The same filters and order without paging (at most CSV_MAX_ROWS), in the viewer's zone. */
  const csv: RequestHandler = async (req, res) => {
    const actor = actorOf(req);
    const fmt = fmtOf(res);
    const t = res.locals.t as Translate;
    const grid = parseGridRequest(req.query as Record<string, unknown>, actor.role, { timeZone: fmt.timeZone, paged: false });
    const now = deps.clock.now();
    const records = (await gridRowsQuery(deps.knex, actor, grid, now)) as GridRecord[];
    const columns = CSV_COLUMNS[actor.role];
    const local = (iso: string) => DateTime.fromISO(iso, { zone: fmt.timeZone }).toFormat('yyyy-MM-dd HH:mm');
    const cell = (row: GridRow, c: CsvColumn) => {
      if (c === 'status') return t(`bookings.status.${row.status}`);
      if (c === 'priceCents') return minorToDecimal(row.priceCents);
      const v = row[c];
      return DATE_COLUMNS.has(c) ? local(v as string) : (v as string | number | null);
    };
    let body = '\uFEFF' + csvLine(columns.map((c) => t(`dashboard.csv.${c}`, { zone: fmt.timeZone })));
    for (const r of records) {
      const row = toGridRow(r, actor, now);
      body += csvLine(columns.map((c) => cell(row, c)));
    }
    const today = DateTime.fromJSDate(now, { zone: fmt.timeZone }).toISODate();
    res.set({
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="bookings-${today}.csv"`,
      'Cache-Control': 'private, no-store',
    });
    res.send(body);
  };

  /** Approve or reject many requests: each in its own transaction, each answered on its own. */
  const bulk: RequestHandler = async (req, res) => {
    const input = parseForm(req, res, bulkSchema);
    const mentorId = currentUser(req).id;
    const t = res.locals.t as Translate;
    const results: BulkResult[] = [];
    for (const id of new Set(input.ids)) {
      try {
        const b = input.action === 'approve'
          ? await bookings.confirm(mentorId, id, { meetingUrl: input.meetingUrl })
          : await bookings.reject(mentorId, id, input.reason!);
        results.push({ id, ok: true, status: b.status });
      } catch (error) {
        if (error instanceof AppError && error.status < 500) {
          results.push({ id, ok: false, code: error.code, message: t(error.messageKey, error.params) });
        } else {
          req.log?.error({ err: error, bookingId: id }, 'bulk booking action failed');
          results.push({ id, ok: false, code: 'internal_error', message: t('errors.internal') });
        }
      }
    }
    res.json({ results });
  };

  return { rows, csv, bulk };
}
