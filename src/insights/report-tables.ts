// Every table of the insights pages, built once from the report: the page formats these
// cells for people and the CSV export writes the same cells plainly, so the two always carry
// the same numbers (rounded the same way).
import type { Formatters } from '../i18n/format.ts';
import type { Locale, Translate } from '../i18n/index.ts';
import { minorToDecimal } from '../lib/money.ts';
import type { MonthTotal } from '../payments/earnings-service.ts';
import { averageMinutes, qualityRates, rate, stepRates, type DayPoint, type FunnelCounts, type InsightsReport, type TopRow } from './model.ts';

export type Cell =
  | { kind: 'text'; value: string }
  | { kind: 'day' | 'month'; value: string }
  | { kind: 'count' | 'percent' | 'rating' | 'minutes'; value: number | null }
  | { kind: 'money'; value: number; currency: string };

export interface DataTable {
  id: string;
  title: string;
  columns: string[];
  rows: Cell[][];
}

const text = (value: string): Cell => ({ kind: 'text', value });
const day = (value: string): Cell => ({ kind: 'day', value });
const count = (value: number): Cell => ({ kind: 'count', value });
const percent = (value: number | null): Cell => ({ kind: 'percent', value });
const rating = (value: number | null): Cell => ({ kind: 'rating', value });
const minutes = (value: number | null): Cell => ({ kind: 'minutes', value });

/** One decimal, as fmt.number shows it: the page and the CSV round alike. */
export const oneDecimal = (v: number) => Math.round(v * 10) / 10;
export const asPercent = (share: number) => oneDecimal(share * 100);

/** The cell as the table shows it. */
export function showCell(cell: Cell, fmt: Formatters, t: Translate, locale: Locale): string {
  switch (cell.kind) {
    case 'text': return cell.value;
    case 'day': return fmt.dayDate(cell.value);
    case 'month': return monthName(cell.value, locale);
    case 'money': return fmt.money(cell.value, cell.currency);
    default:
      if (cell.value === null) return '—';
      if (cell.kind === 'percent') return t('insights.percent', { value: fmt.number(asPercent(cell.value)) });
      return fmt.number(oneDecimal(cell.value));
  }
}

/** The cell as the CSV writes it: numbers plain (dot decimals, no grouping), dates ISO. */
export function plainCell(cell: Cell): string {
  switch (cell.kind) {
    case 'text': case 'day': case 'month': return cell.value;
    case 'money': return minorToDecimal(cell.value);
    default:
      if (cell.value === null) return '';
      return String(cell.kind === 'percent' ? asPercent(cell.value) : oneDecimal(cell.value));
  }
}

export function monthName(month: string, locale: Locale): string {
  const [y, m] = month.split('-').map(Number);
  // Formatted in UTC: a month string has no zone, and the viewer's could shift it a day.
  return new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' })
    .format(new Date(Date.UTC(y ?? 2000, (m ?? 1) - 1, 1)));
}

export const FUNNEL_STEPS = ['views', 'modalOpened', 'detailsReached', 'summaryReached', 'requested', 'confirmed', 'completed'] as const;

/** Monday ('YYYY-MM-DD') of the week a day belongs to. */
export function mondayOf(dayString: string): string {
  const date = new Date(`${dayString}T00:00:00Z`);
  const back = (date.getUTCDay() + 6) % 7;
  return new Date(date.getTime() - back * 86_400_000).toISOString().slice(0, 10);
}

/** Reviews and their average per week, from the days (the report has no weekly ratings). */
export function weeklyRatings(daily: DayPoint[]): { week: string; reviews: number; averageRating: number | null }[] {
  const weeks = new Map<string, { reviews: number; ratingSum: number }>();
  for (const d of daily) {
    const w = weeks.get(mondayOf(d.day)) ?? { reviews: 0, ratingSum: 0 };
    w.reviews += d.reviews;
    w.ratingSum += d.ratingSum;
    weeks.set(mondayOf(d.day), w);
  }
  return [...weeks].map(([week, w]) => ({ week, reviews: w.reviews, averageRating: w.reviews > 0 ? w.ratingSum / w.reviews : null }));
}

export interface TableContext {
  t: Translate;
  report: InsightsReport;
  earnings: MonthTotal[];
}

function funnelTable({ t, report }: TableContext): DataTable {
  const f: FunnelCounts = report.funnel.current;
  const steps = stepRates(f);
  return {
    id: 'funnel', title: t('insights.funnel.title'),
    columns: [t('insights.col.step'), t('insights.col.count'), t('insights.col.stepRate'), t('insights.col.ofViews')],
    rows: FUNNEL_STEPS.map((step) => [
      text(t(`insights.funnel.${step}`)), count(f[step]), percent(step === 'views' ? null : steps[step]), percent(step === 'views' ? null : rate(f[step], f.views)),
    ]),
  };
}

function qualityTable({ t, report }: TableContext): DataTable {
  const now = qualityRates(report.quality.current);
  const before = qualityRates(report.quality.previous);
  const row = (key: keyof typeof now, make: (v: number | null) => Cell) => [text(t(`insights.quality.${key}`)), make(now[key]), make(before[key])];
  return {
    id: 'quality', title: t('insights.quality.title'),
    columns: [t('insights.col.measure'), t('insights.col.current'), t('insights.col.previous')],
    rows: [row('cancelledByStudent', percent), row('cancelledByMentor', percent), row('lateCancelled', percent), row('noShow', percent), row('averageRating', rating)],
  };
}

