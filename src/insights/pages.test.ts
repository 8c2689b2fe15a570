import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FixedClock } from '../lib/clock.ts';
import { PROJECT_ROOT } from '../lib/project-root.ts';
import { createTestApp } from '../../test/helpers/app.ts';
import { insertBooking } from '../../test/helpers/insights.ts';
import { seedInsightsWeek } from '../../test/helpers/insights-scenario.ts';
import { mentorWithSkill } from '../../test/helpers/marketplace.ts';

// Noon in Paris on Wednesday 2 December 2026: "last 7 days" is 26 Nov – 2 Dec there.
const clock = new FixedClock(new Date('2026-12-02T11:00:00Z'));
const t = await createTestApp({ overrides: { clock } });
await seedInsightsWeek(t, 'mentor:ins.pages.alice', clock.now().getTime());

/** The text of each cell of the table with this id: [row][column], headers included. */
function tableCells(html: string, id: string): string[][] {
  const table = new RegExp(`<table[^>]*id="table-${id}"[\\s\\S]*?</table>`).exec(html)?.[0];
  if (!table) throw new Error(`no table ${id}`);
  return [...table.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) => [...row[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)]
    .map((cell) => cell[1]!.replace(/<svg[\s\S]*?<\/svg>/g, '').replace(/<[^>]+>/g, '').replace(/&#39;/g, '\'').trim()));
}

const fieldError = (html: string, field: string) => new RegExp(`id="range-${field}-error">([^<]*)<`).exec(html)?.[1];

describe('insights pages: who may see them', () => {
  it('sends visitors to log in and refuses students and other roles', async () => {
    expect((await t.agent().get('/insights')).headers.location).toBe('/login?next=%2Finsights');
    expect((await t.agent().get('/admin/insights')).headers.location).toBe('/login?next=%2Fadmin%2Finsights');
    expect((await t.agent().get('/insights/daily.csv')).status).toBe(303);
    const student = await t.signIn('student:ins.pages.student');
    expect((await student.get('/insights')).status).toBe(403);
    expect((await student.get('/admin/insights')).status).toBe(403);
    expect((await student.get('/insights/definitions')).status).toBe(403);
    const mentor = await t.signIn('mentor:ins.pages.guard');
    expect((await mentor.get('/admin/insights')).status).toBe(403);
    expect((await mentor.get('/admin/insights/mentorsByRequests.csv')).status).toBe(403);
    const admin = await t.signInAdmin();
    // The admin's figures are the platform's: /insights is a mentor's own page.
    expect((await admin.get('/insights')).status).toBe(403);
    expect((await admin.get('/admin/insights')).status).toBe(200);
  });

  it('links the pages from the mentor dashboard, the admin page and the header', async () => {
    const mentor = await t.signIn('mentor:ins.pages.nav');
    const dashboard = (await mentor.get('/dashboard')).text;
    expect(dashboard).toMatch(/class="shortcuts"[\s\S]*href="\/insights"/);
    expect(dashboard).toMatch(/class="site-menu__link" href="\/insights"/);
    const admin = await t.signInAdmin();
    expect((await admin.get('/admin')).text).toContain('href="/admin/insights"');
  });
});

describe('insights pages: the range picker', () => {
  it('shows the last 30 days by default and a preset ending today in the viewer\'s zone', async () => {
    const mentor = await t.signIn('mentor:ins.pages.range', { timezone: 'Pacific/Auckland' });
    const byDefault = await mentor.get('/insights');
    expect(byDefault.status).toBe(200);
    // 11:00 UTC is already 00:00 on 3 December in Auckland (UTC+13).
    expect(byDefault.text).toContain('From Wed, 4 Nov 2026 to Thu, 3 Dec 2026 (30 days)');
    const week = await mentor.get('/insights?period=7');
    expect(week.text).toContain('From Fri, 27 Nov 2026 to Thu, 3 Dec 2026 (7 days)');
    const custom = await mentor.get('/insights?period=custom&from=2026-02-01&to=2026-02-28');
    expect(custom.text).toContain('From Sun, 1 Feb 2026 to Sat, 28 Feb 2026 (28 days)');
  });

  it('refuses bad ranges beside their fields and shows the default range instead, never an error page', async () => {
    const mentor = await t.signIn('mentor:ins.pages.badrange');
    const cases: [string, string, string][] = [
      ['period=custom&from=2026-02-30&to=2026-03-01', 'from', 'Enter a real date, as YYYY-MM-DD.'],
      ['period=custom&from=2026-03-10&to=2026-03-01', 'to', 'The end date must be on or after the start date.'],
      ['period=custom&from=2024-01-01&to=2026-01-01', 'to', 'A period is at most 366 days long.'],
      ['period=custom&from=&to=2026-01-01', 'from', 'Enter a date for a custom period.'],
      ['period=45', 'period', 'Choose one of the periods of the list.'],
      ['period=custom&from=1999-12-31&to=2000-01-01', 'from', 'Enter a real date, as YYYY-MM-DD.'],
      ['period=custom&from[]=x&to=2026-01-01', 'from', 'Enter a date for a custom period.'],
    ];
    for (const [query, field, message] of cases) {
      const res = await mentor.get(`/insights?${query}`);
      expect(res.status, query).toBe(422);
      expect(fieldError(res.text, field), query).toBe(message);
      expect(res.text, query).toMatch(/aria-invalid="?true/);
      expect(res.text, query).toContain('From Tue, 3 Nov 2026 to Wed, 2 Dec 2026 (30 days)');
    }
    // A leap year's 366 days are one range.
    const leap = await mentor.get('/insights?period=custom&from=2024-01-01&to=2024-12-31');
    expect(leap.status).toBe(200);
    expect(leap.text).toContain('(366 days)');
  });

  it('keeps what was typed in the form when it refuses it', async () => {
    const mentor = await t.signIn('mentor:ins.pages.badrange');
    const res = await mentor.get('/insights?period=custom&from=2026-13-01&to=2026-12-01');
    expect(res.text).toMatch(/id="range-from" name="from" type="date" value="2026-13-01"/);
    expect(res.text).toMatch(/<option value="custom" selected>/);
  });
});

describe('insights definitions', () => {
  it('has an entry, in both languages, for every figure that docs/metrics.md defines', async () => {
    const doc = fs.readFileSync(path.join(PROJECT_ROOT, 'docs/metrics.md'), 'utf8');
    const keys = [...doc.matchAll(/^### .*\(`([A-Za-z]+)`\)$/gm)].map((m) => m[1]!);
    expect(keys.length).toBeGreaterThan(20);
    const mentor = await t.signIn('mentor:ins.pages.defs');
    const en = (await mentor.get('/insights/definitions')).text;
    const fr = (await (await t.signIn('mentor:ins.pages.defs.fr', { locale: 'fr' })).get('/insights/definitions')).text;
    for (const key of keys) {
      for (const [lang, html] of [['en', en], ['fr', fr]] as const) {
        const entry = new RegExp(`id="def-${key}">\\s*<dt>([^<]+)</dt>\\s*<dd>([^<]+)</dd>`).exec(html);
        expect(entry, `${key} (${lang})`).not.toBeNull();
        expect(entry![2]!.length, `${key} (${lang})`).toBeGreaterThan(20);
      }
    }
    // And nothing on the page that the document does not define.
    expect([...en.matchAll(/id="def-([A-Za-z]+)"/g)].map((m) => m[1]).sort()).toEqual([...keys].sort());
    const page = (await mentor.get('/insights')).text;
    expect(page).toContain('href="/insights/definitions"');
  });
});

/** A page cell as the CSV writes it: no unit, no grouping, "—" empty. */
const plain = (cell: string) => cell.replace(/\s?%$/, '').replace(/—/g, '').replace(/,(?=\d{3})/g, '');

function csvRows(text: string): string[][] {
  return text.replace(/^\uFEFF/, '').trim().split('\r\n').map((line) => line.split(','));
}

describe('insights pages: the figures of a seeded week', () => {
  it('shows a mentor the funnel, the step conversions and the quality rates, exact, in the page itself (no script needed)', async () => {
    const res = await (await t.signIn('mentor:ins.pages.alice')).get('/insights?period=7');
    expect(res.status).toBe(200);
    expect(tableCells(res.text, 'funnel')).toEqual([
      ['Step', 'Count', 'Of the step before', 'Of the views', 'Share of the views'],
      ['Page views', '10', '—', '—', ''],
      ['Booking window opened', '4', '40 %', '40 %', ''],
      ['Details step reached', '3', '75 %', '30 %', ''],
      ['Summary step reached', '3', '100 %', '30 %', ''],
      ['Requested', '3', '100 %', '30 %', ''],
      ['Confirmed', '2', '66.7 %', '20 %', ''],
      ['Completed', '1', '50 %', '10 %', ''],
    ]);
    // The bars are SVG rects sized by attribute (the CSP forbids style attributes).
    expect(res.text).toContain('<rect class="insights-bar__fill" width="40" height="12"/>');
    expect(tableCells(res.text, 'quality').slice(1)).toEqual([
      ['Cancelled by the student', '33.3 %', '—'],
      ['Cancelled by the mentor', '0 %', '—'],
      ['Cancelled late (24 h or less before)', '33.3 %', '—'],
      ['No-shows', '0 %', '—'],
      ['Average rating (out of 5)', '4', '—'],
    ]);
    const figure = (key: string) => new RegExp(`data-figure="${key}">[\\s\\S]*?stat__value">([^<]*)<[\\s\\S]*?</span> ([^<]*)</span>`).exec(res.text)?.slice(1);
    expect(figure('views')).toEqual(['10', 'up from none in the previous 7 days']);
    expect(figure('visitors')?.[0]).toBe('8');
    expect(figure('sessions')?.[0]).toBe('1');
    expect(figure('averageMinutes')?.[0]).toBe('60');
    // Sunday 29 November, 14:00 in Paris: the held session's cell, its number printed and shaded.
    const sunday = tableCells(res.text, 'heatmap').find((row) => row[0] === 'Sunday')!;
    expect(sunday[15]).toBe('1');
    expect(res.text).toMatch(/<th scope="row">Sunday<\/th>(<td class="heat heat--0">0<\/td>){14}<td class="heat heat--4">1<\/td>/);
    const daily = tableCells(res.text, 'daily');
    expect(daily.map((r) => r[0])).toEqual(['Day', 'Thu, 26 Nov 2026', 'Fri, 27 Nov 2026', 'Sat, 28 Nov 2026', 'Sun, 29 Nov 2026', 'Mon, 30 Nov 2026', 'Tue, 1 Dec 2026', 'Wed, 2 Dec 2026']);
    expect(daily.find((r) => r[0] === 'Fri, 27 Nov 2026')!.slice(1, 3)).toEqual(['0', '2']);
    expect(daily.find((r) => r[0] === 'Sun, 29 Nov 2026')!.slice(3, 5)).toEqual(['1', '60']);
    // The chart's data island carries the same days and values, escaped for a script element.
    const island = JSON.parse(/<script type="application\/json" id="chart-daily-data">([^<]*)<\/script>/.exec(res.text)![1]!) as { x: string[]; series: { values: number[] }[] };
    expect(island.x[0]).toBe('2026-11-26');
    expect(island.series[0]!.values).toEqual([0, 0, 0, 1, 0, 0, 0]);
    expect(res.text).toContain('1 session held and 3 requests from Thu, 26 Nov 2026 to Wed, 2 Dec 2026.');
    expect(res.text).toMatch(/Figures as of [^<]*2026/);
  });

  it('never shows a mentor another mentor\'s figures', async () => {
    const other = await (await t.signIn('mentor:ins.pages.alice-other')).get('/insights?period=7');
    const funnel = tableCells(other.text, 'funnel');
    expect(funnel[1]!.slice(0, 2)).toEqual(['Page views', '5']);
    expect(funnel[5]!.slice(0, 2)).toEqual(['Requested', '1']);
    expect(tableCells(other.text, 'quality')[5]!.slice(0, 2)).toEqual(['Average rating (out of 5)', '2']);
    const mine = (await (await t.signIn('mentor:ins.pages.alice')).get('/insights?period=7')).text;
    expect(mine).not.toContain('Someone else');
    expect(mine).not.toContain('mentorsByRequests');
  });

  it('shows the admin the whole platform with the top lists and the weekly newcomers', async () => {
    const res = await (await t.signInAdmin()).get('/admin/insights?period=7');
    expect(res.status).toBe(200);
    expect(tableCells(res.text, 'funnel')[1]!.slice(0, 2)).toEqual(['Page views', '15']);
    expect(tableCells(res.text, 'funnel')[7]!.slice(0, 2)).toEqual(['Completed', '2']);
    expect(tableCells(res.text, 'mentorsByRequests').slice(1).map((r) => r.slice(0, 3))).toEqual([['Ins.pages.alice Test', '3', '1'], ['Ins.pages.alice-other Test', '1', '1']]);
    expect(tableCells(res.text, 'skillsByCompleted').slice(1).map((r) => r[0]).sort()).toEqual(['Insightful clinic', 'Someone else\u2019s clinic']);
    // Nobody has the 3 reviews a rating rank needs.
    expect(res.text).toContain('Mentors by rating</strong> — Nothing in this period.');
    expect(res.text).toMatch(/<table[^>]*id="table-newcomers"/);
    expect(res.text).toContain('id="chart-newcomers-data"');
  });

  it('exports each table as CSV with the same numbers as the page, named after the range', async () => {
    const mentor = await t.signIn('mentor:ins.pages.alice');
    const page = (await mentor.get('/insights?period=7')).text;
    for (const id of ['funnel', 'quality', 'daily', 'weekly', 'monthly', 'ratings', 'heatmap']) {
      expect(page, id).toContain(`href="/insights/${id}.csv?period=7"`);
      const res = await mentor.get(`/insights/${id}.csv?period=7`);
      expect(res.status, id).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toBe(`attachment; filename="insights-mine-${id}-2026-11-26-2026-12-02.csv"`);
      const table = tableCells(page, id).map((row) => row.slice(0, id === 'funnel' ? 4 : undefined));
      const csv = csvRows(res.text);
      // The heatmap's hour headers are the bare hour on the page (its abbr says "14 h").
      expect(csv[0], id).toEqual(id === 'heatmap' ? table[0]!.map((h, i) => (i ? `${h} h` : h)) : table[0]);
      // Dates are ISO in the file (the first column of the day tables): the other cells are the page's numbers.
      const dated = ['daily', 'weekly', 'monthly', 'ratings'].includes(id);
      expect(csv.slice(1).map((r) => (dated ? r.slice(1) : r)), id).toEqual(table.slice(1).map((r) => (dated ? r.slice(1) : r).map(plain)));
    }
    const funnel = csvRows((await mentor.get('/insights/funnel.csv?period=7')).text);
    expect(funnel[6]).toEqual(['Confirmed', '2', '66.7', '20']);
    expect(csvRows((await mentor.get('/insights/daily.csv?period=7')).text)[1]![0]).toBe('2026-11-26');
    // A custom range names the file after its dates; an unknown table is a 404, never a 500.
    const custom = await mentor.get('/insights/funnel.csv?period=custom&from=2026-11-01&to=2026-11-30');
    expect(custom.headers['content-disposition']).toContain('insights-mine-funnel-2026-11-01-2026-11-30.csv');
    expect((await mentor.get('/insights/nothing.csv')).status).toBe(404);
    // A mentor cannot export the admin's tables, and the admin's CSV holds the platform.
    expect((await mentor.get('/insights/mentorsByRequests.csv?period=7')).status).toBe(404);
    const admin = await (await t.signInAdmin()).get('/admin/insights/mentorsByRequests.csv?period=7');
    expect(csvRows(admin.text).slice(1).map((r) => r.slice(1, 3))).toEqual([['3', '1'], ['1', '1']]);
  });

  it('keeps the cells of a CSV safe from spreadsheet formulas', async () => {
    const [m] = await t.deps.knex('users').where({ username: 'ins.pages.alice-other' }).update({ displayName: '=HYPERLINK("x")' }).returning('id');
    expect(m).toBeDefined();
    const admin = await (await t.signInAdmin()).get('/admin/insights/mentorsByRequests.csv?period=7');
    expect(admin.text).toContain('"\'=HYPERLINK(""x"")"');
  });
});

describe('insights pages: earnings', () => {
  it('shows a mentor with payments their earnings per month of the range, as the earnings page counts them, and none to others', async () => {
    const m = await mentorWithSkill(t, 'mentor:ins.pages.paid', { skill: { priceCents: 4000 } });
    const student = await t.user('student:ins.pages.payer');
    const paid = async (startsAt: string, amount: number, refunded = 0) => {
      const bookingId = await insertBooking(t, { ...m, studentId: student.id, createdAt: new Date(Date.parse(startsAt) - 5 * 86_400_000), startsAt: new Date(startsAt), status: 'completed' });
      await t.deps.knex('payments').insert({
        provider: 'simulated', purpose: 'booking', payerId: student.id, mentorId: m.mentorId, bookingId, amount, feeAmount: amount * 0.15, amountRefunded: refunded,
        currency: 'EUR', status: refunded ? 'partially_refunded' : 'captured', capturedAt: new Date(startsAt),
      });
    };
    await paid('2026-11-20T10:00:00Z', 4000, 1000);
    await paid('2026-11-24T10:00:00Z', 6000);
    await paid('2026-06-10T10:00:00Z', 4000); // outside the last 30 days
    const mentor = await t.signIn('mentor:ins.pages.paid');
    const res = await mentor.get('/insights');
    expect(tableCells(res.text, 'earnings')).toEqual([
      ['Month', 'Paid', 'Refunded', 'Platform fee', 'Net'],
      ['November 2026', '€100', '€10', '€13.50', '€76.50'],
    ]);
    const csv = csvRows((await mentor.get('/insights/earnings.csv')).text);
    expect(csv[1]).toEqual(['2026-11', '100.00', '10.00', '13.50', '76.50']);
    // The same figures as the earnings page, whose months are not cut by a range.
    const earningsPage = (await mentor.get('/earnings')).text;
    expect(earningsPage).toContain('€76.50');
    expect((await (await t.signIn('mentor:ins.pages.alice')).get('/insights')).text).not.toContain('id="table-earnings"');
  });
});
