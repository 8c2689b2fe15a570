// The Stripe SDK, loaded on first use rather than at start-up (~70 ms and its memory):
// a process may serve pages for hours before anyone pays.
import type Stripe from 'stripe';
import { lazy } from '../lazy.ts';

export const stripeSdk: () => Promise<typeof Stripe> = lazy(async () => (await import('stripe')).default);
