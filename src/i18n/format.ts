// Dates, times and prices formatted for the viewer: their language and their IANA zone.
import { minorToDecimal } from '../lib/money.ts';
import type { Locale } from './index.ts';

export interface Formatters {
  dateTime(value: Date | string): string;
  /** A date and time followed by the zone it is read in: "3 Dec 2026, 14:00 (America/New York)". */
  dateTimeInZone(value: Date | string): string;
  date(value: Date | string): string;
  time(value: Date | string): string;
  /** An amount in minor units (cents): 2550 → "25,50 €"; whole amounts without decimals. */
  money(cents: number, currency?: string): string;
  number(value: number): string;
  relative(value: Date | string, now?: Date): string;
  /** A calendar date 'YYYY-MM-DD' (no zone), e.g. "Mon 24 Nov 2026". */
  dayDate(isoDate: string): string;
  /** A weekday and date in the viewer's zone, e.g. "Monday 24 November". */
  day(value: Date | string): string;
  timeZone: string;
  /** The viewer's zone (or `zone`) as people read it: "America/New York". */
  zoneName(zone?: string): string;
}

const toDate = (v: Date | string) => (v instanceof Date ? v : new Date(v));

// Building Intl formatters costs ~0.1 ms each, more than formatting with them; one set
// per (locale, zone) is kept for the life of the process (a few hundred zones at most).
const cache = new Map<string, Formatters>();
const moneyCache = new Map<string, Intl.NumberFormat>();

function moneyFormat(tag: string, currency: string, fractionDigits: number): Intl.NumberFormat {
  const key = `${tag}|${currency}|${fractionDigits}`;
  let format = moneyCache.get(key);
  if (!format) {
    format = new Intl.NumberFormat(tag, { style: 'currency', currency, minimumFractionDigits: fractionDigits });
    moneyCache.set(key, format);
  }
  return format;
}

export function formatters(locale: Locale, timeZone: string): Formatters {
  const key = `${locale}|${timeZone}`;
  let set = cache.get(key);
  if (!set) {
    set = buildFormatters(locale, timeZone);
    cache.set(key, set);
  }
  return set;
}

// A page shows the same instants again and again (a slot list's times, a table's dates),
// and Intl's format costs far more than a Map lookup: each formatter keeps its texts by
// instant, dropped all at once when the memo is full so memory stays bounded.
const MEMO_MAX = 1000;

function byInstant(format: Intl.DateTimeFormat): (value: Date | string) => string {
  const memo = new Map<number, string>();
  return (value) => {
    const ms = toDate(value).getTime();
    let text = memo.get(ms);
    if (text === undefined) {
      text = format.format(ms);
      if (memo.size >= MEMO_MAX) memo.clear();
      memo.set(ms, text);
    }
    return text;
  };
}

function buildFormatters(locale: Locale, timeZone: string): Formatters {
  const tag = locale === 'fr' ? 'fr-FR' : 'en-GB';
  const numberFormat = new Intl.NumberFormat(tag, { maximumFractionDigits: 1 });
  const dateTime = byInstant(new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'short', timeZone }));
  const date = byInstant(new Intl.DateTimeFormat(tag, { dateStyle: 'long', timeZone }));
  const time = byInstant(new Intl.DateTimeFormat(tag, { timeStyle: 'short', timeZone }));
  const rtf = new Intl.RelativeTimeFormat(tag, { numeric: 'auto' });
  const calendarDate = new Intl.DateTimeFormat(tag, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  const day = byInstant(new Intl.DateTimeFormat(tag, { weekday: 'long', day: 'numeric', month: 'long', timeZone }));
  return {
    timeZone,
    zoneName: (zone = timeZone) => zoneName(zone),
    dateTime,
    // Mail has no page footer to name the zone: the time carries it wherever it is quoted.
    dateTimeInZone: (v) => `${dateTime(v)} (${zoneName(timeZone)})`,
    date,
    time,
    // Intl formats the exact decimal string, so cents never pass through a division.
    money: (cents, currency = 'EUR') => moneyFormat(tag, currency.trim(), cents % 100 === 0 ? 0 : 2).format(minorToDecimal(cents) as `${number}`),
    number: (v) => numberFormat.format(v),
    dayDate: (iso) => calendarDate.format(new Date(`${iso}T00:00:00Z`)),
    day,
    relative: (v, now = new Date()) => {
      const seconds = Math.round((toDate(v).getTime() - now.getTime()) / 1000);
      const abs = Math.abs(seconds);
      if (abs < 60) return rtf.format(seconds, 'second');
      if (abs < 3600) return rtf.format(Math.round(seconds / 60), 'minute');
      if (abs < 86400) return rtf.format(Math.round(seconds / 3600), 'hour');
      return rtf.format(Math.round(seconds / 86400), 'day');
    },
  };
}

/**
 * The one way a zone name is shown, in every page and select: the IANA id with spaces
 * for underscores ("America/New_York" → "America/New York"), so it is still the id
 * people recognise from their phone's settings.
 */
export function zoneName(zone: string): string {
  return zone.replace(/_/g, ' ');
}

/** The zone's own spelling ("asia/tokyo" → "Asia/Tokyo", "US/Eastern" → "America/New_York"), or undefined for anything else. */
export function canonicalTimeZone(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 64) return undefined;
  try {
    return new Intl.DateTimeFormat('en', { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

export function isTimeZone(value: unknown): value is string {
  return canonicalTimeZone(value) !== undefined;
}

let namedZones: readonly { value: string; label: string }[] | undefined;
/** Every zone as a select offers it (profile form, slot picker), named the one way; built once. */
export function namedTimeZones(): readonly { value: string; label: string }[] {
  namedZones ??= timeZoneOptions().map((z) => ({ value: z, label: zoneName(z) }));
  return namedZones;
}

/** IANA zones offered in the profile form, most relevant to our users first. */
export function timeZoneOptions(): string[] {
  const preferred = ['Europe/Paris', 'Europe/Brussels', 'Africa/Dakar', 'Africa/Abidjan', 'Africa/Douala', 'America/Montreal', 'America/Toronto', 'Europe/London', 'UTC'];
  const all = Intl.supportedValuesOf('timeZone');
  return [...preferred, ...all.filter((z) => !preferred.includes(z))];
}
