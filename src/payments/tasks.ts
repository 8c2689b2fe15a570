// The payments feature's jobs: every provider call that moves money (capture, release,
// refund) runs here, after the transaction that decided it, retried with the same
// idempotency key; the simulated provider's events are delivered here; and checkouts
// past their expiry are reconciled every minute.
import type { Deps } from '../composition.ts';
import type { FeatureJobs } from '../lib/jobs.ts';
import { SIMULATED_WEBHOOK_TASK } from '../lib/payments/simulated-provider.ts';
import { PAYMENT_TASKS } from './settlement-service.ts';

export function paymentJobs(deps: Deps): FeatureJobs {
  const { ledger, checkouts, webhooks } = deps.services;
  const id = (payload: unknown, key: string) => String((payload as Record<string, unknown>)[key]);
  return {
    tasks: {
      [PAYMENT_TASKS.capture]: (payload) => ledger.capture(id(payload, 'paymentId')),
      [PAYMENT_TASKS.release]: (payload) => ledger.release(id(payload, 'paymentId')),
      [PAYMENT_TASKS.refund]: (payload) => ledger.sendRefund(id(payload, 'refundId')),
      // Signed at delivery like Stripe's, and checked by the same receiver as Stripe's.
      [SIMULATED_WEBHOOK_TASK]: async (payload) => {
        if (!deps.simulated) return;
        const { payload: body, header } = await deps.simulated.sign((payload as { event: unknown }).event);
        await webhooks.receive(Buffer.from(body), header);
      },
      'expire-checkouts': async () => {
        const swept = await checkouts.sweep();
        if (swept) deps.logger.info({ swept }, 'expired checkouts reconciled');
      },
    },
    crontab: ['* * * * * expire-checkouts'],
  };
}
