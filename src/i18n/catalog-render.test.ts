// Renders every message of both catalogues with each placeholder set to 0, 1 and 2
// (a sample text for the non-plural ones): what a reader sees must read right.
import fs from 'node:fs';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { compile } from './compile.ts';
import { catalogs, compiled, elide, pluralTexts, translator, type Locale, type PluralForms } from './index.ts';
import '../messages.ts';

const LOCALE_LIST = ['fr', 'en'] as const;
// Names starting with a vowel or an h: the values that need French elision.
const SAMPLES = ['Émilie', 'Hugo', 'élève'];

function compiledOrError(locale: Locale, key: string) {
  try {
    return compile(catalogs[locale][key]!, locale);
  } catch (error) {
    return `${locale} ${key}: ${(error as Error).message}`;
  }
}

/** The message of `key` rendered with every plural argument at n and the others at a sample. */
function renders(locale: Locale, key: string): { n: number; text: string }[] {
  const c = compiled(locale, key)!;
  return [0, 1, 2].map((n) => {
    const params: Record<string, string | number> = {};
    for (const arg of c.args) params[arg] = c.pluralArgs.has(arg) ? n : SAMPLES[n]!;
    return { n, text: translator(locale)(key, params) };
  });
}

const keys = Object.keys(catalogs.fr);
// French "de", "le", "la", "que" before a vowel or an h, as whole words ("-la" is a pronoun: "annulez-la avant").
const UNELIDED = /(?<![\p{L}-])(de|le|la|que)\s+(?=[aeiouyàâäéèêëîïôöùûüÿæœh])/giu;
// Words French writes with an h aspiré (no elision): "le haut", "la hauteur", "le héros".
const H_ASPIRE = /^(haut|hauteur|hors|héros|hasard|hâte|hibou|housse|hockey)\b/iu;

