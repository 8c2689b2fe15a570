// The subscription row made exact from the provider, after the checkout that created it
// (the fulfilment cannot call the provider inside the webhook's transaction).
import type { Deps } from '../composition.ts';
import type { FeatureJobs } from '../lib/jobs.ts';
import { SUBSCRIPTION_SYNC_TASK } from './subscription-service.ts';

export function subscriptionJobs(deps: Deps): FeatureJobs {
  return {
    tasks: {
      [SUBSCRIPTION_SYNC_TASK]: (payload) => deps.services.subscriptions.sync(String((payload as { subscriptionId: unknown }).subscriptionId)),
    },
  };
}
