import { z } from 'zod';
import { MAX_OFFSETS, OFFSET_CHOICES } from './preferences.ts';

const toArray = (v: unknown): unknown[] => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]);
// A checkbox: present ("on") or absent; a repeated field keeps its last value.
const checkbox = z.preprocess((v) => {
  const last: unknown = Array.isArray(v) ? v.at(-1) : v;
  return last === 'on' || last === 'true';
}, z.boolean());

export const reminderPreferencesSchema = z.object({
  offsets: z.preprocess(
    (v) => [...new Set(toArray(v).map((x) => (typeof x === 'string' && /^\d{1,4}$/.test(x) ? Number(x) : Number.NaN)))],
    z.array(z.number().refine((n) => (OFFSET_CHOICES as readonly number[]).includes(n), { error: 'validation.choice' }))
      .max(MAX_OFFSETS, { error: 'reminders.tooMany' }),
  ),
  byMail: checkbox,
  inApp: checkbox,
});
