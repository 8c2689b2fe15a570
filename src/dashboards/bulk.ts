// The mentor's bulk approve / reject, for the dashboard and the public API alike:
// each booking in its own transaction through the booking service, each answered on its own.
import { z } from 'zod';
import type { BookingService } from '../bookings/service.ts';
import type { Translate } from '../i18n/index.ts';
import { AppError } from '../lib/errors.ts';
import { blank } from '../lib/validation.ts';

export const bulkSchema = z
  .object({
    action: z.enum(['approve', 'reject']),
    ids: z.array(z.uuid()).min(1).max(100),
    reason: z.preprocess(blank, z.string().trim().min(3, { error: 'bookings.reasonRequired' }).max(500).optional()),
    meetingUrl: z.preprocess(blank, z.url({ protocol: /^https$/, error: 'bookings.meetingUrlFormat' }).max(300).optional()),
  })
  .superRefine((v, ctx) => {
    if (v.action === 'reject' && !v.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'bookings.reasonRequired' });
  });

export type BulkInput = z.infer<typeof bulkSchema>;
export type BulkResult = { id: string; ok: true; status: string } | { id: string; ok: false; code: string; message: string };

export async function bulkDecide(
  bookings: Pick<BookingService, 'confirm' | 'reject'>, mentorId: string, input: BulkInput, t: Translate,
  logError: (error: unknown, bookingId: string) => void,
): Promise<BulkResult[]> {
  const results: BulkResult[] = [];
  for (const id of new Set(input.ids)) {
    try {
      const b = input.action === 'approve'
        ? await bookings.confirm(mentorId, id, { meetingUrl: input.meetingUrl })
        : await bookings.reject(mentorId, id, input.reason!);
      results.push({ id, ok: true, status: b.status });
    } catch (error) {
      if (error instanceof AppError && error.status < 500) {
        results.push({ id, ok: false, code: error.code, message: t(error.messageKey, error.params) });
      } else {
        logError(error, id);
        results.push({ id, ok: false, code: 'internal_error', message: t('errors.internal') });
      }
    }
  }
  return results;
}
