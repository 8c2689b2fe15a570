// The Ag Grid dashboards' server side (Infinite Row Model): parses what the
// grid sends (startRow/endRow, sortModel, filterModel, quick filter, status and date
// range) and builds the SQL. Pure: nothing here runs a query.
//
// Safety rules:
// - identifiers (columns, sort directions, operators) come only from the tables below;
//   what the browser sends merely selects an entry, and anything unknown is a 400
//   naming the offending parameter;
// - every value the browser sends reaches PostgreSQL as a bound parameter.
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { BOOKING_STATUSES, type BookingStatus } from '../bookings/model.ts';
import { allowedActions } from '../bookings/policy.ts';
import {
  echo, escapeLike, gridColumn, gridError, isRecord, jsonParam, MAX_TEXT, param, parseBlock, parseQuickFilter, parseSortModel, type SortKey as GridSortKey,
} from '../lib/grid-request.ts';

export type GridRole = 'mentor' | 'student' | 'admin';
export interface GridActor {
  id: string;
  role: GridRole;
}

export const CSV_MAX_ROWS = 10_000;

const TEXT_OPERATORS = ['contains', 'notContains', 'equals', 'startsWith'] as const;
const RANGE_OPERATORS = ['equals', 'greaterThan', 'lessThan', 'inRange'] as const;
type TextOperator = (typeof TEXT_OPERATORS)[number];
type RangeOperator = (typeof RANGE_OPERATORS)[number];
type FilterKind = 'text' | 'number' | 'date';
type Join = 'student' | 'mentor' | 'skill';

interface ColumnSpec {
  /** Trusted SQL (snake_case, table aliases of the query below). */
  readonly sql: string;
  /** The join this expression needs (the count query joins only what it filters on). */
  readonly join?: Join;
  readonly sortable: boolean;
  readonly filter?: {
    readonly kind: FilterKind;
    readonly operators: readonly string[];
    /** Compared as is (no lower/unaccent) and limited to these values. */
    readonly values?: readonly string[];
  };
}

const text = { kind: 'text', operators: TEXT_OPERATORS } as const;
const number = { kind: 'number', operators: RANGE_OPERATORS } as const;
const date = { kind: 'date', operators: RANGE_OPERATORS } as const;

/** Every column a grid may show. Which role may sort or filter on which: ROLE_COLUMNS. */
export const COLUMNS = {
  skillTitle: { sql: 'skills.title', join: 'skill', sortable: true, filter: text },
  studentName: { sql: 'student.display_name', join: 'student', sortable: true, filter: text },
  mentorName: { sql: 'mentor.display_name', join: 'mentor', sortable: true, filter: text },
  startsAt: { sql: 'bookings.starts_at', sortable: true, filter: date },
  durationMinutes: { sql: 'bookings.duration_minutes', sortable: true, filter: number },
  price: { sql: 'bookings.price', sortable: true, filter: number },
  status: { sql: 'bookings.status', sortable: true, filter: { kind: 'text', operators: ['equals'], values: BOOKING_STATUSES } },
  createdAt: { sql: 'bookings.created_at', sortable: true, filter: date },
  // Shown to the people in the session, never sorted or filtered on.
  meetingUrl: { sql: 'bookings.meeting_url', sortable: false },
} as const satisfies Record<string, ColumnSpec>;

export type ColumnId = keyof typeof COLUMNS;

/** The columns each role may name in sortModel / filterModel. */
export const ROLE_COLUMNS: Record<GridRole, readonly ColumnId[]> = {
  mentor: ['studentName', 'skillTitle', 'startsAt', 'durationMinutes', 'price', 'status', 'createdAt'],
  student: ['skillTitle', 'mentorName', 'startsAt', 'durationMinutes', 'status', 'meetingUrl'],
  admin: ['studentName', 'mentorName', 'skillTitle', 'startsAt', 'durationMinutes', 'price', 'status', 'createdAt', 'meetingUrl'],
};

/** What the quick filter searches: the other party and the skill. */
type QuickColumn = 'studentName' | 'mentorName' | 'skillTitle';
const QUICK_FILTER_COLUMNS: Record<GridRole, readonly QuickColumn[]> = {
  mentor: ['studentName', 'skillTitle'],
  student: ['mentorName', 'skillTitle'],
  admin: ['studentName', 'mentorName', 'skillTitle'],
};

