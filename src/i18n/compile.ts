// One catalog message compiled once with intl-messageformat (ICU MessageFormat). The
// translator caches these: parsing is the expensive part, formatting a parsed message
// is a walk over a few nodes.
import { IntlMessageFormat } from 'intl-messageformat';
import { elide } from './elide.ts';

type Element = ReturnType<IntlMessageFormat['getAst']>[number];
type Params = Record<string, string | number>;

// Node kinds of @formatjs/icu-messageformat-parser's AST (its TYPE enum).
const LITERAL = 0;
const ARGUMENT = 1;
const SELECT = 5;
const PLURAL = 6;
const TAG = 8;

export interface Compiled {
  format(params: Params): string;
  /** Every placeholder name the message reads (plural, select and simple ones). */
  readonly args: ReadonlySet<string>;
  /** The names that choose a plural branch. */
  readonly pluralArgs: ReadonlySet<string>;
}

// `<b>` in a message is text for us (views escape it), not an ICU rich-text tag.
const OPTIONS = { ignoreTag: true };

export function compile(message: string, locale: string): Compiled {
  const mf = new IntlMessageFormat(message, locale, undefined, { ...OPTIONS, formatters: formattersFor(locale) });
  const args = new Set<string>();
  const pluralArgs = new Set<string>();
  collect(mf.getAst(), args, pluralArgs);
  const elisions = locale === 'fr' ? elideBeforeArguments(mf.getAst()) : [];
  const ast = mf.getAst();
  // Text and simple {placeholders} only (most messages): joined here, several times
  // faster than intl-messageformat's general walk.
  if (ast.every((el) => el.type === LITERAL || el.type === ARGUMENT)) {
    const slots = new Map(elisions.map((e) => [e.slot, e]));
    const parts = ast.map((el) => {
      if (el.type === LITERAL) return el.value;
      const name = el.value;
      const elision = slots.get(name);
      if (elision) return (params: Params) => elide(elision.word, valueOf(params, elision.arg));
      return (params: Params) => valueOf(params, name);
    });
    if (parts.every((p) => typeof p === 'string')) {
      const text = parts.join('');
      return { format: () => text, args, pluralArgs };
    }
    return {
      args,
      pluralArgs,
      format(params) {
        let out = '';
        for (const p of parts) out += typeof p === 'string' ? p : p(params);
        return out;
      },
    };
  }
  return {
    args,
    pluralArgs,
    format(params) {
      let values = params;
      for (const name of args) {
        if (!(name in params)) {
          if (values === params) values = { ...params };
          values[name] = `{${name}}`;
        }
      }
      if (elisions.length) {
        if (values === params) values = { ...params };
        for (const e of elisions) values[e.slot] = elide(e.word, String(values[e.arg]));
      }
      return String(mf.format(values));
    },
  };
}

// A missing value stays visible as {name} (the old behaviour, and the client scripts
// fill such markers in), instead of intl-messageformat's exception.
function valueOf(params: Params, name: string): string {
  const v = params[name];
  return v === undefined ? `{${name}}` : String(v);
}

// intl-messageformat memoizes its Intl objects by serializing the arguments on every
// call; our messages use the locale's plain number format and plural rules only.
const FORMATTERS = new Map<string, Formatters>();
type Formatters = NonNullable<ConstructorParameters<typeof IntlMessageFormat>[3]>['formatters'] & object;

function formattersFor(locale: string): Formatters {
  let f = FORMATTERS.get(locale);
  if (!f) {
    const numbers = new Intl.NumberFormat(locale);
    const plurals = { cardinal: new Intl.PluralRules(locale), ordinal: new Intl.PluralRules(locale, { type: 'ordinal' }) };
    f = {
      getNumberFormat: (l, o) => (o === undefined || Object.keys(o).length === 0 ? numbers : new Intl.NumberFormat(l, o)),
      getPluralRules: (l, o) => (o && Object.keys(o).some((k) => k !== 'type') ? new Intl.PluralRules(l, o) : plurals[o?.type ?? 'cardinal']),
      getDateTimeFormat: (...a) => new Intl.DateTimeFormat(...a),
    };
    FORMATTERS.set(locale, f);
  }
  return f;
}

