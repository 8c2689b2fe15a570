import { z } from 'zod';
import { blank, isCalendarDate } from '../lib/validation.ts';

// Wall-clock times on the 30-minute grid of the slot engine; 24:00 ends a day.
const time = z.string().regex(/^([01]\d|2[0-3]):(00|30)$|^24:00$/, { error: 'availability.timeFormat' });
const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

export const ruleSchema = z
  .object({ weekday: z.coerce.number().int().min(1).max(7), start: time, end: time })
  .refine((v) => toMinutes(v.end) > toMinutes(v.start), { path: ['end'], error: 'availability.endAfterStart' });


export const overrideSchema = z
  .object({
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'availability.dateFormat' }).refine(isCalendarDate, { error: 'availability.dateFormat' }),
    kind: z.enum(['extra', 'blocked']),
    start: z.preprocess(blank, time.optional()),
    end: z.preprocess(blank, time.optional()),
    note: z.preprocess(blank, z.string().trim().max(200).optional()),
  })
  .superRefine((v, ctx) => {
    if ((v.start === undefined) !== (v.end === undefined)) ctx.addIssue({ code: 'custom', path: [v.start ? 'end' : 'start'], message: 'availability.bothTimes' });
    if (v.kind === 'extra' && !v.start) ctx.addIssue({ code: 'custom', path: ['start'], message: 'availability.extraNeedsTimes' });
    if (v.start && v.end && toMinutes(v.end) <= toMinutes(v.start)) ctx.addIssue({ code: 'custom', path: ['end'], message: 'availability.endAfterStart' });
  });

export const settingsSchema = z.object({
  minNoticeHours: z.coerce.number().int().min(0).max(720),
  windowDays: z.coerce.number().int().min(1).max(90),
  // A form saved before the field existed keeps the default.
  seriesWindowDays: z.preprocess(blank, z.coerce.number().int().min(1).max(180).default(90)),
  bufferMinutes: z.coerce.number().int().refine((v) => [0, 10, 15, 30, 45, 60].includes(v), { error: 'validation.choice' }),
  requiresApproval: z.preprocess((v) => v === 'on' || v === 'true' || v === true, z.boolean()),
}).refine((v) => v.seriesWindowDays >= v.windowDays, { path: ['seriesWindowDays'], error: 'availability.seriesWindowShort' });

/**
 * The answer on the "bookings fall in this time" step. `affected` lists the booking ids
 * the step showed, so that the answer is checked against what is affected on submit.
 */
export const decisionSchema = z
  .object({
    affected: z.string().max(20_000).transform((v) => v.split(',').filter(Boolean)),
    decision: z.enum(['keep', 'cancel']).default('keep'),
    reason: z.preprocess(blank, z.string().trim().max(500).optional()),
  })
  .superRefine((v, ctx) => {
    if (v.decision === 'cancel' && (v.reason ?? '').length < 3) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'availability.blocking.reasonRequired' });
  });

export { toMinutes };
