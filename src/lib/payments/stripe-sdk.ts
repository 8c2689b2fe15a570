// The Stripe SDK, loaded on first use rather than at start-up (~70 ms and its memory):
// a process may serve pages for hours before anyone pays.
import type Stripe from 'stripe';

let loading: Promise<typeof Stripe> | undefined;

export function stripeSdk(): Promise<typeof Stripe> {
  // A failed load is not kept: the next call tries again.
  return (loading ??= import('stripe').then((m) => m.default, (error: unknown) => {
    loading = undefined;
    throw error;
  }));
}
