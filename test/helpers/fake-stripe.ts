// A local Stripe for tests: a node:http server speaking enough of the v1 REST API for
// the payments port (form-encoded bodies, Stripe-shaped JSON and errors, idempotency
// keys, expand[]), so the real SDK runs against it with no network and no mocks.
// What a customer or Stripe itself would do (pay, decline, renew, onboard) is a plain
// method returning the events it caused, for the test to sign and post to the app.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import qs from 'qs';
import Stripe from 'stripe';

type Obj = Record<string, unknown> & { id: string; object: string };
type Params = Record<string, unknown>;
export type StripeEvent = Obj & { type: string; created: number; data: { object: Obj; previous_attributes?: Params } };

export interface RecordedRequest {
  method: string;
  path: string;
  idempotencyKey: string | undefined;
  /** The form body of a POST, the query of a GET, parsed with brackets. */
  body: Params;
  /** The HTTP status it was answered with. */
  status: number;
}

export const CARDS = { ok: '4242424242424242', declined: '4000000000000002', insufficientFunds: '4000000000009995' } as const;

class StripeFailure extends Error {
  constructor(readonly status: number, readonly type: string, readonly code: string | undefined, message: string, readonly param?: string) {
    super(message);
  }
}
const invalid = (message: string, code?: string, param?: string) => new StripeFailure(400, 'invalid_request_error', code, message, param);
const missing = (kind: string, id: string, status = 404) => new StripeFailure(status, 'invalid_request_error', 'resource_missing', `No such ${kind}: '${id}'`, 'id');

const now = () => Math.floor(Date.now() / 1000);
const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const obj = (v: unknown): Params => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Params) : {});
const metadataOf = (v: unknown) => ({ ...obj(v) }) as Record<string, string>;
const amountOf = (v: unknown, param: string): number => {
  const n = Number(v);
  if (typeof v !== 'string' || !Number.isInteger(n) || n < 0) throw invalid(`Invalid integer: ${String(v)}`, 'parameter_invalid_integer', param);
  return n;
};
function addInterval(seconds: number, interval: string): number {
  const d = new Date(seconds * 1000);
  if (interval === 'year') d.setUTCFullYear(d.getUTCFullYear() + 1);
  else d.setUTCMonth(d.getUTCMonth() + 1);
  return Math.floor(d.getTime() / 1000);
}

