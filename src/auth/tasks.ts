// Jobs of the accounts feature, run by the worker (src/lib/jobs.ts).
import type { TaskList } from 'graphile-worker';
import type { Deps } from '../composition.ts';
import { authService, PASSWORD_RESET_TASK } from './service.ts';

export function authTasks(deps: Deps): TaskList {
  const auth = authService(deps);
  return {
    [PASSWORD_RESET_TASK]: async (payload) => {
      const { email } = (payload ?? {}) as { email?: unknown };
      if (typeof email === 'string') await auth.sendPasswordReset(email);
    },
  };
}
