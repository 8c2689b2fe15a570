// Input of the package, report and admin payment forms.
import { z } from 'zod';
import { moneyField } from '../lib/money.ts';
import { blank, digitsOnly } from '../lib/validation.ts';
import { DURATIONS } from '../skills/model.ts';
import { PURPOSES, SORTS, STATUSES } from './admin-payments-service.ts';

const duration = z.preprocess(digitsOnly, z.coerce.number({ error: 'payments.field.durationNotOffered' }).pipe(z.union(DURATIONS.map((d) => z.literal(d)), { error: 'payments.field.durationNotOffered' })));
const int = (min: number, max: number, error: string) => z.preprocess(digitsOnly, z.coerce.number({ error }).int({ error }).min(min, { error }).max(max, { error }));

export const packageSchema = z.object({
  sessions: int(2, 20, 'payments.field.sessionsRange'),
  durationMinutes: duration,
  discountPercent: z.preprocess(blank, int(0, 50, 'payments.field.discountRange').default(0)),
});

export const reportSchema = z.object({ note: z.string().trim().min(3, { error: 'payments.field.reportNote' }).max(1000) });

const reason = z.string().trim().min(3, { error: 'payments.field.reasonRequired' }).max(500);

// A blank amount is "everything that is left"; the service checks it against what is left.
export const refundSchema = z.object({
  amount: z.preprocess(blank, moneyField({ max: 100_000_000, error: 'payments.field.refundAmount' }).optional()),
  reason,
});

export const reasonOnlySchema = z.object({ reason });

export const resolutionSchema = z.object({ outcome: z.enum(['refunded', 'dismissed']) });

export const paymentsQuerySchema = z.object({
  q: z.preprocess(blank, z.string().trim().max(100).optional()),
  status: z.preprocess(blank, z.enum(STATUSES).optional()),
  purpose: z.preprocess(blank, z.enum(PURPOSES).optional()),
  sort: z.preprocess(blank, z.enum(Object.keys(SORTS) as [keyof typeof SORTS]).default('date')),
  dir: z.preprocess(blank, z.enum(['asc', 'desc']).default('desc')),
  page: z.preprocess(blank, z.coerce.number().int().min(1).max(10_000).default(1)),
});
