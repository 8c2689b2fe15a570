// Jobs of the accounts feature, run by the worker (src/lib/jobs.ts).
import type { Deps } from '../composition.ts';
import type { FeatureJobs } from '../lib/jobs.ts';
import { PASSWORD_RESET_TASK } from './service.ts';

export function authJobs(deps: Deps): FeatureJobs {
  const { auth } = deps.services;
  return {
    tasks: {
      [PASSWORD_RESET_TASK]: async (payload) => {
        const { email } = (payload ?? {}) as { email?: unknown };
        if (typeof email === 'string') await auth.sendPasswordReset(email);
      },
    },
  };
}
