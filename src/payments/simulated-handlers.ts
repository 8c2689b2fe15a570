// The simulated provider's hosted pages: checkout (a card form with Stripe's test
// cards), the billing portal and Connect onboarding. They stand where Stripe's own pages
// would, so they talk only to the provider, never to our ledger: what happens here
// reaches the app as signed events, like Stripe's.
import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { Deps } from '../composition.ts';
import type { Translate } from '../i18n/index.ts';
import { NotFoundError } from '../lib/errors.ts';
import { ProviderError } from '../lib/payments/port.ts';
import { TEST_CARDS, type SimulatedProvider } from '../lib/payments/simulated-provider.ts';
import { redirect, render } from '../lib/render.ts';
import { fieldErrors, formValues } from '../lib/validation.ts';
import { setFlash } from '../lib/flash.ts';

const cardSchema = z.object({
  card: z.string().trim().min(1, 'payments.card.required').max(40).regex(/^[\d\s-]+$/, 'payments.card.digits'),
  expiry: z.string().trim().regex(/^(0[1-9]|1[0-2])\s*\/\s*\d{2}$/, 'payments.card.expiry'),
  cvc: z.string().trim().regex(/^\d{3,4}$/, 'payments.card.cvc'),
});
const portalSchema = z.object({ action: z.enum(['cancel', 'resume', 'switch']) });
const onboardingSchema = z.object({ businessName: z.string().trim().min(2, 'payments.onboarding.nameRequired').max(120), iban: z.string().trim().regex(/^[A-Z]{2}\d{2}[A-Z0-9 ]{10,34}$/i, 'payments.onboarding.ibanInvalid') });

export function simulatedProviderHandlers(_deps: Deps, sim: SimulatedProvider) {
  const checkoutPage: RequestHandler = async (req, res) => {
    const view = await sim.checkoutView(String(req.params.id));
    if (!view) throw new NotFoundError();
    render(req, res, 'payments/simulated-checkout', { title: res.locals.t('payments.sim.title'), session: view, cards: TEST_CARDS, values: {} });
  };

  const pay: RequestHandler = async (req, res) => {
    const id = String(req.params.id);
    const view = await sim.checkoutView(id);
    if (!view) throw new NotFoundError();
    const t = res.locals.t as Translate;
    const values = formValues(req);
    const again = (errors: Record<string, string>, status: number) =>
      render(req, res, 'payments/simulated-checkout', { title: t('payments.sim.title'), session: view, cards: TEST_CARDS, values, errors }, { status });
    // A second press after the payment went through: the student goes on, not to an error.
    if (view.status === 'complete') return redirect(req, res, view.successUrl);
    if (view.status !== 'open') return again({ card: t('payments.sim.closed') }, 409);
    const parsed = cardSchema.safeParse(req.body);
    if (!parsed.success) return again(fieldErrors(parsed.error, t), 422);
    try {
      const result = await sim.payCheckout(id, parsed.data.card);
      if (result.outcome === 'paid') return redirect(req, res, result.successUrl);
      return again({ card: t(`payments.sim.declined.${result.code}`) }, 402);
    } catch (error) {
      if (error instanceof ProviderError) {
        const now = await sim.checkoutView(id);
        if (now?.status === 'complete') return redirect(req, res, now.successUrl);
        return again({ card: t('payments.sim.closed') }, 409);
      }
      throw error;
    }
  };

  const portalPage: RequestHandler = async (req, res) => {
    const view = await sim.portalView(String(req.params.id));
    if (!view || view.expired) throw new NotFoundError();
    render(req, res, 'payments/simulated-portal', { title: res.locals.t('payments.sim.portalTitle'), portal: view });
  };

  const portalAction: RequestHandler = async (req, res) => {
    const parsed = portalSchema.safeParse(req.body);
    if (!parsed.success) throw new NotFoundError();
    try {
      await sim.portalAction(String(req.params.id), String(req.params.subscriptionId), parsed.data.action);
    } catch (error) {
      if (error instanceof ProviderError) throw new NotFoundError();
      throw error;
    }
    setFlash(req, { kind: 'success', key: `payments.sim.portalDone.${parsed.data.action}` });
    redirect(req, res, `/simulated-provider/portal/${String(req.params.id)}`);
  };

  const onboardingPage: RequestHandler = async (req, res) => {
    const view = await sim.onboardingView(String(req.params.id));
    if (!view) throw new NotFoundError();
    if (view.expired) return redirect(req, res, view.refreshUrl);
    render(req, res, 'payments/simulated-onboarding', { title: res.locals.t('payments.sim.onboardingTitle'), link: view, values: {} });
  };

  const onboard: RequestHandler = async (req, res) => {
    const id = String(req.params.id);
    const view = await sim.onboardingView(id);
    if (!view) throw new NotFoundError();
    const t = res.locals.t as Translate;
    const parsed = onboardingSchema.safeParse(req.body);
    if (!parsed.success) {
      return render(req, res, 'payments/simulated-onboarding', { title: t('payments.sim.onboardingTitle'), link: view, values: formValues(req), errors: fieldErrors(parsed.error, t) }, { status: 422 });
    }
    redirect(req, res, await sim.completeOnboarding(id, { businessName: parsed.data.businessName }));
  };

  return { checkoutPage, pay, portalPage, portalAction, onboardingPage, onboard };
}