describe('every catalogue message', () => {
  it('compiles as ICU MessageFormat in both languages', () => {
    const errors = LOCALE_LIST.flatMap((l) => Object.keys(catalogs[l]).map((k) => compiledOrError(l, k)).filter((c) => typeof c === 'string'));
    expect(errors).toEqual([]);
  });

  it('has the same keys, and the same placeholder names per key, in French and English', () => {
    expect(keys.length).toBeGreaterThan(500);
    expect(Object.keys(catalogs.en).filter((k) => !(k in catalogs.fr))).toEqual([]);
    expect(keys.filter((k) => !(k in catalogs.en))).toEqual([]);
    const names = (l: Locale, k: string) => [...compiled(l, k)!.args].sort().join(',');
    const mismatched = keys.filter((k) => names('fr', k) !== names('en', k)).map((k) => `${k}: fr {${names('fr', k)}} en {${names('en', k)}}`);
    expect(mismatched).toEqual([]);
  });

  it('writes plurals as ICU, not as .one/.other keys or "(s)"', () => {
    const families = keys.filter((k) => /\.(zero|one|two|few|many)$/.test(k));
    expect(families, 'x.one / x.other: write {count, plural, one {…} other {…}}').toEqual([]);
    for (const locale of LOCALE_LIST) {
      const bad = Object.keys(catalogs[locale]).flatMap((k) => renders(locale, k).filter((r) => /\((s|e|es)\)/.test(r.text)).map((r) => `${locale} ${k}: ${r.text}`));
      expect(bad, 'plural or feminine marker in parentheses').toEqual([]);
    }
  });

  it('keeps no apostrophe where ICU reads it as quoting, and fills every placeholder', () => {
    for (const locale of LOCALE_LIST) {
      const quoting = Object.entries(catalogs[locale]).filter(([, v]) => /(?<!')'[{}#|]/.test(v)).map(([k, v]) => `${locale} ${k}: ${v}`);
      expect(quoting, `an apostrophe before { } # starts ICU quoting: write « {x} », "{x}" or ''{x}''`).toEqual([]);
      const unfilled = Object.keys(catalogs[locale]).flatMap((k) => renders(locale, k).filter((r) => /[{}]/.test(r.text)).map((r) => `${locale} ${k}: ${r.text}`));
      expect(unfilled).toEqual([]);
    }
  });

  it('prints the count it is given: no "1" for none, the number for two', () => {
    for (const locale of LOCALE_LIST) {
      const wrong = Object.keys(catalogs[locale]).flatMap((k) => {
        if (!compiled(locale, k)!.pluralArgs.size) return [];
        const [zero, , two] = renders(locale, k);
        const problems: string[] = [];
        if (/(?<![\d,.])1(?![\d,.])/.test(zero!.text) && !/(?<![\d,.])1(?![\d,.])/.test(catalogs[locale][k]!)) problems.push(`${locale} ${k} at 0: ${zero!.text}`);
        if (!/(?<![\d,.])2(?![\d,.])/.test(two!.text)) problems.push(`${locale} ${k} at 2: ${two!.text}`);
        return problems;
      });
      expect(wrong).toEqual([]);
    }
  });

  it('elides French "de", "le", "la", "que" before a vowel, whatever is filled in', () => {
    const unelided = keys.flatMap((k) =>
      renders('fr', k).flatMap((r) =>
        [...r.text.matchAll(UNELIDED)].filter((m) => !H_ASPIRE.test(r.text.slice(m.index + m[0].length))).map((m) => `${k}: …${r.text.slice(Math.max(0, m.index - 20), m.index + 20)}…`),
      ),
    );
    expect(unelided).toEqual([]);
  });
});

describe('the translator', () => {
  it('gives French an empty-state text at 0 and the number otherwise', () => {
    const fr = translator('fr');
    expect(fr('skills.resultCount', { count: 0 })).toBe('Aucune compétence');
    expect(fr('skills.resultCount', { count: 1 })).toBe('1 compétence');
    expect(fr('skills.resultCount', { count: 1500 }).replace(/\u202f/g, ' ')).toBe('1 500 compétences');
    expect(translator('en')('skills.resultCount', { count: 0 })).toBe('No skills');
    expect(fr('notifications.bellLabel', { count: 0 })).toBe('Notifications : aucune non lue');
    expect(fr('dashboard.dialog.approve', { count: 3 })).toBe('Accepter 3 demandes');
    expect(fr('dashboard.done', { ok: 3, total: 3 })).toBe('3 sur 3 effectuées.');
  });

  it('elides before a French placeholder from its value', () => {
    expect(translator('fr')('users.aboutName', { name: 'Émilie' })).toBe('À propos d’Émilie');
    expect(translator('fr')('users.aboutName', { name: 'Paul' })).toBe('À propos de Paul');
    expect(translator('fr')('bookings.cancelledBecause', { who: 'élève', reason: 'malade' })).toBe('Annulée par l’élève : malade');
    expect(translator('en')('users.aboutName', { name: 'Émilie' })).toBe('About Émilie');
    expect(elide('De', 'Hugo')).toBe('D’Hugo');
    expect(elide('que', ' Awa')).toBe('qu’Awa');
    expect(elide('la', 'Rust')).toBe('la Rust');
  });
});

describe('count texts for browser scripts', () => {
  // The grid's own picker (public/js/grid-support.js), run as the browser runs it.
  const sandbox = { window: {} as { lbcGrid?: { pluralText(text: PluralForms, values: Record<string, number>): string } } };
  vm.runInNewContext(fs.readFileSync(new URL('../../public/js/grid-support.js', import.meta.url), 'utf8'), sandbox);
  const pick = (locale: Locale, key: string, values: Record<string, number>) => sandbox.window.lbcGrid!.pluralText(pluralTexts(locale, key), values);

  it('picks the form of each number as the server would write it', () => {
    for (const [locale, key, values] of [
      ['fr', 'dashboard.selected', { count: 0 }], ['fr', 'dashboard.selected', { count: 1 }], ['fr', 'dashboard.selected', { count: 7 }],
      ['fr', 'dashboard.dialog.approve', { count: 1 }], ['fr', 'dashboard.dialog.reject', { count: 3 }], ['en', 'dashboard.dialog.approve', { count: 1 }],
      ['en', 'dashboard.dialog.approve', { count: 12 }], ['fr', 'dashboard.done', { ok: 2, total: 3 }], ['en', 'dashboard.done', { ok: 1, total: 1 }],
      ['fr', 'dashboard.dialog.cancel', { count: 1 }],
    ] as const) {
      expect(pick(locale, key, values), `${locale} ${key} ${JSON.stringify(values)}`).toBe(translator(locale)(key, values));
    }
    expect(pick('fr', 'dashboard.dialog.approve', { count: 3 })).toBe('Accepter 3 demandes');
    expect(pick('fr', 'dashboard.done', { ok: 1, total: 2 })).toBe('1 sur 2 effectuée.');
    expect(pick('fr', 'dashboard.selected', { count: 0 })).toBe('Aucune sélectionnée');
  });
});
