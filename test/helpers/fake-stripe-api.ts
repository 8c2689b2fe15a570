// The state and REST endpoints of the fake Stripe (test/helpers/fake-stripe.ts): Stripe's
// objects kept in one map by id, each endpoint checking what Stripe checks and answering
// with its error shapes, every change recorded as the event Stripe would send.
import { randomBytes } from 'node:crypto';
import Stripe from 'stripe';

export type Obj = Record<string, unknown> & { id: string; object: string };
export type Params = Record<string, unknown>;
export type StripeEvent = Obj & { type: string; created: number; data: { object: Obj; previous_attributes?: Params } };

export class StripeFailure extends Error {
  constructor(readonly status: number, readonly type: string, readonly code: string | undefined, message: string, readonly param?: string) {
    super(message);
  }
}
export const invalid = (message: string, code?: string, param?: string) => new StripeFailure(400, 'invalid_request_error', code, message, param);
export const missing = (kind: string, id: string, status = 404) => new StripeFailure(status, 'invalid_request_error', 'resource_missing', `No such ${kind}: '${id}'`, 'id');

export const now = () => Math.floor(Date.now() / 1000);
export const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;
export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
export const obj = (v: unknown): Params => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Params) : {});
export const metadataOf = (v: unknown) => ({ ...obj(v) }) as Record<string, string>;
export const amountOf = (v: unknown, param: string): number => {
  const n = Number(v);
  if (typeof v !== 'string' || !Number.isInteger(n) || n < 0) throw invalid(`Invalid integer: ${String(v)}`, 'parameter_invalid_integer', param);
  return n;
};
export function addInterval(seconds: number, interval: string): number {
  const d = new Date(seconds * 1000);
  if (interval === 'year') d.setUTCFullYear(d.getUTCFullYear() + 1);
  else d.setUTCMonth(d.getUTCMonth() + 1);
  return Math.floor(d.getTime() / 1000);
}