export type SortKey = GridSortKey<ColumnId>;

export type Condition =
  | { kind: 'text'; op: TextOperator; value: string; exact: boolean }
  | { kind: 'number'; op: RangeOperator; value: number; to?: number }
  /** Day filters: [from, until) instants of the viewer's calendar days. */
  | { kind: 'date'; op: RangeOperator; dayStart: Date; nextDay: Date; rangeEnd?: Date };

export interface ColumnFilter {
  col: ColumnId;
  operator: 'and' | 'or';
  conditions: Condition[];
}

export interface GridRequest {
  startRow: number;
  endRow: number;
  sort: SortKey[];
  filters: ColumnFilter[];
  quickFilter?: string;
  statuses?: BookingStatus[];
  /** startsAt >= from */
  from?: Date;
  /** startsAt < to */
  to?: Date;
}

// ---------------------------------------------------------------------------
// Parsing

const bad = gridError;

function column(role: GridRole, colId: unknown, field: string): ColumnId {
  return gridColumn(ROLE_COLUMNS[role], colId, field);
}

/** A number from the grid's JSON (a number, or a numeric string). */
function finite(value: unknown, field: string): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d{1,9}(\.\d{1,4})?$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isFinite(n) || Math.abs(n) > 1e9) throw bad('badNumber', { field });
  return n;
}

/** Ag Grid's date filter sends 'YYYY-MM-DD hh:mm:ss' (time always 00:00:00): a calendar day. */
function day(value: unknown, field: string, timeZone: string): DateTime {
  const m = typeof value === 'string' ? /^(\d{4}-\d{2}-\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?)?$/.exec(value) : null;
  const start = m ? DateTime.fromISO(m[1]!, { zone: timeZone }).startOf('day') : undefined;
  if (!start?.isValid) throw bad('badDate', { field });
  return start;
}

function parseCondition(col: ColumnId, raw: unknown, field: string, timeZone: string): Condition {
  if (!isRecord(raw)) throw bad('badParam', { field });
  const spec = COLUMNS[col] as ColumnSpec;
  const filter = spec.filter!;
  if (raw.filterType !== undefined && raw.filterType !== filter.kind) throw bad('wrongFilterType', { column: col, type: echo(raw.filterType), field: `${field}.filterType` });
  const op = raw.type;
  if (typeof op !== 'string' || !filter.operators.includes(op)) throw bad('badOperator', { column: col, operator: echo(op), field: `${field}.type` });

  if (filter.kind === 'text') {
    const value = raw.filter;
    if (typeof value !== 'string' || value.length === 0 || value.length > MAX_TEXT) throw bad('badText', { field: `${field}.filter`, max: MAX_TEXT });
    if (filter.values && !filter.values.includes(value)) throw bad('badValue', { value: echo(value), field: `${field}.filter` });
    return { kind: 'text', op: op as TextOperator, value, exact: Boolean(filter.values) };
  }
  if (filter.kind === 'number') {
    const value = finite(raw.filter, `${field}.filter`);
    if (op !== 'inRange') return { kind: 'number', op: op as RangeOperator, value };
    const to = finite(raw.filterTo, `${field}.filterTo`);
    if (to < value) throw bad('badRange', { field: `${field}.filterTo` });
    return { kind: 'number', op: 'inRange', value, to };
  }
  const from = day(raw.dateFrom, `${field}.dateFrom`, timeZone);
  const condition: Condition = { kind: 'date', op: op as RangeOperator, dayStart: from.toJSDate(), nextDay: from.plus({ days: 1 }).toJSDate() };
  if (op !== 'inRange') return condition;
  const to = day(raw.dateTo, `${field}.dateTo`, timeZone);
  if (to < from) throw bad('badRange', { field: `${field}.dateTo` });
  return { ...condition, rangeEnd: to.plus({ days: 1 }).toJSDate() };
}

