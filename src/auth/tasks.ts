// Jobs of the accounts feature, run by the worker (src/lib/jobs.ts).
import type { Deps } from '../composition.ts';
import type { FeatureJobs } from '../lib/jobs.ts';
import { PASSWORD_RESET_TASK } from './service.ts';

export const API_CLEANUP_TASK = 'api-cleanup';

export function authJobs(deps: Deps): FeatureJobs {
  const { auth, tokens, idempotency } = deps.services;
  return {
    tasks: {
      // The API's spent credentials and answers: refresh tokens past their expiry, idempotency keys past their day.
      [API_CLEANUP_TASK]: async () => {
        await Promise.all([tokens.pruneRefresh(), idempotency.prune()]);
      },
      [PASSWORD_RESET_TASK]: async (payload) => {
        const { email } = (payload ?? {}) as { email?: unknown };
        if (typeof email === 'string') await auth.sendPasswordReset(email);
      },
    },
    crontab: [`17 * * * * ${API_CLEANUP_TASK}`],
  };
}
