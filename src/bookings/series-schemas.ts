import { z } from 'zod';
import { IANAZone } from 'luxon';
import { blank } from '../lib/validation.ts';
import { detailsSchema, duration } from './schemas.ts';

const instant = z.iso.datetime({ offset: true }).transform((v) => new Date(v));
const zone = z.string().max(64).refine((z) => IANAZone.isValidZone(z), { error: 'bookings.series.zoneInvalid' });

/** The weekly pattern: the first lesson, its length, how many weeks, and the zone its wall-clock time is read in. */
export const seriesPatternSchema = z.object({
  start: instant,
  duration,
  weeks: z.coerce.number().int().min(2, { error: 'bookings.series.weeksRange' }).max(12, { error: 'bookings.series.weeksRange' }),
  zone,
});

/** The link from the booking flow: the picked slot, and the zone the slots were shown in when the picker names one. */
export const seriesStartQuerySchema = z.object({ start: instant, duration, zone: z.preprocess(blank, zone.optional()) });

export const seriesRequestSchema = seriesPatternSchema.extend({
  subject: detailsSchema.shape.subject,
  description: detailsSchema.shape.description,
  message: detailsSchema.shape.message,
});

/** The confirmation carries the weeks the preview called free: booked only if they still are. */
export const seriesConfirmSchema = seriesRequestSchema.extend({
  expected: z.preprocess((v) => (typeof v === 'string' ? v.split(',').filter(Boolean) : v), z.array(z.iso.datetime({ offset: true })).max(12)),
});

export const seriesAcceptSchema = z.object({
  meetingUrl: z.preprocess(blank, z.url({ protocol: /^https$/, error: 'bookings.meetingUrlFormat' }).max(300).optional()),
});

export type SeriesPattern = z.infer<typeof seriesPatternSchema>;
export type SeriesRequest = z.infer<typeof seriesRequestSchema>;
