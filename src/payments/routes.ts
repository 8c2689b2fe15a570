import express, { Router } from 'express';
import type { Deps } from '../composition.ts';
import { requireRole, requireUser } from '../lib/guards.ts';
import { adminPaymentsHandlers } from './admin-payments-handlers.ts';
import { packageHandlers } from './package-handlers.ts';
import { reportHandlers } from './report-handlers.ts';
import { paymentHandlers } from './handlers.ts';
import { payoutHandlers } from './payouts-handlers.ts';
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
  const p = payoutHandlers(deps);
  const packs = packageHandlers(deps);
  const reports = reportHandlers(deps);
  const admin = adminPaymentsHandlers(deps);
  const subs = subscriptionHandlers(deps);
  const mentor = requireRole('mentor');
  const isAdmin = requireRole('admin');
  const router = Router();
  router.get('/checkouts/:id', requireUser, h.show);
  router.get('/checkouts/:id/return', requireUser, h.returned);
  router.get('/checkouts/:id/cancel', requireUser, h.cancelled);
  router.get('/payouts', mentor, p.page);
  router.post('/payouts/onboarding', mentor, p.startOnboarding);
  router.get('/payouts/return', mentor, p.returned);
  router.get('/payouts/refresh', mentor, p.refresh);
  router.post('/payouts/policy', mentor, p.savePolicy);
  router.get('/earnings', mentor, p.earningsPage);
  router.get('/earnings.csv', mentor, p.earningsCsv);
  router.get('/skills/:id/packages', mentor, packs.manage);
  router.post('/skills/:id/packages', mentor, packs.create);
  router.post('/skills/:id/packages/:packageId/deactivation', mentor, packs.deactivate);
  router.post('/skills/:id/packages/:packageId/activation', mentor, packs.activate);
  router.post('/packages/:id/purchases', requireUser, packs.buy);
  router.get('/packages', requireUser, packs.mine);
  router.get('/bookings/:id/report', requireUser, reports.show);
  router.post('/bookings/:id/report', requireUser, reports.create);
  router.get('/admin/payments', isAdmin, admin.page);
  router.get('/admin/payments/:id', isAdmin, admin.show);
  router.post('/admin/payments/:id/refunds', isAdmin, admin.refund);
  router.post('/admin/payments/:id/reports/:reportId/resolution', isAdmin, admin.resolve);
  router.post('/admin/payments/:id/package-purchases/:purchaseId/refund', isAdmin, admin.refundPackage);
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
