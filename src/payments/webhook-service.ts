// The one receiver of provider events, Stripe's over HTTP and the simulated provider's
// through the job queue, verified the same way. Exactly once, in any order:
// - the signature is checked on the raw body first (a bad one is a 400, nothing applied);
// - the object the event is about is read again from the provider, so the effect
//   follows its current state, not the event's snapshot (an `updated` that arrives
//   before `created`, a refund before the checkout's completion, all end right);
// - the event id is inserted (primary key) in the same transaction as the effect: a
//   replay finds it and is a no-op; a failed effect rolls the id back for the retry.
import type { Knex } from 'knex';
import { AppError, BadRequestError } from '../lib/errors.ts';
import type { PaymentsProvider, ProviderEvent } from '../lib/payments/port.ts';
import type { BusinessMetrics } from '../lib/business-metrics.ts';
import type { Logger } from '../lib/logger.ts';

/** Reads what the event is about (outside any transaction), then applies it inside one. */
export interface EventHandler<S = unknown> {
  observe(event: ProviderEvent): Promise<S | undefined>;
  apply(trx: Knex.Transaction, state: S): Promise<void>;
}

export type EventHandlers = Record<string, EventHandler<unknown>>;

export function webhookService(deps: { knex: Knex; provider: PaymentsProvider; logger: Logger; handlers: () => EventHandlers; metrics?: BusinessMetrics }) {
  const { knex, provider, logger } = deps;

  /** The handler for a type: exact name first, then its family ("customer.subscription."). */
  function handlerFor(type: string): EventHandler<unknown> | undefined {
    const handlers = deps.handlers();
    if (handlers[type]) return handlers[type];
    const family = Object.keys(handlers).find((k) => k.endsWith('.') && type.startsWith(k));
    return family ? handlers[family] : undefined;
  }

  async function receive(rawBody: Buffer, signature: string | undefined): Promise<{ applied: boolean; type: string }> {
    let event: ProviderEvent;
    try {
      event = await provider.verifyWebhook(rawBody, signature);
    } catch (error) {
      // Signed but not an event (no data, a null object, an array): refused, nothing applied.
      if (error instanceof AppError) throw error;
      throw new BadRequestError('payments.webhookMalformed');
    }
    if (!wellFormed(event)) throw new BadRequestError('payments.webhookMalformed');
    return handle(event);
  }

  async function handle(event: ProviderEvent): Promise<{ applied: boolean; type: string }> {
    const seen = await knex('paymentEvents').where({ eventId: event.id }).first('eventId');
    if (seen) return { applied: false, type: event.type };
    const handler = handlerFor(event.type);
    const state = handler ? await handler.observe(event) : undefined;
    const applied = await knex.transaction(async (trx) => {
      const inserted = await trx('paymentEvents')
        .insert({ eventId: event.id, provider: provider.name, type: event.type, objectId: event.object.id })
        .onConflict('eventId').ignore().returning('eventId');
      if (inserted.length === 0) return false; // a parallel delivery of the same event won
      if (handler && state !== undefined) await handler.apply(trx, state);
      return true;
    });
    if (applied && handler) deps.metrics?.paymentEventApplied(event.type);
    if (applied) logger.info({ eventId: event.id, type: event.type, handled: Boolean(handler) }, 'payment event applied');
    return { applied, type: event.type };
  }

  return { receive, handle };
}

export type WebhookService = ReturnType<typeof webhookService>;

function wellFormed(event: ProviderEvent | undefined): event is ProviderEvent {
  return Boolean(event) && typeof event!.id === 'string' && event!.id !== '' && typeof event!.type === 'string'
    && typeof event!.object === 'object' && event!.object !== null && !Array.isArray(event!.object) && typeof event!.object.id === 'string';
}

/** The PaymentIntent an event is about: itself, or a charge's. */
export function paymentIntentOf(object: ProviderEvent['object']): string | undefined {
  if (object.object === 'payment_intent') return object.id;
  const pi = object.payment_intent;
  if (typeof pi === 'string') return pi;
  if (pi && typeof pi === 'object' && 'id' in pi) return String((pi as { id: unknown }).id);
  return undefined;
}

/** The subscription an event is about: itself, or an invoice's (old and new API shapes). */
export function subscriptionOf(object: ProviderEvent['object']): string | undefined {
  if (object.object === 'subscription') return object.id;
  const direct = object.subscription;
  if (typeof direct === 'string') return direct;
  const parent = object.parent as { subscription_details?: { subscription?: unknown } } | undefined;
  const nested = parent?.subscription_details?.subscription;
  return typeof nested === 'string' ? nested : undefined;
}
