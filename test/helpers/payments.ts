// Paying through the simulated provider's hosted page, as a student's browser would.
import type supertest from 'supertest';
import { TEST_CARDS } from '../../src/lib/payments/simulated-provider.ts';
import type { TestApp } from './app.ts';

/** The path of an absolute app URL (the provider sends people back to APP_URL). */
export const pathOf = (url: string) => url.replace(/^https?:\/\/[^/]+/, '');

/** Fills the card form on the simulated checkout page; returns the provider's answer. */
export async function payOnCheckout(t: TestApp, agent: supertest.Agent, checkoutUrl: string, card: string = TEST_CARDS.success) {
  const path = pathOf(checkoutUrl);
  const token = await t.csrf(agent, path);
  return agent.post(path).type('form').send({ _csrf: token, card, expiry: '12/30', cvc: '123' });
}

/** Pays and comes back to the app the way the browser would, following the success URL. */
export async function payAndReturn(t: TestApp, agent: supertest.Agent, checkoutUrl: string) {
  const paid = await payOnCheckout(t, agent, checkoutUrl);
  if (paid.status !== 303) throw new Error(`payment failed: ${paid.status}`);
  return agent.get(pathOf(paid.headers.location!));
}
