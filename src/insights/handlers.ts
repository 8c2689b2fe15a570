// The insights pages: a mentor's own figures and the platform's (admin), the CSV of each
// table and the definitions. The scope comes from the signed-in user, never from the URL.
import type { Request, RequestHandler, Response } from 'express';
import type { Deps } from '../composition.ts';
import type { Formatters } from '../i18n/format.ts';
import type { Locale, Translate } from '../i18n/index.ts';
import { csvLine } from '../lib/csv.ts';
import { NotFoundError } from '../lib/errors.ts';
import { currentUser } from '../lib/guards.ts';
import { render } from '../lib/render.ts';
import { reportCharts } from './charts.ts';
import { definitionEntries } from './definitions.ts';
import { keyFigures } from './key-figures.ts';
import { FUNNEL_STEPS, HOURS, plainCell, reportTables, showCell, WEEKDAYS } from './report-tables.ts';
import { DEFAULT_DAYS, PERIODS, pickRange, rangeQuery, todayIn } from './schemas.ts';
import { MIN_RATINGS_TO_RANK, type InsightScope } from './model.ts';

type Kind = 'mentor' | 'platform';

export function insightsHandlers(deps: Deps) {
  const { insights, earnings } = deps.services;

  async function load(req: Request, res: Response, kind: Kind) {
    const t = res.locals.t as Translate;
    const fmt = res.locals.fmt as Formatters;
    const user = currentUser(req);
    const scope: InsightScope = kind === 'mentor' ? { kind: 'mentor', mentorId: user.id } : { kind: 'platform' };
    const picked = pickRange(req.query as Record<string, unknown>, todayIn(deps.clock.now(), fmt.timeZone), fmt.timeZone, t);
    const [report, months] = await Promise.all([
      insights.report(scope, picked.range),
      kind === 'mentor' ? earnings.months(user.id, fmt.timeZone) : Promise.resolve([]),
    ]);
    // Earnings are kept per month: the months the range touches.
    const [firstMonth, lastMonth] = [picked.range.from.slice(0, 7), picked.range.to.slice(0, 7)];
    const inRange = months.filter((m) => m.month >= firstMonth && m.month <= lastMonth).reverse();
    return { t, fmt, picked, report, tables: reportTables({ t, report, earnings: inRange }) };
  }

  const page = (kind: Kind): RequestHandler => async (req, res) => {
    const { t, fmt, picked, report, tables } = await load(req, res, kind);
    const base = kind === 'mentor' ? '/insights' : '/admin/insights';
    const locale = res.locals.locale as Locale;
    const heat = report.heatmap.reduce((max, c) => Math.max(max, c.sessions), 0);
    render(req, res, 'insights/index', {
      title: t(`insights.title.${kind}`),
      kind, base, picked, report, tables, periods: PERIODS, defaultDays: DEFAULT_DAYS,
      errors: picked.errors,
      figures: keyFigures(report, fmt, t),
      charts: reportCharts(report, fmt, t),
      funnelSteps: FUNNEL_STEPS, weekdays: WEEKDAYS, hours: HOURS, minRatings: MIN_RATINGS_TO_RANK,
      /** Heat levels 0–4: a share of the busiest cell, so the shading fits any volume. */
      heatLevel: (n: number) => (n === 0 || heat === 0 ? 0 : Math.min(4, Math.ceil((n / heat) * 4))),
      cell: (c: Parameters<typeof showCell>[0]) => showCell(c, fmt, t, locale),
      csvHref: (id: string) => `${base}/${id}.csv?${rangeQuery(picked)}`,
    }, { status: Object.keys(picked.errors).length ? 422 : 200 });
  };

  const csv = (kind: Kind): RequestHandler => async (req, res) => {
    const { picked, tables } = await load(req, res, kind);
    const table = tables.get(String(req.params.table));
    if (!table) throw new NotFoundError();
    let body = '\uFEFF' + csvLine(table.columns);
    for (const row of table.rows) body += csvLine(row.map(plainCell));
    const name = `insights-${kind === 'mentor' ? 'mine' : 'platform'}-${table.id}-${picked.range.from}-${picked.range.to}.csv`;
    res.set({ 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${name}"`, 'Cache-Control': 'private, no-store' });
    res.send(body);
  };

  const definitions: RequestHandler = (req, res) => {
    const t = res.locals.t as Translate;
    render(req, res, 'insights/definitions', { title: t('insights.definitions.title'), entries: definitionEntries(t), back: req.user?.role === 'admin' ? '/admin/insights' : '/insights' });
  };

  return { mentorPage: page('mentor'), adminPage: page('platform'), mentorCsv: csv('mentor'), adminCsv: csv('platform'), definitions };
}
