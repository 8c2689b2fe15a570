import { z } from 'zod';
import { blank, digitsOnly } from '../lib/validation.ts';

/** A whole number in a range, one message for every way of missing it (blank, 12.5, "abc", 721). */
const whole = (min: number, max: number, error: string) =>
  z.preprocess((v) => digitsOnly(blank(v)), z.coerce.number({ error }).int({ error }).min(min, { error }).max(max, { error }));

/** The bounds are the database's own (mentor_settings check constraints). */
export const policySchema = z.object({
  freeCancelHours: whole(0, 720, 'payouts.policy.hoursRange'),
  lateRefundPercent: whole(0, 100, 'payouts.policy.percentRange'),
});

export const earningsQuerySchema = z.object({
  page: z.preprocess(blank, z.coerce.number().int().min(1).max(100_000).default(1)),
});
