import { z } from 'zod';
import { moneyField } from '../lib/money.ts';
import { blank, isLocalDateTime } from '../lib/validation.ts';
import { DURATIONS, SKILL_CATEGORIES } from './model.ts';

const toArray = (v: unknown) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]);

/** A group session has one start, one duration and a capacity: the form and the API refuse it alike. */
export function groupRules(v: { mode: string; startsAt?: string | undefined; capacity?: number | undefined; durations: readonly number[] }, ctx: z.RefinementCtx): void {
  if (v.mode !== 'group') return;
  if (!v.startsAt) ctx.addIssue({ code: 'custom', path: ['startsAt'], message: 'skills.startsAtRequired' });
  if (!v.capacity) ctx.addIssue({ code: 'custom', path: ['capacity'], message: 'skills.capacityRequired' });
  if (v.durations.length !== 1) ctx.addIssue({ code: 'custom', path: ['durations'], message: 'skills.groupOneDuration' });
}

export const skillSchema = z
  .object({
    title: z.string().trim().min(3).max(120),
    description: z.string().trim().max(5000).default(''),
    category: z.enum(SKILL_CATEGORIES),
    price: moneyField({ max: 1_000_000, error: 'skills.priceFormat' }),
    mode: z.enum(['one_on_one', 'group']),
    durations: z.preprocess(toArray, z.array(z.coerce.number().pipe(z.union(DURATIONS.map((d) => z.literal(d))))).min(1, { error: 'skills.durationsRequired' })),
    startsAt: z.preprocess(blank, z.string().refine(isLocalDateTime, { error: 'skills.startsAtFormat' }).optional()),
    capacity: z.preprocess(blank, z.coerce.number().int().min(1).max(500).optional()),
    courseId: z.preprocess(blank, z.uuid({ error: 'skills.course.invalid' }).optional()),
  })
  .superRefine(groupRules);

export type SkillInput = z.infer<typeof skillSchema>;

export const SORTS = ['relevance', 'newest', 'price-asc', 'price-desc'] as const;

export const searchSchema = z.object({
  q: z.preprocess(blank, z.string().trim().max(100).optional()),
  category: z.preprocess(blank, z.enum(SKILL_CATEGORIES).optional()),
  // In euros as typed, compared in cents.
  minPrice: z.preprocess(blank, moneyField({ max: 1_000_000 }).optional()),
  maxPrice: z.preprocess(blank, moneyField({ max: 1_000_000 }).optional()),
  duration: z.preprocess(blank, z.coerce.number().pipe(z.union(DURATIONS.map((d) => z.literal(d)))).optional()),
  sort: z.preprocess(blank, z.enum(SORTS).optional()),
  available: z.preprocess(blank, z.enum(['week']).optional()),
  page: z.preprocess(blank, z.coerce.number().int().min(1).max(1000).default(1)),
});

export type SearchInput = z.infer<typeof searchSchema>;

/** The reason students read when their group session is withdrawn. */
export const withdrawSchema = z.object({ reason: z.string().trim().min(3, { error: 'skills.withdrawReasonRequired' }).max(500) });