export async function startFakeStripe() {
  const store = new Map<string, Obj>();
  const requests: RecordedRequest[] = [];
  const events: StripeEvent[] = [];
  const replies = new Map<string, { fingerprint: string; status: number; body: unknown }>();
  const injected: { method: string; path: string; failure: StripeFailure }[] = [];
  let base = '';

  const put = <T extends Obj>(o: T): T => (store.set(o.id, o), o);
  function get(id: string, kind: string, status = 404): Obj {
    const found = store.get(id);
    if (!found || found.object !== kind) throw missing(kind, id, status);
    return found;
  }
  function emit(type: string, object: Obj, previous?: Params): StripeEvent {
    const data = { object: structuredClone(object), ...(previous ? { previous_attributes: previous } : {}) };
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
      id, object: 'checkout.session', mode, status: 'open', payment_status: 'unpaid', url: `${base}/pay/${id}`,
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
      return put({ id, object: 'billing_portal.session', customer: customer.id, return_url: p.return_url ?? null, locale: p.locale ?? null, url: `${base}/portal/${id}`, created: now() });
    }
    if (method === 'POST' && a === 'accounts' && !b) return createAccount(p);
    if (method === 'GET' && a === 'accounts' && b && !c) return get(b, 'account');
    if (method === 'POST' && a === 'account_links' && !b) {
      const account = get(str(p.account) ?? '', 'account', 400);
      if (p.type !== 'account_onboarding' && p.type !== 'account_update') throw invalid('Invalid type.', 'parameter_invalid_string', 'type');
      return { id: '', object: 'account_link', url: `${base}/onboard/${account.id}`, created: now(), expires_at: now() + 300 };
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

  function handle(method: string, path: string, headers: http.IncomingHttpHeaders, p: Params): { status: number; body: unknown } {
    if (!String(headers.authorization ?? '').startsWith('Bearer sk_')) {
      return { status: 401, body: { error: { type: 'invalid_request_error', message: 'Invalid API Key provided.' } } };
    }
    const index = injected.findIndex((f) => f.method === method && path.startsWith(f.path));
    try {
      if (index >= 0) throw injected.splice(index, 1)[0]!.failure;
      return { status: 200, body: render(route(method, path, p), p.expand) };
    } catch (error) {
      if (!(error instanceof StripeFailure)) throw error;
      const e = { type: error.type, message: error.message, ...(error.code ? { code: error.code } : {}), ...(error.param ? { param: error.param } : {}), ...(error.type === 'card_error' ? { decline_code: error.code } : {}) };
      return { status: error.status, body: { error: e } };
    }
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const method = req.method ?? 'GET';
      const raw = method === 'GET' ? url.search.slice(1) : Buffer.concat(chunks).toString('utf8');
      const body = qs.parse(raw, { depth: 10, arrayLimit: 100 }) as Params;
      const idempotencyKey = str(req.headers['idempotency-key']);
      const recorded: RecordedRequest = { method, path: url.pathname, idempotencyKey, body, status: 0 };
      requests.push(recorded);
      let reply: { status: number; body: unknown };
      const fingerprint = `${method} ${url.pathname} ${raw}`;
      const replayed = method === 'POST' && idempotencyKey ? replies.get(idempotencyKey) : undefined;
      if (replayed && replayed.fingerprint !== fingerprint) {
        reply = { status: 400, body: { error: { type: 'idempotency_error', message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.` } } };
      } else if (replayed) {
        reply = replayed;
        res.setHeader('Idempotent-Replayed', 'true');
      } else {
        reply = handle(method, url.pathname, req.headers, body);
        // Like Stripe, a request that ran is remembered whatever its outcome; one refused
        // before it started (401, malformed) may be retried with the same key.
        if (method === 'POST' && idempotencyKey && reply.status !== 401) replies.set(idempotencyKey, { fingerprint, ...reply });
      }
      recorded.status = reply.status;
      res.writeHead(reply.status, { 'Content-Type': 'application/json', 'Request-Id': newId('req') });
      res.end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  base = `http://127.0.0.1:${port}`;

  // ---- what the customer and Stripe do ------------------------------------------------
  function chargeFor(intent: Obj, paid: boolean, declineCode?: string): Obj {
    return put({
      id: newId('ch'), object: 'charge', amount: intent.amount, amount_captured: 0, amount_refunded: 0, captured: false, refunded: false,
      currency: intent.currency, payment_intent: intent.id, status: paid ? 'succeeded' : 'failed', paid,
      failure_code: declineCode ? 'card_declined' : null, outcome: declineCode ? { type: 'issuer_declined', reason: declineCode } : { type: 'authorized' },
      metadata: { ...metadataOf(intent.metadata) }, transfer_data: intent.transfer_data, application_fee_amount: intent.application_fee_amount, created: now(),
    });
  }

  function paySubscription(session: Obj, line: Params): StripeEvent[] {
    const customer = session.customer ? get(String(session.customer), 'customer')
      : put({ id: newId('cus'), object: 'customer', email: session.customer_email, name: null, metadata: {}, created: now() });
    const start = now();
    const interval = String(line.interval);
    const item = {
      id: newId('si'), object: 'subscription_item', quantity: 1, current_period_start: start, current_period_end: addInterval(start, interval),
      price: { id: newId('price'), object: 'price', currency: line.currency, unit_amount: line.unit_amount, product: newId('prod'), recurring: { interval, interval_count: 1 } },
    };
    const subscription = put({
      id: newId('sub'), object: 'subscription', customer: customer.id, status: 'active', cancel_at_period_end: false, canceled_at: null, ended_at: null,
      metadata: { ...metadataOf(obj(session._subscription).metadata) }, items: { object: 'list', data: [item], has_more: false }, start_date: start, created: start,
    });
    Object.assign(session, { status: 'complete', payment_status: 'paid', customer: customer.id, subscription: subscription.id, url: null });
    return [emit('customer.subscription.created', subscription), invoiceFor(subscription, true), emit('checkout.session.completed', session)];
  }

  function invoiceFor(subscription: Obj, paid: boolean): StripeEvent {
    const item = (subscription.items as { data: Params[] }).data[0]!;
    const price = obj(item.price);
    const invoice = put({
      id: newId('in'), object: 'invoice', customer: subscription.customer, currency: price.currency, amount_due: price.unit_amount,
      amount_paid: paid ? price.unit_amount : 0, status: paid ? 'paid' : 'open', metadata: {}, created: now(),
      parent: { type: 'subscription_details', subscription_details: { subscription: subscription.id, metadata: subscription.metadata } },
      period_start: item.current_period_start, period_end: item.current_period_end,
    });
    return emit(paid ? 'invoice.paid' : 'invoice.payment_failed', invoice);
  }

  function payCheckout(sessionId: string, card: string): StripeEvent[] {
    const session = get(sessionId, 'checkout.session');
    if (session.status !== 'open') throw new Error(`fake Stripe: session ${sessionId} is ${String(session.status)}, it cannot be paid`);
    const decline = { [CARDS.declined]: 'generic_decline', [CARDS.insufficientFunds]: 'insufficient_funds' }[card];
    if (card !== CARDS.ok && !decline) throw new Error(`fake Stripe: unknown test card ${card}`);
    const line = obj(session._line);
    if (session.mode === 'subscription' && !decline) return paySubscription(session, line);
    const want = obj(session._intent);
    // A retry after a decline reuses the session's PaymentIntent, as Checkout does.
    const intent = session.payment_intent ? get(String(session.payment_intent), 'payment_intent') : put({
      id: newId('pi'), object: 'payment_intent', amount: line.unit_amount, amount_capturable: 0, amount_received: 0, currency: line.currency,
      capture_method: want.capture_method, metadata: { ...metadataOf(want.metadata) }, status: 'requires_payment_method', latest_charge: null,
      transfer_data: want.destination ? { destination: want.destination } : null, application_fee_amount: want.fee ?? null,
      customer: session.customer, last_payment_error: null, created: now(),
    });
    session.payment_intent = intent.id;
    const charge = chargeFor(intent, !decline, decline);
    intent.latest_charge = charge.id;
    if (decline) {
      intent.last_payment_error = { type: 'card_error', code: 'card_declined', decline_code: decline, message: 'Your card was declined.' };
      return [emit('charge.failed', charge), emit('payment_intent.payment_failed', intent)];
    }
    const manual = want.capture_method === 'manual';
    Object.assign(intent, manual ? { status: 'requires_capture', amount_capturable: intent.amount } : { status: 'succeeded', amount_received: intent.amount }, { last_payment_error: null });
    if (!manual) Object.assign(charge, { captured: true, amount_captured: charge.amount });
    Object.assign(session, { status: 'complete', payment_status: 'paid', url: null });
    return [
      emit('charge.succeeded', charge),
      emit(manual ? 'payment_intent.amount_capturable_updated' : 'payment_intent.succeeded', intent),
      emit('checkout.session.completed', session),
    ];
  }

  function updateSubscription(id: string, patch: { status?: string; cancel_at_period_end?: boolean; current_period_end?: number; metadata?: Record<string, string> }): StripeEvent[] {
    const subscription = get(id, 'subscription');
    const item = (subscription.items as { data: Params[] }).data[0]!;
    const previous: Params = {};
    for (const [k, v] of Object.entries(patch)) {
      if (k === 'current_period_end') {
        previous.items = structuredClone(subscription.items);
        item.current_period_end = v;
      } else {
        previous[k] = subscription[k];
        subscription[k] = v;
      }
    }
    return [emit('customer.subscription.updated', subscription, previous)];
  }

  return {
    url: base,
    port,
    api: { host: '127.0.0.1', port, protocol: 'http' as const },
    requests,
    events,
    /** Reads a stored object as Stripe would return it (for assertions). */
    object: (id: string) => (store.has(id) ? render(store.get(id)!, []) : undefined),
    payCheckout,
    expireCheckout: (sessionId: string) => [expireSession(get(sessionId, 'checkout.session'))],
    updateSubscription,
    deleteSubscription(id: string): StripeEvent[] {
      const subscription = get(id, 'subscription');
      Object.assign(subscription, { status: 'canceled', canceled_at: now(), ended_at: now() });
      return [emit('customer.subscription.deleted', subscription)];
    },
    /** A renewal: paid moves the period one interval on, unpaid leaves the plan past_due. */
    invoice(subscriptionId: string, paid: boolean): StripeEvent[] {
      const subscription = get(subscriptionId, 'subscription');
      const item = (subscription.items as { data: Params[] }).data[0]!;
      const interval = String(obj(obj(item.price).recurring).interval);
      const previous = { status: subscription.status, items: structuredClone(subscription.items) };
      if (paid) Object.assign(item, { current_period_start: item.current_period_end, current_period_end: addInterval(Number(item.current_period_end), interval) });
      subscription.status = paid ? 'active' : 'past_due';
      return [invoiceFor(subscription, paid), emit('customer.subscription.updated', subscription, previous)];
    },
    enableAccount(id: string): StripeEvent[] {
      const account = get(id, 'account');
      const previous = { charges_enabled: account.charges_enabled, payouts_enabled: account.payouts_enabled, details_submitted: account.details_submitted };
      Object.assign(account, { charges_enabled: true, payouts_enabled: true, details_submitted: true });
      account.capabilities = Object.fromEntries(Object.keys(obj(account.capabilities)).map((k) => [k, 'active']));
      return [emit('account.updated', account, previous)];
    },
    /** The next matching request gets this Stripe error instead (an outage, a declined capture). */
    failNext(method: 'GET' | 'POST', pathPrefix: string, error: { status: number; type: string; code?: string; message: string }): void {
      injected.push({ method, path: pathPrefix, failure: new StripeFailure(error.status, error.type, error.code, error.message) });
    },
    /** The body and Stripe-Signature header Stripe would deliver for this event. */
    sign(event: StripeEvent, secret: string): { payload: string; header: string } {
      const payload = JSON.stringify(event);
      return { payload, header: Stripe.webhooks.generateTestHeaderString({ payload, secret }) };
    },
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}

export type FakeStripe = Awaited<ReturnType<typeof startFakeStripe>>;
