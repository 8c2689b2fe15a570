// The range picker's query: a preset (7/30/90 days ending today) or a custom from/to. Read by
// hand rather than through parseForm: a GET form refused here still shows the page (with the
// default range) and the messages beside the fields, never an error page.
import type { Translate } from '../i18n/index.ts';
import type { FieldErrors } from '../lib/errors.ts';
import { MAX_RANGE_DAYS, PRESET_DAYS, type InsightRange } from './model.ts';

export const DEFAULT_DAYS = 30;
export type Period = `${(typeof PRESET_DAYS)[number]}` | 'custom';
export const PERIODS: readonly Period[] = [...PRESET_DAYS.map((d) => `${d}` as Period), 'custom'];

export interface PickedRange {
  range: InsightRange;
  /** What the form shows again: the typed values when refused. */
  values: { period: Period; from: string; to: string };
  errors: FieldErrors;
}

const DAY_MS = 86_400_000;
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
// Far outside any figure the platform can have, and inside what Date and PostgreSQL read alike.
const MIN_YEAR = 2000;
const MAX_YEAR = 2100;

/** Today's date 'YYYY-MM-DD' in `timeZone`. */
export function todayIn(now: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** 'YYYY-MM-DD' moved by whole days (calendar days: no zone, no daylight saving). */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Days from `from` to `to`, both included. */
export const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;

/** A real calendar day ('2026-02-30' is not one), or undefined. */
function calendarDay(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const m = ISO_DAY.exec(value.trim());
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < MIN_YEAR || year > MAX_YEAR) return undefined;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? value.trim() : undefined;
}

/** A query value as the form typed it (Express gives an array for a repeated key). */
const typed = (value: unknown): string => (typeof value === 'string' ? value.slice(0, 40) : '');

export function pickRange(query: Record<string, unknown>, today: string, timeZone: string, t: Translate): PickedRange {
  const preset = (days: number): InsightRange => ({ from: addDays(today, 1 - days), to: today, timeZone });
  const rawPeriod = query.period;
  const fromText = typed(query.from);
  const toText = typed(query.to);
  const errors: FieldErrors = {};
  // A link with only from/to (a bookmark, a CSV link) means a custom range.
  const period = rawPeriod === undefined || rawPeriod === '' ? (fromText || toText ? 'custom' : `${DEFAULT_DAYS}`) : rawPeriod;
  if (typeof period !== 'string' || !PERIODS.includes(period as Period)) {
    errors.period = t('insights.picker.badPeriod');
    return { range: preset(DEFAULT_DAYS), values: { period: `${DEFAULT_DAYS}` as Period, from: fromText, to: toText }, errors };
  }
  if (period !== 'custom') {
    const range = preset(Number(period));
    return { range, values: { period: period as Period, from: range.from, to: range.to }, errors };
  }
  const from = calendarDay(query.from);
  const to = calendarDay(query.to);
  if (!from) errors.from = fromText ? t('insights.picker.badDate') : t('insights.picker.required');
  if (!to) errors.to = toText ? t('insights.picker.badDate') : t('insights.picker.required');
  if (from && to) {
    const days = daysBetween(from, to);
    if (days < 1) errors.to = t('insights.picker.toBeforeFrom');
    else if (days > MAX_RANGE_DAYS) errors.to = t('insights.picker.tooLong', { max: MAX_RANGE_DAYS });
  }
  const values = { period: 'custom' as const, from: fromText, to: toText };
  if (Object.keys(errors).length || !from || !to) return { range: preset(DEFAULT_DAYS), values, errors };
  return { range: { from, to, timeZone }, values, errors };
}

/** The query that asks for `range` again (CSV links, the previous period's wording). */
export function rangeQuery(picked: PickedRange): string {
  const { period } = picked.values;
  if (period !== 'custom' || Object.keys(picked.errors).length) return new URLSearchParams({ period: Object.keys(picked.errors).length ? `${DEFAULT_DAYS}` : period }).toString();
  return new URLSearchParams({ period, from: picked.range.from, to: picked.range.to }).toString();
}
