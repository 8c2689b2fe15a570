// A local Stripe for tests: a node:http server speaking enough of the v1 REST API for
// the payments port (form-encoded bodies, Stripe-shaped JSON and errors, idempotency
// keys, expand[]), so the real SDK runs against it with no network and no mocks.
// What a customer or Stripe itself would do (pay, decline, renew, onboard) is a plain
// method returning the events it caused, for the test to sign and post to the app.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import qs from 'qs';
import Stripe from 'stripe';
import { addInterval, createFakeStripeApi, metadataOf, newId, now, obj, str, StripeFailure, type Obj, type Params, type StripeEvent } from './fake-stripe-api.ts';

export type { StripeEvent } from './fake-stripe-api.ts';

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

export async function startFakeStripe() {
  const requests: RecordedRequest[] = [];
  const replies = new Map<string, { fingerprint: string; status: number; body: unknown }>();
  const injected: { method: string; path: string; failure: StripeFailure }[] = [];
  let base = '';
  const api = createFakeStripeApi(() => base);
  const { put, get, emit, render, events, store } = api;

  function handle(method: string, path: string, headers: http.IncomingHttpHeaders, p: Params): { status: number; body: unknown } {
    if (!String(headers.authorization ?? '').startsWith('Bearer sk_')) {
      return { status: 401, body: { error: { type: 'invalid_request_error', message: 'Invalid API Key provided.' } } };
    }
    const index = injected.findIndex((f) => f.method === method && path.startsWith(f.path));
    try {
      if (index >= 0) throw injected.splice(index, 1)[0]!.failure;
      return { status: 200, body: render(api.route(method, path, p), p.expand) };
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
        // Like Stripe, a request that reached its endpoint is remembered whatever its
        // outcome; one refused before (bad key, invalid parameters) may be retried as is.
        const code = (reply.body as { error?: { code?: string } }).error?.code ?? '';
        if (method === 'POST' && idempotencyKey && reply.status !== 401 && !code.startsWith('parameter_')) replies.set(idempotencyKey, { fingerprint, ...reply });
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
    // Stripe completes a manual-capture session 'unpaid' while the authorization is held.
    Object.assign(session, { status: 'complete', payment_status: manual ? 'unpaid' : 'paid', url: null });
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
    expireCheckout: (sessionId: string) => [api.expireSession(get(sessionId, 'checkout.session'))],
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
