// Input of the public course pages: the catalogue's search and the lesson completion.
import { z } from 'zod';
import type { Translate } from '../i18n/index.ts';
import { moneyField } from '../lib/money.ts';
import { blank, digitsOnly, fieldErrors } from '../lib/validation.ts';
import { LEVELS } from './model.ts';

/** What the player reports with its completion: the share of the video watched. */
export const completionSchema = z.object({
  watched: z.preprocess(blank, z.coerce.number().min(0.9, { error: 'courses.progress.watchedTooLittle' }).max(1, { error: 'courses.progress.watchedTooLittle' }).optional()),
});

/** The catalogue's filters, each checked on its own: a bad one is left out, with a notice. */
const catalogFilters = {
  // Control characters (a NUL byte among them) cannot be searched: PostgreSQL refuses them in text.
  q: z.string().trim().max(100).refine((v) => ![...v].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f), { error: 'courses.search.badText' }),
  level: z.enum(LEVELS, { error: 'courses.search.badLevel' }),
  version: z.string().trim().regex(/^[\p{L}\p{N}][\p{L}\p{N} ._-]{0,39}$/u, { error: 'courses.search.badVersion' }),
  // In the currency's units as typed ("25", "25,50"), compared in minor units.
  minPrice: moneyField({ max: 10_000_000, error: 'courses.search.badPrice' }),
  maxPrice: moneyField({ max: 10_000_000, error: 'courses.search.badPrice' }),
  free: z.literal('1', { error: 'courses.search.badFree' }),
  page: z.preprocess(digitsOnly, z.coerce.number().int().min(1).max(1000)),
} as const;

type Filters = typeof catalogFilters;
export type CatalogSearch = { [K in keyof Filters]?: z.infer<Filters[K]> };

export interface ParsedCatalogSearch {
  input: CatalogSearch & { page: number };
  /** The accepted filters as strings, for the form and the page links. */
  params: Record<string, string>;
  /** Left out, by field, with the translated reason. */
  ignored: Record<string, string>;
}

/** Reads the catalogue's query string; never throws: what cannot be read is ignored and said. */
export function parseCatalogSearch(query: Record<string, unknown>, t: Translate): ParsedCatalogSearch {
  const input: Record<string, unknown> = {};
  const params: Record<string, string> = {};
  const ignored: Record<string, string> = {};
  for (const [name, schema] of Object.entries(catalogFilters) as [keyof Filters, z.ZodType][]) {
    const raw = query[name];
    if (raw === undefined || blank(raw) === undefined) continue;
    // The simple query parser gives a list for a repeated key: one value per filter.
    if (typeof raw !== 'string') {
      ignored[name] = t('courses.search.repeated');
      continue;
    }
    const parsed = schema.safeParse(raw);
    if (parsed.success) {
      input[name] = parsed.data;
      params[name] = raw.trim();
    } else {
      ignored[name] = Object.values(fieldErrors(parsed.error, t))[0] ?? t('validation.format');
    }
  }
  if (typeof input.minPrice === 'number' && typeof input.maxPrice === 'number' && input.minPrice > input.maxPrice) {
    ignored.minPrice = t('courses.search.minAboveMax');
    delete input.minPrice;
    delete params.minPrice;
  }
  delete params.page;
  return { input: { ...(input as CatalogSearch), page: (input.page as number | undefined) ?? 1 }, params, ignored };
}
