// The app's side of a checkout: the webhook, the return from the provider's page (the
// provider's state decides, not the URL), leaving it, and the page that says what
// happened when it is not a plain success.
import type { RequestHandler } from 'express';
import type { Deps } from '../composition.ts';
import { BadRequestError } from '../lib/errors.ts';
import { currentUser } from '../lib/guards.ts';
import { redirect, render } from '../lib/render.ts';
import { setFlash } from '../lib/flash.ts';

export function paymentHandlers(deps: Deps) {
  const { checkouts, webhooks } = deps.services;

  /** Provider events: the raw body, for the signature. */
  const webhook: RequestHandler = async (req, res) => {
    if (!Buffer.isBuffer(req.body) || req.body.length === 0) throw new BadRequestError('payments.webhookEmpty');
    const result = await webhooks.receive(req.body, req.get('stripe-signature'));
    res.json({ received: true, applied: result.applied });
  };

  const returned: RequestHandler = async (req, res) => {
    const checkout = await checkouts.returned(currentUser(req).id, String(req.params.id));
    if (checkout.status === 'complete') {
      setFlash(req, { kind: 'success', key: checkout.captureManually ? 'payments.flash.authorized' : 'payments.flash.paid' });
      return redirect(req, res, await checkouts.nextUrl(checkout));
    }
    redirect(req, res, `/checkouts/${checkout.id}`);
  };

  const cancelled: RequestHandler = async (req, res) => {
    const checkout = await checkouts.abandon(currentUser(req).id, String(req.params.id));
    if (checkout.status === 'complete') return redirect(req, res, await checkouts.nextUrl(checkout));
    setFlash(req, { kind: 'info', key: 'payments.flash.abandoned' });
    redirect(req, res, await checkouts.nextUrl(checkout));
  };

  /** Still being paid, failed or expired: say so, with the way on. */
  const show: RequestHandler = async (req, res) => {
    const checkout = await checkouts.reconcile((await checkouts.ownCheckout(currentUser(req).id, String(req.params.id))).id);
    if (checkout.status === 'complete') return redirect(req, res, await checkouts.nextUrl(checkout));
    render(req, res, 'payments/checkout', {
      title: res.locals.t(`payments.checkout.${checkout.status}.title`), checkout, backUrl: await checkouts.nextUrl(checkout),
    });
  };

  return { webhook, returned, cancelled, show };
}
