// What every Ag Grid endpoint reads from its query string, checked once: the block
// of rows (Infinite Row Model startRow/endRow), the sort model against the
// endpoint's own whitelist, the quick filter, and JSON parameters. Anything off is
// a 400 whose message names the field, so a client developer sees what to fix.
import { BadRequestError } from './errors.ts';

/** Ag Grid asks for blocks of cacheBlockSize rows (100 by default); never more than this. */
export const MAX_PAGE_ROWS = 500;
export const MAX_TEXT = 100;
const MAX_JSON = 4_000;

export type GridParams = Record<string, string | number>;
export const gridError = (key: string, params: GridParams) => new BadRequestError(`grid.${key}`, params);
/** User input echoed in an error message: short, one line. */
export const echo = (v: unknown) => String(v).replace(/\p{Cc}/gu, ' ').slice(0, 40);
export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** LIKE's wildcards (and its escape character) in user input match themselves. */
export const escapeLike = (value: string) => value.replace(/[\\%_]/g, (c) => `\\${c}`);

/** A plain text parameter (a repeated one is refused). */
export function param(query: Record<string, unknown>, field: string): string | undefined {
  const value = query[field];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw gridError('badParam', { field });
  return value;
}

function rowIndex(query: Record<string, unknown>, field: string, fallback: number): number {
  const value = param(query, field);
  if (value === undefined) return fallback;
  if (!/^\d{1,9}$/.test(value)) throw gridError('badInteger', { field });
  return Number(value);
}

export function jsonParam(query: Record<string, unknown>, field: string): unknown {
  const value = param(query, field);
  if (value === undefined) return undefined;
  if (value.length > MAX_JSON) throw gridError('tooLong', { field, max: MAX_JSON });
  try {
    return JSON.parse(value) as unknown;
  } catch {
    throw gridError('malformedJson', { field });
  }
}

/** The block of rows asked for: [startRow, endRow), at most MAX_PAGE_ROWS. */
export function parseBlock(query: Record<string, unknown>): { startRow: number; endRow: number } {
  const startRow = rowIndex(query, 'startRow', 0);
  const endRow = rowIndex(query, 'endRow', startRow + 100);
  if (endRow < startRow) throw gridError('endBeforeStart', { field: 'endRow' });
  if (endRow - startRow > MAX_PAGE_ROWS) throw gridError('tooManyRows', { field: 'endRow', max: MAX_PAGE_ROWS });
  return { startRow, endRow };
}

/** A column named by the client, which must be one of `allowed`. */
export function gridColumn<C extends string>(allowed: readonly C[], colId: unknown, field: string): C {
  const id = typeof colId === 'string' ? colId : '';
  if (!(allowed as readonly string[]).includes(id)) throw gridError('unknownColumn', { column: echo(colId), field });
  return id as C;
}

export interface SortKey<C extends string> {
  col: C;
  dir: 'asc' | 'desc';
}

/** Ag Grid's sortModel ([{ colId, sort }]) over the columns this endpoint may sort by. */
export function parseSortModel<C extends string>(query: Record<string, unknown>, allowed: readonly C[], sortable: (col: C) => boolean = () => true): SortKey<C>[] {
  const raw = jsonParam(query, 'sortModel');
  if (raw === undefined) return [];
  if (!Array.isArray(raw) || raw.length > allowed.length) throw gridError('badParam', { field: 'sortModel' });
  const keys: SortKey<C>[] = [];
  raw.forEach((entry: unknown, i) => {
    if (!isRecord(entry)) throw gridError('badParam', { field: `sortModel[${i}]` });
    const col = gridColumn(allowed, entry.colId, 'sortModel');
    if (!sortable(col)) throw gridError('notSortable', { column: col, field: 'sortModel' });
    if (entry.sort !== 'asc' && entry.sort !== 'desc') throw gridError('badSortDirection', { field: `sortModel[${i}].sort` });
    if (keys.some((k) => k.col === col)) throw gridError('duplicateColumn', { column: col, field: 'sortModel' });
    keys.push({ col, dir: entry.sort });
  });
  return keys;
}

/** The quick filter's text, trimmed; at most MAX_TEXT characters. */
export function parseQuickFilter(query: Record<string, unknown>): string | undefined {
  const quick = param(query, 'quickFilter')?.trim();
  if (quick !== undefined && quick.length > MAX_TEXT) throw gridError('tooLong', { field: 'quickFilter', max: MAX_TEXT });
  return quick || undefined;
}

/** One of a few fixed values (a role, a state), or nothing. */
export function parseChoice<V extends string>(query: Record<string, unknown>, field: string, values: readonly V[]): V | undefined {
  const value = param(query, field);
  if (value !== undefined && !(values as readonly string[]).includes(value)) throw gridError('badValue', { value: echo(value), field });
  return value as V | undefined;
}
