// Admin course editing: what each form may send. Lists (prerequisites, objectives,
// educators) arrive either as repeated fields (one input per item, with JS) or as one
// textarea with one item per line (without JS); both become the same array.
import { z } from 'zod';
import { LEVELS, RESOURCE_KINDS } from '../courses/model.ts';
import { moneyField } from '../lib/money.ts';
import { blank } from '../lib/validation.ts';

export const SLUG_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;
export const SLUG_MAX = 80;

/** PC SOFT products (WinDev, WebDev, WinDev Mobile) × versions offered as checkboxes. */
export const COMPATIBILITY_PRODUCTS = ['WD', 'WB', 'WM'] as const;
export const COMPATIBILITY_VERSIONS = ['24', '25', '26'] as const;
export const COMPATIBILITY_OPTIONS = COMPATIBILITY_PRODUCTS.flatMap((p) => COMPATIBILITY_VERSIONS.map((v) => `${p}${v}`));
const COMPATIBILITY_PATTERN = /^(WD|WB|WM)\d{2}$/;

export const LIST_MAX_ITEMS = 20;
export const LIST_ITEM_MAX = 300;
export const MODULE_TITLE_MAX = 160;
export const LESSON_DURATION_MAX_SECONDS = 24 * 3600;

const toArray = (v: unknown): unknown[] => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]);
/** Repeated fields and/or lines of a textarea → trimmed, non-empty items. */
export const toLines = (v: unknown): string[] =>
  toArray(v).flatMap((item) => (typeof item === 'string' ? item.split(/\r?\n/) : [])).map((s) => s.trim()).filter((s) => s !== '');

const itemList = () =>
  z.preprocess(
    toLines,
    z.array(z.string().max(LIST_ITEM_MAX, { error: 'courses.admin.itemTooLong' })).max(LIST_MAX_ITEMS, { error: 'courses.admin.tooManyItems' }),
  );

const price = moneyField({ max: 10_000_000, error: 'courses.admin.priceFormat' });

export const courseSchema = z.object({
  title: z.string().trim().min(1).min(3).max(160), // min(1) first: an empty title is "required"
  subtitle: z.string().trim().max(200).default(''),
  // Blank: made from the title. Typed: kept as typed (lowercased), if free.
  slug: z.preprocess(
    blank,
    z.string().trim().toLowerCase().max(SLUG_MAX).regex(SLUG_PATTERN, { error: 'courses.admin.slugFormat' }).optional(),
  ),
  shortDescription: z.string().trim().max(500).default(''),
  // The whole form must fit the 100 kB urlencoded body limit (src/app.ts), markup escaped.
  descriptionHtml: z.string().max(20_000).default(''),
  level: z.enum(LEVELS),
  compatibility: z.preprocess(
    (v) => [...new Set(toArray(v))],
    z.array(z.string().regex(COMPATIBILITY_PATTERN, { error: 'courses.admin.compatibilityFormat' })).max(60),
  ),
  prerequisites: itemList(),
  objectives: itemList(),
  price,
  // A checkbox: present ("on") or absent.
  includedInSubscription: z.preprocess((v) => {
    const last: unknown = Array.isArray(v) ? v.at(-1) : v;
    return last === 'on' || last === 'true';
  }, z.boolean()),
  educators: z.preprocess(
    (v) => [...new Set(toLines(v).flatMap((s) => s.split(/[\s,]+/)).map((s) => s.replace(/^@/, '')).filter(Boolean))],
    z.array(z.string().regex(/^[A-Za-z0-9_.-]{3,30}$/, { error: 'courses.admin.educatorFormat' })).max(LIST_MAX_ITEMS, { error: 'courses.admin.tooManyItems' }),
  ),
});
export type CourseInput = z.infer<typeof courseSchema>;

export const moduleSchema = z.object({
  title: z.string().trim().min(1).max(MODULE_TITLE_MAX),
});
export type ModuleInput = z.infer<typeof moduleSchema>;

/** Seconds → "m:ss" (or "h:mm:ss"), as players show a length. */
export function formatDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = String(seconds % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

const checkbox = () => z.preprocess((v) => {
  const last: unknown = Array.isArray(v) ? v.at(-1) : v;
  return last === 'on' || last === 'true';
}, z.boolean());

// No duration field: a lesson's length is read from its video (src/course-admin/video-duration.ts).
export const newLessonSchema = z.object({
  title: z.string().trim().min(1).max(MODULE_TITLE_MAX),
});
export type NewLessonInput = z.infer<typeof newLessonSchema>;

export const lessonSchema = z.object({
  title: z.string().trim().min(1).max(MODULE_TITLE_MAX),
  description: z.string().trim().max(5000).default(''),
  // Checkboxes: present ("on") or absent.
  freePreview: checkbox(),
  textOnly: checkbox(),
});
export type LessonInput = z.infer<typeof lessonSchema>;

export const moveSchema = z.object({ direction: z.enum(['up', 'down']) });

export const resourceSchema = z.object({
  title: z.string().trim().min(1).max(MODULE_TITLE_MAX),
  kind: z.enum(RESOURCE_KINDS),
});
export type ResourceInput = z.infer<typeof resourceSchema>;
