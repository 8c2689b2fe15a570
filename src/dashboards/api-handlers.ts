// JSON and CSV for the bookings dashboards (Ag Grid, Infinite Row Model), and the
// mentor's bulk approve / reject. Parsing and SQL live in grid-query.ts.
import type { Request, RequestHandler, Response } from 'express';
import { DateTime } from 'luxon';
import type { Deps } from '../composition.ts';
import type { Formatters } from '../i18n/format.ts';
import type { Translate } from '../i18n/index.ts';
import { currentUser } from '../lib/guards.ts';
import { minorToDecimal } from '../lib/money.ts';
import { parseForm } from '../lib/validation.ts';
import { bulkDecide, bulkSchema } from './bulk.ts';
import { gridBlock } from './grid-block.ts';
import {
  gridRowsQuery, parseGridRequest, toGridRow,
  type GridActor, type GridRecord, type GridRole, type GridRow,
} from './grid-query.ts';

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

  /** One block of rows for the Infinite Row Model, and the total when it is known (or its estimate). */
  const rows: RequestHandler = async (req, res) => {
    const actor = actorOf(req);
    const grid = parseGridRequest(req.query as Record<string, unknown>, actor.role, { timeZone: fmtOf(res).timeZone });
    const block = await gridBlock(deps.knex, actor, grid, deps.clock.now());
    res.set('Cache-Control', 'private, no-store');
    res.json(block);
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
    const results = await bulkDecide(bookings, currentUser(req).id, input, res.locals.t as Translate, (err, bookingId) => req.log?.error({ err, bookingId }, 'bulk booking action failed'));
    res.json({ results });
  };

  return { rows, csv, bulk };
}