function dailyTable({ t, report }: TableContext): DataTable {
  return {
    id: 'daily', title: t('insights.daily.title'),
    columns: ['day', 'views', 'requested', 'sessions', 'minutes', 'cancelled', 'noShows', 'reviews', 'averageRating'].map((c) => t(`insights.col.${c}`)),
    rows: report.daily.map((d) => [day(d.day), count(d.views), count(d.requested), count(d.sessions), count(d.minutes), count(d.cancelled), count(d.noShows), count(d.reviews), rating(d.reviews > 0 ? d.ratingSum / d.reviews : null)]),
  };
}

function periodTable({ t, report }: TableContext, kind: 'weekly' | 'monthly'): DataTable {
  return {
    id: kind, title: t(`insights.${kind}.title`),
    columns: [t(kind === 'weekly' ? 'insights.col.week' : 'insights.col.month'), t('insights.col.sessions'), t('insights.col.minutes'), t('insights.col.averageMinutes')],
    rows: report.usage[kind].map((p) => [kind === 'weekly' ? day(p.period) : { kind: 'month', value: p.period }, count(p.sessions), count(p.minutes), minutes(averageMinutes(p))]),
  };
}

function ratingsTable({ t, report }: TableContext): DataTable {
  return {
    id: 'ratings', title: t('insights.ratings.title'),
    columns: [t('insights.col.week'), t('insights.col.reviews'), t('insights.col.averageRating')],
    rows: weeklyRatings(report.daily).map((w) => [day(w.week), count(w.reviews), rating(w.averageRating)]),
  };
}

export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;
export const HOURS = Array.from({ length: 24 }, (_, h) => h);

function heatmapTable({ t, report }: TableContext): DataTable {
  const at = new Map(report.heatmap.map((c) => [`${c.weekday}:${c.hour}`, c.sessions]));
  return {
    id: 'heatmap', title: t('insights.heatmap.title'),
    columns: [t('insights.col.weekday'), ...HOURS.map((h) => t('insights.heatmap.hour', { hour: h }))],
    rows: WEEKDAYS.map((w) => [text(t(`insights.weekday.${w}`)), ...HOURS.map((h) => count(at.get(`${w}:${h}`) ?? 0))]),
  };
}

function earningsTable({ t, earnings }: TableContext): DataTable {
  const money = (value: number, currency: string): Cell => ({ kind: 'money', value, currency });
  return {
    id: 'earnings', title: t('insights.earnings.title'),
    columns: [t('insights.col.month'), t('insights.col.gross'), t('insights.col.refunds'), t('insights.col.fee'), t('insights.col.net')],
    rows: earnings.map((m) => [{ kind: 'month', value: m.month }, money(m.gross, m.currency), money(m.refunds, m.currency), money(m.fee, m.currency), money(m.net, m.currency)]),
  };
}

function topTable(t: Translate, id: string, rows: TopRow[]): DataTable {
  return {
    id, title: t(`insights.top.${id}`),
    columns: [t(id.startsWith('mentors') ? 'insights.col.mentor' : 'insights.col.skill'), t('insights.col.requested'), t('insights.col.completed'), t('insights.col.reviews'), t('insights.col.averageRating')],
    rows: rows.map((r) => [text(r.name), count(r.requested), count(r.completed), count(r.reviews), rating(r.averageRating)]),
  };
}

function weeksTable({ t, report }: TableContext): DataTable {
  return {
    id: 'newcomers', title: t('insights.newcomers.title'),
    columns: ['week', 'students', 'mentors', 'enrollments', 'courseReviews'].map((c) => t(`insights.col.${c}`)),
    rows: (report.platform?.weeks ?? []).map((w) => [day(w.week), count(w.students), count(w.mentors), count(w.enrollments), count(w.courseReviews)]),
  };
}

/** The tables of the page, in page order (the admin's extras only on the platform's report). */
export function reportTables(ctx: TableContext): Map<string, DataTable> {
  const p = ctx.report.platform;
  const list = [
    funnelTable(ctx), dailyTable(ctx), periodTable(ctx, 'weekly'), periodTable(ctx, 'monthly'), qualityTable(ctx), ratingsTable(ctx), heatmapTable(ctx),
    ...(ctx.earnings.length ? [earningsTable(ctx)] : []),
    ...(p ? [
      topTable(ctx.t, 'mentorsByRequests', p.topMentors.byRequests), topTable(ctx.t, 'mentorsByCompleted', p.topMentors.byCompleted), topTable(ctx.t, 'mentorsByRating', p.topMentors.byRating),
      topTable(ctx.t, 'skillsByRequests', p.topSkills.byRequests), topTable(ctx.t, 'skillsByCompleted', p.topSkills.byCompleted), topTable(ctx.t, 'skillsByRating', p.topSkills.byRating),
      weeksTable(ctx),
    ] : []),
  ];
  return new Map(list.map((table) => [table.id, table]));
}
