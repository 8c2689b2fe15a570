import { z } from 'zod';
import { DURATIONS } from '../skills/model.ts';
import { blank } from '../lib/validation.ts';

export const duration = z.coerce.number().pipe(z.union(DURATIONS.map((d) => z.literal(d))));
const instant = z.iso.datetime({ offset: true }).transform((v) => new Date(v));

export const slotPickSchema = z.object({ start: instant, duration });

export const pickerQuerySchema = z.object({
  duration: z.preprocess(blank, duration.optional()),
  week: z.preprocess(blank, z.coerce.number().int().min(0).max(12).default(0)),
});

export const detailsSchema = z.object({
  start: instant,
  duration,
  subject: z.string().trim().min(3).max(120),
  description: z.preprocess(blank, z.string().trim().max(2000).optional()),
  message: z.preprocess(blank, z.string().trim().max(1000).optional()),
});

export const groupJoinSchema = z.object({
  // A repeated field arrives as a list: "not valid", not "required", is what happened.
  message: z.preprocess(blank, z.string({ error: (issue) => (issue.code === 'invalid_type' ? 'validation.format' : undefined) }).trim().max(1000).optional()),
});

export const confirmSchema = z.object({
  meetingUrl: z.preprocess(blank, z.url({ protocol: /^https$/, error: 'bookings.meetingUrlFormat' }).max(300).optional()),
  notes: z.preprocess(blank, z.string().trim().max(1000).optional()),
});

export const reasonSchema = z.object({ reason: z.string().trim().min(3, { error: 'bookings.reasonRequired' }).max(500) });

export const outcomeSchema = z.object({ outcome: z.enum(['completed', 'no_show']) });