// "par le {who}", "À propos de {name}": the word before a placeholder may need eliding
// ("par l’élève", "À propos d’Émilie"), which only the value can tell. The word moves
// into a slot argument that format() fills with elide(word, value).
const ELIDABLE = /(^|[\s(«"“’'])(de|le|la|que)\s$/i;

type Elision = { slot: string; word: string; arg: string };

function elideBeforeArguments(elements: Element[], found: Elision[] = []): Elision[] {
  elements.forEach((el, i) => {
    const next = elements[i + 1];
    if (el.type === LITERAL && next?.type === ARGUMENT) {
      const m = ELIDABLE.exec(el.value);
      if (m) {
        const slot = `${m[2]} ${next.value}`; // a space: no placeholder written in a catalog can clash
        found.push({ slot, word: m[2]!, arg: next.value });
        el.value = el.value.slice(0, m.index + m[1]!.length);
        next.value = slot;
      }
    }
    if (el.type === TAG && 'children' in el) elideBeforeArguments(el.children, found);
    if ((el.type === PLURAL || el.type === SELECT) && 'options' in el) {
      for (const option of Object.values(el.options)) elideBeforeArguments(option.value, found);
    }
  });
  return found;
}

function collect(elements: Element[], args: Set<string>, pluralArgs: Set<string>): void {
  for (const el of elements) {
    if (el.type === TAG && 'children' in el) collect(el.children, args, pluralArgs);
    if (el.type === LITERAL || !('value' in el) || typeof el.value !== 'string') continue;
    args.add(el.value);
    if (el.type === PLURAL) pluralArgs.add(el.value);
    if ((el.type === PLURAL || el.type === SELECT) && 'options' in el) {
      for (const option of Object.values(el.options)) collect(option.value, args, pluralArgs);
    }
  }
}

/**
 * A plural message for a browser script: its text for 0 and 1 and for each plural
 * category of the language, with `{arg}` where the number goes. The script picks one
 * with Intl.PluralRules and fills the markers in (public/js/grid-support.js pluralText).
 */
/** Built once per message, locale and params: every dashboard render asks for the same ones. */
const pluralFormsCache = new Map<string, PluralForms>();
const PLURAL_FORMS_KEPT = 1_000;

export function pluralForms(message: string, locale: string, params: Params = {}): PluralForms {
  const key = `${locale}\u0000${message}\u0000${JSON.stringify(params)}`;
  let found = pluralFormsCache.get(key);
  if (!found) {
    if (pluralFormsCache.size >= PLURAL_FORMS_KEPT) pluralFormsCache.clear();
    found = Object.freeze(buildPluralForms(message, locale, params));
    Object.freeze(found.forms);
    pluralFormsCache.set(key, found);
  }
  return found;
}

function buildPluralForms(message: string, locale: string, params: Params): PluralForms {
  const plain = compile(message, locale);
  const arg = [...plain.pluralArgs][0];
  if (!arg) return { locale, arg: 'count', forms: { other: plain.format(params) } };
  const marker = `{${arg}}`;
  // `#` is printed through the number formatter: this one prints the marker instead.
  const formatters = {
    getNumberFormat: () => ({ format: () => marker }) as unknown as Intl.NumberFormat,
    getDateTimeFormat: (...a: ConstructorParameters<typeof Intl.DateTimeFormat>) => new Intl.DateTimeFormat(...a),
    getPluralRules: (...a: ConstructorParameters<typeof Intl.PluralRules>) => new Intl.PluralRules(...a),
  };
  const mf = new IntlMessageFormat(message, locale, undefined, { ...OPTIONS, formatters });
  const fill = (n: number) => {
    const values: Record<string, string | number> = { ...params, [arg]: n };
    for (const name of plain.args) if (!(name in values)) values[name] = `{${name}}`;
    return String(mf.format(values));
  };
  const rules = new Intl.PluralRules(locale);
  const forms: Record<string, string> = { '=0': fill(0), '=1': fill(1) };
  // A sample of each category other than 0 and 1 (French "many" is a million).
  for (const n of [2, 3, 4, 5, 6, 11, 21, 22, 25, 100, 101, 1000000]) forms[rules.select(n)] ??= fill(n);
  forms.other ??= fill(2);
  return { locale, arg, forms };
}

export interface PluralForms {
  locale: string;
  arg: string;
  forms: Record<string, string>;
}
