import express, { Router } from 'express';
import type { Deps } from '../composition.ts';
import { requireUser } from '../lib/guards.ts';
import { paymentHandlers } from './handlers.ts';
import { simulatedProviderHandlers } from './simulated-handlers.ts';
import { subscriptionHandlers } from './subscription-handlers.ts';

/** Mounted before cookies, sessions and CSRF: a provider has none, the signature is its proof. */
export function paymentWebhookRoutes(deps: Deps): Router {
  const h = paymentHandlers(deps);
  const router = Router();
  router.post('/webhooks/payments', express.raw({ type: () => true, limit: '256kb' }), h.webhook);
  return router;
}

export function paymentsRoutes(deps: Deps): Router {
  const h = paymentHandlers(deps);
  const router = Router();
  router.get('/checkouts/:id', requireUser, h.show);
  router.get('/checkouts/:id/return', requireUser, h.returned);
  router.get('/checkouts/:id/cancel', requireUser, h.cancelled);
  const subs = subscriptionHandlers(deps);
  router.post('/courses/:slug/checkout', requireUser, subs.buyCourse); //  303 to the provider's payment page
  router.get('/subscription', requireUser, subs.show);
  router.post('/subscription/checkout', requireUser, subs.checkout); //    303 to the provider's payment page
  router.post('/subscription/portal', requireUser, subs.portal); //        303 to the provider's billing portal
  if (deps.simulated) {
    const sim = simulatedProviderHandlers(deps, deps.simulated);
    router.get('/simulated-provider/checkout/:id', sim.checkoutPage);
    router.post('/simulated-provider/checkout/:id', sim.pay);
    router.get('/simulated-provider/portal/:id', sim.portalPage);
    router.post('/simulated-provider/portal/:id/subscriptions/:subscriptionId', sim.portalAction);
    router.get('/simulated-provider/onboarding/:id', sim.onboardingPage);
    router.post('/simulated-provider/onboarding/:id', sim.onboard);
  }
  return router;
}