function parseFilters(role: GridRole, raw: unknown, timeZone: string): ColumnFilter[] {
  if (raw === undefined) return [];
  if (!isRecord(raw)) throw bad('badParam', { field: 'filterModel' });
  return Object.entries(raw).map(([colId, model]) => {
    const col = column(role, colId, 'filterModel');
    const spec = COLUMNS[col] as ColumnSpec;
    if (!spec.filter) throw bad('notFilterable', { column: col, field: 'filterModel' });
    const field = `filterModel.${col}`;
    if (!isRecord(model)) throw bad('badParam', { field });
    if (model.operator === undefined && model.conditions === undefined) return { col, operator: 'and', conditions: [parseCondition(col, model, field, timeZone)] };
    // Combined form: { filterType, operator: 'AND' | 'OR', conditions: [c1, c2] }.
    if (model.operator !== 'AND' && model.operator !== 'OR') throw bad('badCombinator', { field: `${field}.operator` });
    if (model.filterType !== undefined && model.filterType !== spec.filter.kind) throw bad('wrongFilterType', { column: col, type: echo(model.filterType), field: `${field}.filterType` });
    const conditions = model.conditions;
    if (!Array.isArray(conditions) || conditions.length < 1 || conditions.length > 2) throw bad('badConditions', { field: `${field}.conditions`, max: 2 });
    return {
      col,
      operator: model.operator === 'AND' ? 'and' : 'or',
      conditions: conditions.map((c: unknown, i) => parseCondition(col, c, `${field}.conditions[${i}]`, timeZone)),
    };
  });
}

function parseStatuses(value: string | undefined): BookingStatus[] | undefined {
  if (value === undefined) return undefined;
  const list = [...new Set(value.split(',').map((s) => s.trim()).filter(Boolean))];
  for (const s of list) if (!(BOOKING_STATUSES as readonly string[]).includes(s)) throw bad('badStatus', { value: echo(s), field: 'status' });
  return list.length ? (list as BookingStatus[]) : undefined;
}

/** 'YYYY-MM-DD' is a day in the viewer's zone (from: its start, to: its end); a date-time needs its offset. */
function instant(value: string | undefined, field: 'from' | 'to', timeZone: string): Date | undefined {
  if (value === undefined) return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const start = DateTime.fromISO(value, { zone: timeZone }).startOf('day');
    if (!start.isValid) throw bad('badDate', { field });
    return (field === 'to' ? start.plus({ days: 1 }) : start).toJSDate();
  }
  const at = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/.test(value) ? DateTime.fromISO(value, { setZone: true }) : undefined;
  if (!at?.isValid) throw bad('badDate', { field });
  return at.toJSDate();
}

export interface ParseOptions {
  /** The viewer's IANA zone: calendar days in filters are theirs. */
  timeZone: string;
  /** false for exports: startRow/endRow are ignored. */
  paged?: boolean;
}

/** The grid's query string, checked against the role's whitelist; throws a 400 naming the bad field. */
export function parseGridRequest(query: Record<string, unknown>, role: GridRole, options: ParseOptions): GridRequest {
  const { timeZone, paged = true } = options;
  const { startRow, endRow } = paged ? parseBlock(query) : { startRow: 0, endRow: CSV_MAX_ROWS };
  const from = instant(param(query, 'from'), 'from', timeZone);
  const to = instant(param(query, 'to'), 'to', timeZone);
  if (from && to && to < from) throw bad('endBeforeStart', { field: 'to' });
  return {
    startRow,
    endRow,
    sort: parseSortModel(query, ROLE_COLUMNS[role], (col) => COLUMNS[col].sortable),
    filters: parseFilters(role, jsonParam(query, 'filterModel'), timeZone),
    quickFilter: parseQuickFilter(query),
    statuses: parseStatuses(param(query, 'status')),
    from,
    to,
  };
}

// ---------------------------------------------------------------------------
// SQL

interface Fragment {
  sql: string;
  bindings: unknown[];
}

const folded = (sql: string) => `immutable_unaccent(lower(${sql}))`;
const COMPARE: Record<Exclude<RangeOperator, 'inRange'>, string> = { equals: '=', greaterThan: '>', lessThan: '<' };