export function createFakeStripeApi(baseUrl: () => string) {
  const store = new Map<string, Obj>();
  const events: StripeEvent[] = [];

  const put = <T extends Obj>(o: T): T => (store.set(o.id, o), o);
  function get(id: string, kind: string, status = 404): Obj {
    const found = store.get(id);
    if (!found || found.object !== kind) throw missing(kind, id, status);
    return found;
  }
  function emit(type: string, object: Obj, previous?: Params): StripeEvent {
    const data = { object: structuredClone(render(object, [])) as Obj, ...(previous ? { previous_attributes: previous } : {}) };
    const event: StripeEvent = { id: newId('evt'), object: 'event', api_version: Stripe.API_VERSION, created: now(), livemode: false, pending_webhooks: 1, type, data };
    events.push(event);
    return event;
  }

  // ---- the REST endpoints ------------------------------------------------------------
  function createSession(p: Params): Obj {
    const mode = str(p.mode);
    if (mode !== 'payment' && mode !== 'subscription') throw invalid('Invalid mode: must be one of payment, setup or subscription', 'parameter_invalid_string', 'mode');
    const items = Array.isArray(p.line_items) ? p.line_items : [];
    if (items.length !== 1) throw invalid('Exactly one line item is supported here', 'parameter_missing', 'line_items');
    const price = obj(obj(items[0]).price_data);
    const name = str(obj(price.product_data).name);
    if (!name) throw invalid('Missing required param: line_items[0][price_data][product_data][name].', 'parameter_missing', 'line_items[0][price_data][product_data][name]');
    const currency = str(price.currency);
    if (!currency || currency !== currency.toLowerCase()) throw invalid(`Invalid currency: ${String(currency)}`, 'parameter_invalid_string', 'line_items[0][price_data][currency]');
    const unitAmount = amountOf(price.unit_amount, 'line_items[0][price_data][unit_amount]');
    const interval = str(obj(price.recurring).interval);
    if (mode === 'subscription' && !interval) throw invalid('You must specify `price_data.recurring` in subscription mode.', 'parameter_missing', 'line_items[0][price_data][recurring]');
    if (mode === 'payment' && interval) throw invalid('You specified `payment` mode but passed a recurring price.', 'parameter_invalid_string', 'line_items[0][price_data][recurring]');
    const intentData = obj(p.payment_intent_data);
    if (mode === 'subscription' && p.payment_intent_data) throw invalid('You can not pass `payment_intent_data` in `subscription` mode.', undefined, 'payment_intent_data');
    const destination = str(obj(intentData.transfer_data).destination);
    if (destination) get(destination, 'account', 400);
    const fee = intentData.application_fee_amount === undefined ? null : amountOf(intentData.application_fee_amount, 'payment_intent_data[application_fee_amount]');
    if (fee !== null && (!destination || fee > unitAmount)) throw invalid('The application fee must go with a destination and not exceed the amount.', undefined, 'payment_intent_data[application_fee_amount]');
    const expiresAt = p.expires_at === undefined ? now() + 86400 : amountOf(p.expires_at, 'expires_at');
    if (expiresAt < now() + 1800 || expiresAt > now() + 86400) throw invalid('The `expires_at` timestamp must be between 30 minutes and 24 hours after Checkout Session creation.', 'parameter_invalid_integer', 'expires_at');
    if (!str(p.success_url)) throw invalid('Missing required param: success_url.', 'parameter_missing', 'success_url');
    const customer = str(p.customer);
    if (customer) get(customer, 'customer', 400);
    const id = newId('cs_test');
    return put({
      id, object: 'checkout.session', mode, status: 'open', payment_status: 'unpaid', url: `${baseUrl()}/pay/${id}`,
      amount_total: unitAmount, currency, metadata: metadataOf(p.metadata), expires_at: expiresAt, created: now(),
      success_url: p.success_url, cancel_url: p.cancel_url ?? null, locale: p.locale ?? null,
      customer: customer ?? null, customer_email: p.customer_email ?? null, payment_intent: null, subscription: null, livemode: false,
      // Not in Stripe's JSON, but what a payment needs later: kept apart from the reply.
      _line: { name, currency, unit_amount: unitAmount, interval },
      _intent: { capture_method: intentData.capture_method === 'manual' ? 'manual' : 'automatic_async', metadata: metadataOf(intentData.metadata), destination, fee },
      _subscription: { metadata: metadataOf(obj(p.subscription_data).metadata) },
    });
  }

  function expireSession(session: Obj): StripeEvent {
    if (session.status !== 'open') throw invalid(`Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${String(session.status)}".`);
    session.status = 'expired';
    session.url = null;
    return emit('checkout.session.expired', session);
  }

  function capture(intent: Obj): Obj {
    if (intent.status !== 'requires_capture') throw invalid(`This PaymentIntent could not be captured because it has a status of ${String(intent.status)}. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.`, 'payment_intent_unexpected_state');
    const charge = get(String(intent.latest_charge), 'charge');
    Object.assign(intent, { status: 'succeeded', amount_received: intent.amount, amount_capturable: 0 });
    Object.assign(charge, { captured: true, amount_captured: charge.amount });
    emit('charge.captured', charge);
    emit('payment_intent.succeeded', intent);
    return intent;
  }

  function cancel(intent: Obj): Obj {
    const cancelable = ['requires_payment_method', 'requires_capture', 'requires_confirmation', 'requires_action'];
    if (!cancelable.includes(String(intent.status))) throw invalid(`You cannot cancel this PaymentIntent because it has a status of ${String(intent.status)}. Only a PaymentIntent with one of the following statuses may be canceled: ${cancelable.join(', ')}.`, 'payment_intent_unexpected_state');
    const wasAuthorized = intent.status === 'requires_capture';
    Object.assign(intent, { status: 'canceled', canceled_at: now(), amount_capturable: 0, cancellation_reason: 'requested_by_customer' });
    if (wasAuthorized) {
      // Releasing an authorization shows on Stripe as the uncaptured charge refunded.
      const charge = get(String(intent.latest_charge), 'charge');
      Object.assign(charge, { refunded: true, amount_refunded: charge.amount });
      emit('charge.refunded', charge);
    }
    emit('payment_intent.canceled', intent);
    return intent;
  }

  function refund(p: Params): Obj {
    const intentId = str(p.payment_intent);
    if (!intentId) throw invalid('One of `charge` or `payment_intent` is required.', 'parameter_missing', 'payment_intent');
    const intent = get(intentId, 'payment_intent', 400);
    if (intent.status !== 'succeeded') throw invalid(`This PaymentIntent (${intentId}) does not have a successful charge to refund.`, 'charge_not_refundable');
    const charge = get(String(intent.latest_charge), 'charge');
    const left = Number(charge.amount) - Number(charge.amount_refunded);
    const amount = p.amount === undefined ? left : amountOf(p.amount, 'amount');
    if (left === 0) throw invalid(`Charge ${charge.id} has already been refunded.`, 'charge_already_refunded');
    if (amount === 0 || amount > left) throw invalid(`Refund amount (${amount}) is greater than unrefunded amount on charge (${left})`, 'amount_too_large', 'amount');
    const reverse = p.reverse_transfer === 'true';
    if ((reverse || p.refund_application_fee === 'true') && !intent.transfer_data) throw invalid('This charge has no transfer to reverse and no application fee to refund.', undefined, 'reverse_transfer');
    Object.assign(charge, { amount_refunded: Number(charge.amount_refunded) + amount, refunded: Number(charge.amount_refunded) + amount === charge.amount });
    const created = put({
      id: newId('re'), object: 'refund', amount, currency: intent.currency, payment_intent: intent.id, charge: charge.id, status: 'succeeded',
      metadata: metadataOf(p.metadata), created: now(), transfer_reversal: reverse ? newId('trr') : null,
      source_transfer_reversal: null, _refund_application_fee: p.refund_application_fee === 'true',
    });
    emit('refund.created', created);
    emit('charge.refunded', charge);
    return created;
  }

  function createAccount(p: Params): Obj {
    if (p.type !== 'express') throw invalid('Only express accounts are supported here.', 'parameter_invalid_string', 'type');
    const capabilities = Object.fromEntries(Object.entries(obj(p.capabilities)).filter(([, v]) => obj(v).requested === 'true').map(([k]) => [k, 'inactive']));
    return put({
      id: newId('acct'), object: 'account', type: 'express', email: p.email ?? null, country: p.country ?? 'FR', capabilities,
      charges_enabled: false, payouts_enabled: false, details_submitted: false, metadata: metadataOf(p.metadata), created: now(),
    });
  }

  function route(method: string, path: string, p: Params): Obj {
    const parts = path.split('/').filter(Boolean);
    const [v1, a, b, c, d] = parts;
    if (v1 !== 'v1') throw invalid(`Unrecognized request URL (${method}: ${path}).`);
    if (a === 'checkout' && b === 'sessions') {
      if (method === 'POST' && !c) return createSession(p);
      if (method === 'GET' && c && !d) return get(c, 'checkout.session');
      if (method === 'POST' && c && d === 'expire') {
        const session = get(c, 'checkout.session');
        expireSession(session);
        return session;
      }
    }
    if (a === 'payment_intents' && b) {
      if (method === 'GET' && !c) return get(b, 'payment_intent');
      if (method === 'POST' && c === 'capture') return capture(get(b, 'payment_intent'));
      if (method === 'POST' && c === 'cancel') return cancel(get(b, 'payment_intent'));
    }
    if (method === 'POST' && a === 'refunds' && !b) return refund(p);
    if (method === 'POST' && a === 'customers' && !b) {
      return put({ id: newId('cus'), object: 'customer', email: p.email ?? null, name: p.name ?? null, metadata: metadataOf(p.metadata), created: now() });
    }
    if (method === 'GET' && a === 'subscriptions' && b && !c) return get(b, 'subscription');
    if (method === 'POST' && a === 'billing_portal' && b === 'sessions' && !c) {
      const customer = get(str(p.customer) ?? '', 'customer', 400);
      const id = newId('bps');
      return put({ id, object: 'billing_portal.session', customer: customer.id, return_url: p.return_url ?? null, locale: p.locale ?? null, url: `${baseUrl()}/portal/${id}`, created: now() });
    }
    if (method === 'POST' && a === 'accounts' && !b) return createAccount(p);
    if (method === 'GET' && a === 'accounts' && b && !c) return get(b, 'account');
    if (method === 'POST' && a === 'account_links' && !b) {
      const account = get(str(p.account) ?? '', 'account', 400);
      if (p.type !== 'account_onboarding' && p.type !== 'account_update') throw invalid('Invalid type.', 'parameter_invalid_string', 'type');
      return { id: '', object: 'account_link', url: `${baseUrl()}/onboard/${account.id}`, created: now(), expires_at: now() + 300 };
    }
    throw invalid(`Unrecognized request URL (${method}: ${path}).`);
  }

  /** The JSON Stripe sends: internal fields dropped, expand[] paths replaced by objects. */
  function render(o: Obj, expand: unknown): Params {
    const out: Params = Object.fromEntries(Object.entries(o).filter(([k]) => !k.startsWith('_')));
    for (const field of Array.isArray(expand) ? expand : []) {
      const id = out[String(field)];
      if (typeof id === 'string' && store.has(id)) out[String(field)] = render(store.get(id)!, []);
    }
    return out;
  }

  return { store, events, put, get, emit, route, render, expireSession };
}
