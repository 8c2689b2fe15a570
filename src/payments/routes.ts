import express, { Router } from 'express';
import type { Deps } from '../composition.ts';
import { requireRole, requireUser } from '../lib/guards.ts';
import { paymentHandlers } from './handlers.ts';
import { payoutHandlers } from './payouts-handlers.ts';
import { simulatedProviderHandlers } from './simulated-handlers.ts';

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
  const p = payoutHandlers(deps);
  const mentor = requireRole('mentor');
  router.get('/payouts', mentor, p.page);
  router.post('/payouts/onboarding', mentor, p.startOnboarding);
  router.get('/payouts/return', mentor, p.returned);
  router.get('/payouts/refresh', mentor, p.refresh);
  router.post('/payouts/policy', mentor, p.savePolicy);
  router.get('/earnings', mentor, p.earningsPage);
  router.get('/earnings.csv', mentor, p.earningsCsv);
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
