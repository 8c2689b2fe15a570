// The dashboard pages. The grid enhances a server-rendered table that shows the same
// rows (25 per page, sortable by links, actions as forms), so the page works with
// JavaScript off and shows data before the grid script has loaded.
import type { Request, RequestHandler, Response } from 'express';
import type { Deps } from '../composition.ts';
import type { Formatters } from '../i18n/format.ts';
import { pluralTexts, type Locale, type Translate } from '../i18n/index.ts';
import { BOOKING_STATUSES } from '../bookings/model.ts';
import { BadRequestError } from '../lib/errors.ts';
import { currentUser } from '../lib/guards.ts';
import { render } from '../lib/render.ts';
import { gridTotal } from './grid-block.ts';
import { gridRowsQuery, parseGridRequest, ROLE_COLUMNS, toGridRow, type GridActor, type GridRecord, type GridRole } from './grid-query.ts';
import { mentorOverview, studentOverview } from './overview.ts';

// The cards' block size (public/js/booking-cards.js): the phone's server-rendered cards are
// then exactly the first block the script would fetch, so it adopts them as they are.
const PAGE_SIZE = 20;
const GRID_COLUMNS: Record<GridRole, string[]> = {
  mentor: ['studentName', 'skillTitle', 'startsAt', 'durationMinutes', 'price', 'status', 'createdAt', 'actions'],
  student: ['skillTitle', 'mentorName', 'startsAt', 'durationMinutes', 'status', 'actions'],
  admin: ['studentName', 'mentorName', 'skillTitle', 'startsAt', 'durationMinutes', 'price', 'status', 'createdAt', 'actions'],
};

/** The filters of the page's own form, as the grid API reads them. */
function filterParams(req: Request): Record<string, string> {
  const q = req.query as Record<string, unknown>;
  const out: Record<string, string> = {};
  const status = Array.isArray(q.status) ? q.status.join(',') : q.status;
  for (const [key, value] of Object.entries({ quickFilter: q.quickFilter, status, from: q.from, to: q.to })) {
    if (typeof value === 'string' && value !== '') out[key] = value;
  }
  return out;
}