function conditionSql(expr: string, c: Condition): Fragment {
  if (c.kind === 'text') {
    if (c.exact) return { sql: `${expr} = ?`, bindings: [c.value] };
    const contains = `${folded(expr)} like '%' || ${folded('?')} || '%'`;
    switch (c.op) {
      case 'contains': return { sql: contains, bindings: [escapeLike(c.value)] };
      case 'notContains': return { sql: `not (${contains})`, bindings: [escapeLike(c.value)] };
      case 'startsWith': return { sql: `${folded(expr)} like ${folded('?')} || '%'`, bindings: [escapeLike(c.value)] };
      case 'equals': return { sql: `${folded(expr)} = ${folded('?')}`, bindings: [c.value] };
    }
  }
  if (c.kind === 'number') {
    if (c.op === 'inRange') return { sql: `${expr} between ? and ?`, bindings: [c.value, c.to] };
    return { sql: `${expr} ${COMPARE[c.op]} ?`, bindings: [c.value] };
  }
  // Dates are whole days of the viewer's calendar; inRange includes both ends.
  switch (c.op) {
    case 'equals': return { sql: `(${expr} >= ? and ${expr} < ?)`, bindings: [c.dayStart, c.nextDay] };
    case 'greaterThan': return { sql: `${expr} >= ?`, bindings: [c.nextDay] };
    case 'lessThan': return { sql: `${expr} < ?`, bindings: [c.dayStart] };
    case 'inRange': return { sql: `(${expr} >= ? and ${expr} < ?)`, bindings: [c.dayStart, c.rangeEnd] };
  }
}

function filterSql(f: ColumnFilter): Fragment {
  const parts = f.conditions.map((c) => conditionSql(COLUMNS[f.col].sql, c));
  return { sql: `(${parts.map((p) => p.sql).join(` ${f.operator} `)})`, bindings: parts.flatMap((p) => p.bindings) };
}

/**
 * The quick filter: the other party's name and the skill title contain the text.
 * Mentors and students: tested on the joined row, at a cost bounded by their own
 * bookings (a few thousand at most). The admin: an OR across three joined tables cannot
 * be pushed below the joins, so PostgreSQL would unaccent every one of a million joined
 * rows (5 s measured); as `id in (select …)` each branch is a hashed subplan computed
 * once over users / skills, with their trigram indexes (5 ms for a block).
 */
const QUICK_SOURCES: Record<QuickColumn, string> = {
  studentName: `bookings.student_id in (select qu.id from users qu where ${folded('qu.display_name')} like '%' || ${folded('?')} || '%')`,
  mentorName: `bookings.mentor_id in (select qu.id from users qu where ${folded('qu.display_name')} like '%' || ${folded('?')} || '%')`,
  skillTitle: `bookings.skill_id in (select qs.id from skills qs where ${folded('qs.title')} like '%' || ${folded('?')} || '%')`,
};

function quickFilterSql(role: GridRole, value: string): Fragment {
  const branches = QUICK_FILTER_COLUMNS[role].map((c) => (role === 'admin' ? QUICK_SOURCES[c] : `${folded(COLUMNS[c].sql)} like '%' || ${folded('?')} || '%'`));
  return { sql: `(${branches.join(' or ')})`, bindings: branches.map(() => escapeLike(value)) };
}

function joinsFor(role: GridRole, req: GridRequest): Set<Join> {
  const joins = new Set<Join>();
  const need = (col: ColumnId) => {
    const j = (COLUMNS[col] as ColumnSpec).join;
    if (j) joins.add(j);
  };
  req.filters.forEach((f) => need(f.col));
  if (req.quickFilter && role !== 'admin') QUICK_FILTER_COLUMNS[role].forEach(need);
  return joins;
}

function addJoins(q: Knex.QueryBuilder, joins: Set<Join>): void {
  if (joins.has('skill')) q.join('skills', 'skills.id', 'bookings.skillId');
  if (joins.has('student')) q.join('users as student', 'student.id', 'bookings.studentId');
  if (joins.has('mentor')) q.join('users as mentor', 'mentor.id', 'bookings.mentorId');
}

/** The scope of the actor and the request's filters: shared by the page, the count and the export. */
function scoped(knex: Knex, actor: GridActor, req: GridRequest, joins: Set<Join>): Knex.QueryBuilder {
  const q = knex('bookings');
  addJoins(q, joins);
  if (actor.role === 'mentor') q.where('bookings.mentorId', actor.id);
  else if (actor.role === 'student') q.where('bookings.studentId', actor.id);
  if (req.statuses) q.whereIn('bookings.status', req.statuses);
  if (req.from) q.where('bookings.startsAt', '>=', req.from);
  if (req.to) q.where('bookings.startsAt', '<', req.to);
  for (const f of req.filters) {
    const { sql, bindings } = filterSql(f);
    q.whereRaw(sql, bindings as Knex.RawBinding[]);
  }
  if (req.quickFilter) {
    const { sql, bindings } = quickFilterSql(actor.role, req.quickFilter);
    q.whereRaw(sql, bindings as Knex.RawBinding[]);
  }
  return q;
}

