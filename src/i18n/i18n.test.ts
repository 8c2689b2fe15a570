import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { formatters, isTimeZone } from './format.ts';
import { catalogs, translator } from './index.ts';
import '../messages.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function filesUnder(dir: string, ext: string): string[] {
  return fs
    .readdirSync(path.join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(ext))
    .map((e) => path.join(e.parentPath, e.name));
}

// Application code and templates; tests may name missing keys on purpose.
const sources = [...filesUnder('src', '.ts').filter((f) => !f.endsWith('.test.ts')), ...filesUnder('views', '.eta')];

const stripComments = (code: string) => code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');

/**
 * Literal keys: t('a.b'), it.t("a.b", {...}) and t(`a.b`) without `${`. A key built
 * with + or a template expression is dynamic and skipped: the quote must be followed
 * by `,` or `)`. Also keys handed to t() later: `error: 'a.b'` in schemas,
 * `key: 'a.b'` in flashes and `new SomeError('a.b')`.
 */
const LITERAL_CALL = /\bt\(\s*(['"`])([^'"`$\\]+)\1\s*[,)]/g;
const DEFERRED_KEY = /(?:\berror:\s*|\bkey:\s*|\bnew [A-Z]\w*Error\(\s*)(['"])([a-z]+(?:\.[A-Za-z0-9-]+)+)\1/g;

function usedKeys(): Map<string, string[]> {
  const used = new Map<string, string[]>();
  for (const file of sources) {
    const code = stripComments(fs.readFileSync(file, 'utf8'));
    for (const re of [LITERAL_CALL, DEFERRED_KEY]) {
      for (const m of code.matchAll(re)) {
        const key = m[2]!;
        used.set(key, [...(used.get(key) ?? []), path.relative(ROOT, file)]);
      }
    }
  }
  return used;
}

describe('catalogs', () => {
  it('has the same keys in French and English', () => {
    const fr = Object.keys(catalogs.fr);
    const en = Object.keys(catalogs.en);
    expect(fr.length).toBeGreaterThan(50);
    expect(fr.filter((k) => !(k in catalogs.en)), 'keys missing in en').toEqual([]);
    expect(en.filter((k) => !(k in catalogs.fr)), 'keys missing in fr').toEqual([]);
  });

  it('has no empty message', () => {
    for (const locale of ['fr', 'en'] as const) {
      const empty = Object.entries(catalogs[locale]).filter(([, v]) => v.trim() === '').map(([k]) => k);
      expect(empty, `empty ${locale} messages`).toEqual([]);
    }
  });

  it('defines every literal key used in src/ and views/ in both languages', () => {
    const used = usedKeys();
    // The scan itself must work: these are known to be used.
    expect(used.size).toBeGreaterThan(40);
    expect([...used.keys()]).toEqual(expect.arrayContaining(['users.editTitle', 'nav.login', 'users.linkedinHost', 'users.saved', 'errors.timeout']));
    const missing: string[] = [];
    for (const [key, files] of used) {
      for (const locale of ['fr', 'en'] as const) {
        if (!(key in catalogs[locale])) missing.push(`${locale} ${key} (${[...new Set(files)].join(', ')})`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('has a subject for every mail template and the keys of its dynamic parts', () => {
    const templates = fs
      .readdirSync(path.join(ROOT, 'views/mail'))
      .filter((f) => f.endsWith('.eta') && !f.startsWith('_') && !f.endsWith('.text.eta'))
      .map((f) => f.replace(/\.eta$/, ''));
    expect(templates).toEqual(expect.arrayContaining(['password-reset', 'welcome']));
    // The booking mail takes its subject and body from the notification kind.
    const kinds = ['requested', 'booked', 'confirmed', 'rejected', 'cancelled', 'expired'];
    const dynamic = [
      ...templates.filter((name) => name !== 'booking').map((name) => `mail.${name}.subject`),
      ...kinds.flatMap((k) => [`mail.booking.${k}.subject`, `mail.booking.${k}.body`, `notifications.kind.booking.${k}`]),
      ...['pending', 'confirmed', 'rejected', 'cancelled', 'completed', 'no_show', 'expired'].map((s) => `bookings.status.${s}`),
      ...['selfBooking', 'durationNotOffered', 'tooSoon', 'tooFar', 'outsideAvailability', 'notBookable', 'sessionStarted', 'notEnrolled'].map((r) => `bookings.rule.${r}`),
      ...[1, 2, 3, 4, 5, 6, 7].map((d) => `availability.weekday.${d}`),
      'mail.welcome.student', 'mail.welcome.mentor', // it.t('mail.welcome.' + it.role)
      'users.avatar.type', 'users.avatar.tooLarge', 'users.avatar.missing', // t(`users.avatar.${reason}`)
      'users.level.beginner', 'users.level.intermediate', 'users.level.expert',
      ...[400, 401, 403, 404, 409, 413, 422, 429, 500, 503].map((s) => `errors.title.${s}`),
    ];
    for (const locale of ['fr', 'en'] as const) {
      expect(dynamic.filter((k) => !(k in catalogs[locale])), locale).toEqual([]);
    }
  });
});

describe('translator', () => {
  const added: string[] = [];
  afterEach(() => {
    for (const k of added.splice(0)) {
      delete catalogs.fr[k];
      delete catalogs.en[k];
    }
  });

  it('translates and fills {placeholders}', () => {
    expect(translator('fr')('mail.greeting', { name: 'Awa' })).toBe('Bonjour Awa,');
    expect(translator('en')('mail.greeting', { name: 'Awa' })).toBe('Hello Awa,');
    expect(translator('en')('errors.tooManyRequests', { seconds: 42 })).toBe('Too many attempts. Try again in 42 seconds.');
    expect(translator('fr')('users.jobAt', { job: 'Ingénieure', company: 'Kairn' })).toBe('Ingénieure chez Kairn');
  });

  it('leaves a placeholder without a value visible and falls back to the key', () => {
    expect(translator('en')('mail.greeting')).toBe('Hello {name},');
    expect(translator('fr')('no.such.key')).toBe('no.such.key');
    expect(translator('en')('no.such.key', { name: 'x' })).toBe('no.such.key');
  });

  it('picks the ICU plural branch from a numeric count', () => {
    added.push('test.items');
    catalogs.en['test.items'] = '{count, plural, =0 {No items} one {# item} other {# items}}';
    catalogs.fr['test.items'] = '{count, plural, one {# élément} other {# éléments}}';
    expect(translator('en')('test.items', { count: 1 })).toBe('1 item');
    expect(translator('en')('test.items', { count: 0 })).toBe('No items');
    expect(translator('en')('test.items', { count: 2 })).toBe('2 items');
    expect(translator('fr')('test.items', { count: 0 })).toBe('0 élément'); // French: 0 is singular
    expect(translator('fr')('test.items', { count: 2 })).toBe('2 éléments');
    catalogs.fr['test.items'] = '{count, plural, =0 {Aucun élément} one {# élément} other {# éléments}}';
    expect(translator('fr')('test.items', { count: 0 }), 'a replaced message is compiled again').toBe('Aucun élément');
  });
});

describe('formatters', () => {
  const spaces = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

  it('formats money given in cents in the viewer language', () => {
    const fr = formatters('fr', 'Europe/Paris');
    const en = formatters('en', 'Europe/Paris');
    const euros = fr.money(4500, 'EUR');
    expect(euros).toMatch(/^45[\u00a0\u202f]€$/); // a no-break space, never a plain one
    expect(spaces(euros)).toBe('45 €');
    expect(spaces(fr.money(3750))).toBe('37,50 €');
    expect(spaces(fr.money(123400))).toBe('1 234 €');
    expect(en.money(4500, 'EUR')).toBe('€45');
    expect(en.money(3750, 'GBP')).toBe('£37.50');
    expect(en.money(29)).toBe('€0.29');
    expect(spaces(fr.money(1000000, 'XOF'))).toBe('10 000 F CFA');
  });

  it('formats an instant in the viewer time zone', () => {
    const instant = new Date('2026-11-22T03:30:00Z');
    const dakar = formatters('fr', 'Africa/Dakar'); // UTC+0
    const toronto = formatters('fr', 'America/Toronto'); // UTC-5 in November
    expect(dakar.date(instant)).toBe('22 novembre 2026');
    expect(toronto.date(instant)).toBe('21 novembre 2026');
    expect(dakar.time(instant)).toBe('03:30');
    expect(toronto.time(instant)).toBe('22:30');
    expect(formatters('en', 'America/Toronto').date(instant.toISOString())).toBe('21 November 2026');
    expect(dakar.timeZone).toBe('Africa/Dakar');
  });

  it('gives the same texts from its memo as Intl, past the memo bound, and still refuses an invalid date', () => {
    const paris = formatters('en', 'Europe/Paris');
    const intl = new Intl.DateTimeFormat('en-GB', { timeStyle: 'short', timeZone: 'Europe/Paris' });
    const intlDateTime = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Paris' });
    // Every quarter hour over a month: through the last-Sunday-of-October change, and
    // well over the memo's size, so it fills, clears and fills again.
    const start = Date.UTC(2026, 9, 10);
    for (let i = 0; i < 3000; i++) {
      const at = new Date(start + i * 15 * 60_000);
      expect(paris.time(at)).toBe(intl.format(at));
      expect(paris.dateTime(at.toISOString())).toBe(intlDateTime.format(at));
    }
    // Asked again after the clear: the same answers.
    expect(paris.time(new Date(start))).toBe(intl.format(start));
    expect(() => paris.time('not a date')).toThrow(RangeError);
  });

  it('says relative times in words', () => {
    const now = new Date('2026-11-22T10:00:00Z');
    expect(formatters('en', 'UTC').relative(new Date('2026-11-23T10:00:00Z'), now)).toBe('tomorrow');
    expect(formatters('fr', 'UTC').relative(new Date('2026-11-22T09:55:00Z'), now)).toBe('il y a 5 minutes');
  });

  it('recognises IANA time zones only', () => {
    expect(isTimeZone('Africa/Dakar')).toBe(true);
    expect(isTimeZone('America/Toronto')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isTimeZone('')).toBe(false);
    expect(isTimeZone(42)).toBe(false);
  });
});