export function dashboardPageHandlers(deps: Deps) {
  async function table(req: Request, res: Response, actor: GridActor, params: Record<string, string>) {
    const fmt = res.locals.fmt as Formatters;
    const sortable = ROLE_COLUMNS[actor.role] as readonly string[];
    const sort = typeof req.query.sort === 'string' && sortable.includes(req.query.sort) && req.query.sort !== 'meetingUrl' ? req.query.sort : undefined;
    const dir = req.query.dir === 'asc' ? 'asc' : 'desc';
    const page = Math.max(1, Math.min(10_000, Number(req.query.page) || 1));
    const grid = parseGridRequest(
      { ...params, startRow: String((page - 1) * PAGE_SIZE), endRow: String(page * PAGE_SIZE), ...(sort ? { sortModel: JSON.stringify([{ colId: sort, sort: dir }]) } : {}) },
      actor.role,
      { timeZone: fmt.timeZone },
    );
    const now = deps.clock.now();
    const [records, { count: total, estimated }] = await Promise.all([gridRowsQuery(deps.knex, actor, grid, now), gridTotal(deps.knex, actor, grid)]);
    const rows = (records as GridRecord[]).map((r) => toGridRow(r, actor, now));
    const t = res.locals.t as Translate;
    return {
      rows,
      /** Each row's texts, formatted once for the table and the cards (both show them). */
      shown: rows.map((r) => ({
        startsAt: fmt.dateTime(r.startsAt),
        price: fmt.money(r.priceCents, r.currency),
        duration: t('skills.minutesShort', { n: r.durationMinutes }),
      })),
      total, estimated, page, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)), sort, dir,
      /** The rows are the cards' first block (first page, the grid's default order). */
      adoptable: page === 1 && !sort && records.length > 0,
      columns: GRID_COLUMNS[actor.role].filter((c) => c !== 'createdAt'),
    };
  }

  async function overviewOf(actor: GridActor, now: Date, timeZone: string) {
    if (actor.role === 'mentor') return mentorOverview(deps.knex, actor.id, now, timeZone);
    if (actor.role === 'student') return studentOverview(deps.knex, actor.id, now);
    return {};
  }

  /** The figures alone (views/dashboards/_figures.eta), refreshed after each grid action. */
  const figures: RequestHandler = async (req, res) => {
    const user = currentUser(req);
    const actor: GridActor = { id: user.id, role: user.role };
    render(req, res, 'dashboards/_figures', { role: actor.role, overview: await overviewOf(actor, deps.clock.now(), (res.locals.fmt as Formatters).timeZone) });
  };

  const show: RequestHandler = async (req, res) => {
    const user = currentUser(req);
    const actor: GridActor = { id: user.id, role: user.role };
    const t = res.locals.t as Translate;
    const fmt = res.locals.fmt as Formatters;
    let params = filterParams(req);
    const now = deps.clock.now();
    // A filter typed wrong in the page's form (a bad date) shows as a message above
    // an unfiltered table rather than an error page.
    let filterError: string | undefined;
    try {
      parseGridRequest(params, actor.role, { timeZone: fmt.timeZone });
    } catch (error) {
      if (!(error instanceof BadRequestError)) throw error;
      filterError = t(error.messageKey, error.params);
      params = {};
    }
    // Independent reads: in flight together, the page waits for the slowest, not the sum.
    const [overview, starting, tableData] = await Promise.all([
      overviewOf(actor, now, fmt.timeZone),
      actor.role === 'admin' ? [] : deps.services.reminders.starting(actor.id),
      table(req, res, actor, params),
    ]);
    const query = new URLSearchParams(params).toString();
    render(req, res, 'dashboards/index', {
      title: t(`dashboard.title.${actor.role}`),
      role: actor.role,
      statuses: BOOKING_STATUSES,
      overview,
      starting,
      params,
      filterError,
      exportQuery: query ? `?${query}` : '',
      table: tableData,
      gridConfig: {
        role: actor.role,
        locale: res.locals.locale,
        timeZone: fmt.timeZone,
        columns: GRID_COLUMNS[actor.role],
        labels: gridLabels(t, res.locals.locale),
        gridScripts: gridScripts(res.locals.locale).map(res.locals.asset as (url: string) => string),
      },
    });
  };

  return { show, figures };
}

/**
 * What the wide view needs, in the order it runs: the board script loads these only
 * on a screen of 700 px or more, so a phone never downloads Ag Grid (~1 MB).
 */
function gridScripts(locale: Locale): string[] {
  return [...(locale === 'fr' ? ['/js/ag-grid-locale-fr.js'] : []), '/vendor/ag-grid/ag-grid-community.min.noStyle.js', '/js/bookings-grid.js'];
}

/** Everything the grid script shows, translated on the server. */
function gridLabels(t: Translate, locale: Locale) {
  return {
    gridLabel: t('dashboard.gridLabel'),
    status: Object.fromEntries(BOOKING_STATUSES.map((s) => [s, t(`bookings.status.${s}`)])),
    columns: Object.fromEntries(['studentName', 'mentorName', 'skillTitle', 'startsAt', 'durationMinutes', 'price', 'status', 'createdAt', 'actions'].map((c) => [c, t(`dashboard.column.${c}`)])),
    approve: t('bookings.approve'), deny: t('bookings.decline'), cancel: t('dashboard.cancel'), join: t('dashboard.join'), open: t('dashboard.open'),
    empty: t('dashboard.empty'), loadError: t('dashboard.loadError'), selected: pluralTexts(locale, 'dashboard.selected'),
    reasonRequired: t('bookings.reasonRequired'), done: pluralTexts(locale, 'dashboard.done'), select: t('dashboard.select'),
    dialog: { approve: pluralTexts(locale, 'dashboard.dialog.approve'), reject: pluralTexts(locale, 'dashboard.dialog.reject'), cancel: pluralTexts(locale, 'dashboard.dialog.cancel') },
    cards: { loadMore: t('dashboard.cards.loadMore'), shown: t('dashboard.cards.shown'), select: t('dashboard.cards.select') },
    // The script fills {count} with the number in the page's language.
    totalEstimated: t('dashboard.totalEstimated', { count: '{count}' }),
  };
}
