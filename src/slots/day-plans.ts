// The slot engine's input, read once: 'HH:MM' times as minutes of the day, a day's
// availability as a union of minute ranges, date overrides planned per day, and the
// weekly rules per weekday. Pure; invalid input throws a RangeError naming it.

const DAY_MINUTES = 1440;

export interface WeeklyRule {
  /** ISO weekday, 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** 'HH:MM' local in the mentor zone. */
  start: string;
  /** 'HH:MM', after start; '24:00' is the end of the day. */
  end: string;
  active: boolean;
}

export interface DateOverride {
  /** 'YYYY-MM-DD' in the mentor zone. */
  date: string;
  kind: 'extra' | 'blocked';
  /** Both absent on 'blocked' = the whole day. */
  start?: string;
  end?: string;
}

const TIME = /^(\d{2}):(\d{2})$/;
export const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** 'HH:MM' → minutes of the day; '24:00' → 1440 only when allowed. */
export function parseTime(value: string, allowEndOfDay: boolean): number {
  const match = TIME.exec(value);
  const hours = match ? Number(match[1]) : NaN;
  const minutes = match ? Number(match[2]) : NaN;
  const total = hours * 60 + minutes;
  const ok = minutes < 60 && (hours < 24 || (allowEndOfDay && total === DAY_MINUTES));
  if (!ok) throw new RangeError(`Invalid time "${value}" (expected HH:MM${allowEndOfDay ? ', up to 24:00' : ''})`);
  return total;
}

/** [start, end) in minutes of the day, both within 0..1440, start < end (else undefined). */
export type MinuteRange = [number, number];

export function range(start: string, end: string): MinuteRange | undefined {
  const a = parseTime(start, false);
  const b = parseTime(end, true);
  return a < b ? [a, b] : undefined;
}

/** Union of ranges, sorted; touching ranges are merged. */
export function union(ranges: MinuteRange[]): MinuteRange[] {
  const sorted = [...ranges].sort((x, y) => x[0] - y[0]);
  const out: MinuteRange[] = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/** `ranges` minus `cut`, both sorted and disjoint. */
export function subtract(ranges: MinuteRange[], cut: MinuteRange[]): MinuteRange[] {
  let out = ranges;
  for (const [c0, c1] of cut) {
    const next: MinuteRange[] = [];
    for (const [a, b] of out) {
      if (c1 <= a || c0 >= b) next.push([a, b]);
      else {
        if (a < c0) next.push([a, c0]);
        if (c1 < b) next.push([c1, b]);
      }
    }
    out = next;
  }
  return out;
}

export interface DayPlan {
  extra: MinuteRange[];
  blocked: MinuteRange[];
  wholeDayBlocked: boolean;
}

export function planOverrides(overrides: DateOverride[]): Map<string, DayPlan> {
  const plans = new Map<string, DayPlan>();
  for (const o of overrides) {
    if (!DATE.test(o.date)) throw new RangeError(`Invalid override date "${o.date}" (expected YYYY-MM-DD)`);
    let plan = plans.get(o.date);
    if (!plan) {
      plan = { extra: [], blocked: [], wholeDayBlocked: false };
      plans.set(o.date, plan);
    }
    if (o.kind === 'blocked') {
      if (o.start === undefined && o.end === undefined) plan.wholeDayBlocked = true;
      else {
        // A blocked override with only one bound blocks from the start / to the end of the day.
        const r = range(o.start ?? '00:00', o.end ?? '24:00');
        if (r) plan.blocked.push(r);
      }
    } else if (o.start !== undefined && o.end !== undefined) {
      // An 'extra' override without both times adds nothing: availability is never
      // opened by guesswork.
      const r = range(o.start, o.end);
      if (r) plan.extra.push(r);
    }
  }
  return plans;
}

export function weeklyRanges(rules: WeeklyRule[]): MinuteRange[][] {
  const byWeekday: MinuteRange[][] = [[], [], [], [], [], [], [], []]; // index 1..7
  for (const rule of rules) {
    if (!Number.isInteger(rule.weekday) || rule.weekday < 1 || rule.weekday > 7) {
      throw new RangeError(`Invalid weekday ${rule.weekday} (expected 1 = Monday … 7 = Sunday)`);
    }
    const r = range(rule.start, rule.end);
    if (rule.active && r) byWeekday[rule.weekday]!.push(r);
  }
  return byWeekday.map(union);
}

export function time(value: Date, name: string): number {
  const t = value instanceof Date ? value.getTime() : NaN;
  if (!Number.isFinite(t)) throw new RangeError(`Invalid date in ${name}`);
  return t;
}

/** 'YYYY-MM-DD' of a wall-clock time written as UTC epoch ms. */
export function dateKey(wall: number): string {
  const d = new Date(wall);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + 1;
  const day = d.getUTCDate();
  return `${y < 1000 ? String(y).padStart(4, '0') : y}-${m < 10 ? '0' : ''}${m}-${day < 10 ? '0' : ''}${day}`;
}
