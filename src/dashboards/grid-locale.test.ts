// Ag Grid's French texts (public/js/ag-grid-locale-fr.js), as a browser gets them: every
// key is one Ag Grid 36 knows (a misspelt key silently falls back to English), the texts
// the dashboards show are all there, placeholders are Ag Grid's "${variable}", and only
// French pages load the file, before the grid scripts.
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/helpers/app.ts';
import { asset } from '../../test/helpers/assets.ts';

const t = await createTestApp();

async function frenchLocale(): Promise<Record<string, unknown>> {
  const res = await t.agent().get('/js/ag-grid-locale-fr.js');
  expect(res.status).toBe(200);
  const window: { lbcGridLocales?: Record<string, Record<string, unknown>> } = {};
  vm.runInNewContext(res.text, { window });
  return window.lbcGridLocales?.fr ?? {};
}

/** Texts the bookings and users grids show or read out (selection, headers, filters, paging, overlays). */
const SHOWN = [
  'ariaRowToggleSelection', 'ariaRowSelectionDisabled', 'ariaRowSelect', 'ariaRowDeselect', 'ariaChecked', 'ariaUnchecked',
  'ariaSortableColumn', 'ariaFilterColumn', 'ariaMenuColumn', 'ariaColumnFiltered', 'ariaFilterMenuOpen', 'ariaLabelColumnFilter',
  'ariaFilterInput', 'ariaFilterValue', 'ariaFilteringOperator', 'ariaDateFilterInput', 'ariaLabelSelectField',
  'applyFilter', 'resetFilter', 'filterOoo', 'contains', 'notContains', 'equals', 'startsWith', 'greaterThan', 'lessThan', 'inRange',
  'andCondition', 'orCondition', 'dateFormatOoo', 'noRowsToShow', 'loadingOoo', 'ariaSkeletonCellLoading', 'loadingError',
  'page', 'of', 'to', 'more', 'firstPage', 'previousPage', 'nextPage', 'lastPage', 'pageSizeSelectorLabel', 'ariaPageSizeSelectorLabel',
];

describe('Ag Grid in French', () => {
  it('uses only keys of Ag Grid 36, covers what the grids show, with Ag Grid placeholders', async () => {
    const fr = await frenchLocale();
    const bundle = (await t.agent().get('/vendor/ag-grid/ag-grid-community.min.noStyle.js')).text;
    expect(bundle.length).toBeGreaterThan(100_000);
    const unknown = Object.keys(fr).filter((key) => !bundle.includes(`"${key}"`) && !new RegExp(`[{,]${key}:`).test(bundle));
    expect(unknown, 'keys Ag Grid 36 never asks for').toEqual([]);
    expect(SHOWN.filter((key) => !(key in fr)), 'texts left in English').toEqual([]);
    for (const [key, text] of Object.entries(fr)) {
      expect(typeof text === 'string' && text.length > 0, key).toBe(true);
      expect((text as string).replace(/\$\{variable\}/g, ''), `${key}: only \${variable} placeholders`).not.toMatch(/\$\{|\{\w+\}/);
    }
    expect(fr.ariaRowToggleSelection).toBe('Appuyez sur Espace pour cocher ou décocher la ligne');
    expect(fr.noRowsToShow).toBe('Aucune ligne à afficher');
  });

  it('is loaded by the French dashboards and users grid only, before the grid script', async () => {
    const french = await t.signIn('mentor:lucie', { locale: 'fr' });
    const english = await t.signIn('mentor:leo', { locale: 'en' });
    const page = (await french.get('/dashboard')).text;
    // The board runs the wide view's scripts in the order it lists them: the French texts before the grid.
    const config = /data-config="([^"]+)"/.exec(page)![1]!.replace(/&quot;/g, '"');
    expect((JSON.parse(config) as { gridScripts: string[] }).gridScripts).toEqual(['/js/ag-grid-locale-fr.js', '/vendor/ag-grid/ag-grid-community.min.noStyle.js', '/js/bookings-grid.js'].map((url) => asset(t, url)));
    expect((await english.get('/dashboard')).text).not.toContain('ag-grid-locale-fr');
    const admin = await t.signInAdmin();
    expect((await admin.get('/admin/users').set('Accept-Language', 'fr')).text).toMatch(/ag-grid-locale-fr\.\w+\.js[\s\S]*users-grid\.\w+\.js/);
    expect((await admin.get('/admin/users')).text).not.toContain('ag-grid-locale-fr');
  });
});
