// What the grid sends (startRow/endRow, sortModel, filterModel, quick filter, status
// and date range), checked against the role's whitelist (grid-columns.ts).
import { DateTime } from 'luxon';
import { BOOKING_STATUSES, type BookingStatus } from '../bookings/model.ts';
import { echo, gridColumn, gridError, isRecord, jsonParam, MAX_TEXT, param, parseBlock, parseQuickFilter, parseSortModel } from '../lib/grid-request.ts';
import { COLUMNS, CSV_MAX_ROWS, ROLE_COLUMNS, type ColumnFilter, type ColumnId, type ColumnSpec, type Condition, type GridRequest, type GridRole, type RangeOperator, type TextOperator } from './grid-columns.ts';

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
    // A bound on an integer column must be an integer: sub-cent digits of a filter round away.
    const scaled = (n: number) => (filter.minorUnits ? Math.round(n * 100) : n);
    const value = scaled(finite(raw.filter, `${field}.filter`));
    if (op !== 'inRange') return { kind: 'number', op: op as RangeOperator, value };
    const to = scaled(finite(raw.filterTo, `${field}.filterTo`));
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