function addOrder(q: Knex.QueryBuilder, actor: GridActor, req: GridRequest, now: Date): void {
  if (req.sort.length) {
    for (const k of req.sort) q.orderByRaw(`${COLUMNS[k.col].sql} ${k.dir === 'desc' ? 'desc' : 'asc'}`);
    // The id breaks ties so that pages never repeat or skip a row; it follows the last
    // key's direction so that (…, starts_at, id) indexes serve both directions.
    q.orderBy('bookings.id', req.sort.at(-1)!.dir);
  } else if (actor.role === 'student') {
    // Upcoming sessions first, soonest first; then past ones, latest first.
    q.orderByRaw(
      'case when bookings.starts_at >= ? then 0 else 1 end, case when bookings.starts_at >= ? then bookings.starts_at end asc, bookings.starts_at desc, bookings.id asc',
      [now, now],
    );
  } else {
    q.orderBy('bookings.startsAt', 'desc').orderBy('bookings.id', 'desc');
  }
}

export const GRID_SELECT = [
  'bookings.id', 'bookings.mentorId', 'bookings.studentId', 'bookings.startsAt', 'bookings.endsAt', 'bookings.durationMinutes',
  'bookings.price', 'bookings.currency', 'bookings.status', 'bookings.meetingUrl', 'bookings.createdAt',
  'skills.title as skillTitle', 'student.displayName as studentName', 'mentor.displayName as mentorName',
] as const;

/** One block of rows (or, with `paged: false` at parse time, the whole export up to CSV_MAX_ROWS). */
export function gridRowsQuery(knex: Knex, actor: GridActor, req: GridRequest, now: Date): Knex.QueryBuilder {
  const q = scoped(knex, actor, req, new Set<Join>(['skill', 'student', 'mentor'])).select(...GRID_SELECT);
  addOrder(q, actor, req, now);
  q.limit(req.endRow - req.startRow);
  if (req.startRow > 0) q.offset(req.startRow);
  return q;
}

/** The number of matching rows, joining only the tables a filter needs. */
export function gridCountQuery(knex: Knex, actor: GridActor, req: GridRequest): Knex.QueryBuilder {
  return scoped(knex, actor, req, joinsFor(actor.role, req)).count({ n: '*' });
}

// ---------------------------------------------------------------------------
// Rows

export interface GridRecord {
  id: string;
  mentorId: string;
  studentId: string;
  startsAt: Date;
  endsAt: Date;
  durationMinutes: number;
  price: string;
  currency: string;
  status: BookingStatus;
  meetingUrl: string | null;
  createdAt: Date;
  skillTitle: string;
  studentName: string;
  mentorName: string;
}

export interface GridRow {
  id: string;
  skillTitle: string;
  studentName: string;
  mentorName: string;
  startsAt: string;
  endsAt: string;
  durationMinutes: number;
  price: string;
  currency: string;
  status: BookingStatus;
  meetingUrl: string | null;
  createdAt: string;
  canApprove: boolean;
  canCancel: boolean;
}

/** A row as the grid shows it, with what this viewer may do with it now. */
export function toGridRow(r: GridRecord, actor: GridActor, now: Date): GridRow {
  const allowed = allowedActions(r, actor, now);
  return {
    id: r.id,
    skillTitle: r.skillTitle,
    studentName: r.studentName,
    mentorName: r.mentorName,
    startsAt: r.startsAt.toISOString(),
    endsAt: r.endsAt.toISOString(),
    durationMinutes: r.durationMinutes,
    price: r.price,
    currency: r.currency.trim(),
    status: r.status,
    meetingUrl: r.status === 'confirmed' ? r.meetingUrl : null,
    createdAt: r.createdAt.toISOString(),
    canApprove: allowed.canDecide,
    canCancel: allowed.canCancel,
  };
}
