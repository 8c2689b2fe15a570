// How the admin's top lists read a range: from the coarsest rows that fit inside it. The
// levels are per UTC calendar quarter, month, ISO week (Monday) and day (insight_top_quarterly,
// _monthly, _weekly, _daily, kept by the rollup from insight_hourly); the viewer's midnights are
// rarely UTC's, so the hours at each edge come from insight_hourly itself. Weeks do not nest in
// months: whole months first (whole quarters among them, the other months on either side),
// then on each side of them whole weeks, then days, then hours.

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const WEEK_MS = 7 * DAY_MS;
/** The epoch fell on a Thursday: the first Monday, 1970-01-05, is 4 days after it. */
const MONDAY_MS = 4 * DAY_MS;
const ceilTo = (ms: number, step: number, offset = 0) => Math.ceil((ms - offset) / step) * step + offset;
const floorTo = (ms: number, step: number, offset = 0) => Math.floor((ms - offset) / step) * step + offset;
const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * The first instant of the UTC period of `months` months (1: a month, 3: a quarter) holding
 * `ms`, or of the next one when `up` and `ms` is inside a period.
 */
function periodEdge(ms: number, up: boolean, months = 1): number {
  const d = new Date(ms);
  const month = d.getUTCMonth() - (d.getUTCMonth() % months);
  const first = Date.UTC(d.getUTCFullYear(), month, 1);
  return up && first < ms ? Date.UTC(d.getUTCFullYear(), month + months, 1) : first;
}

const monthsOf = (from: number, to: number, out: string[]) => {
  for (let m = from; m < to; m = periodEdge(m + 1, true)) out.push(utcDay(m));
};

/**
 * [start, end) cut into pieces that never overlap and together cover exactly its hours:
 * hour intervals at both edges, lists of whole UTC days, ISO weeks and months (their first
 * days), and one interval of whole UTC quarters. An empty piece is an empty list or from = to.
 */
export interface TopPieces {
  start: Date; hoursTo: Date; hoursFrom: Date; end: Date;
  days: string[]; weeks: string[]; months: string[]; quartersFrom: string; quartersTo: string;
}

export function topLevels(start: Date, end: Date): TopPieces {
  const s = start.getTime();
  const e = end.getTime();
  const dayFrom = ceilTo(s, DAY_MS);
  const dayTo = floorTo(e, DAY_MS);
  if (dayFrom >= dayTo) return { start, hoursTo: end, hoursFrom: end, end, days: [], weeks: [], months: [], quartersFrom: utcDay(e), quartersTo: utcDay(e) };
  const days: string[] = [];
  const weeks: string[] = [];
  // Whole weeks of [a, b), whole days on either side of them.
  const weeksAndDays = (a: number, b: number) => {
    let weekFrom = ceilTo(a, WEEK_MS, MONDAY_MS);
    let weekTo = floorTo(b, WEEK_MS, MONDAY_MS);
    if (weekFrom >= weekTo) weekFrom = weekTo = b;
    for (let d = a; d < weekFrom; d += DAY_MS) days.push(utcDay(d));
    for (let w = weekFrom; w < weekTo; w += WEEK_MS) weeks.push(utcDay(w));
    for (let d = weekTo; d < b; d += DAY_MS) days.push(utcDay(d));
  };
  let monthFrom = periodEdge(dayFrom, true);
  let monthTo = periodEdge(dayTo, false);
  if (monthFrom >= monthTo) monthFrom = monthTo = dayTo;
  weeksAndDays(dayFrom, monthFrom);
  weeksAndDays(monthTo, dayTo);
  // Whole quarters of the whole months, the other months on either side of them.
  let quarterFrom = periodEdge(monthFrom, true, 3);
  let quarterTo = periodEdge(monthTo, false, 3);
  if (quarterFrom >= quarterTo) quarterFrom = quarterTo = monthTo;
  const months: string[] = [];
  monthsOf(monthFrom, quarterFrom, months);
  monthsOf(quarterTo, monthTo, months);
  return {
    start, hoursTo: new Date(dayFrom), hoursFrom: new Date(dayTo), end, days, weeks, months,
    quartersFrom: utcDay(quarterFrom), quartersTo: utcDay(quarterTo),
  };
}
