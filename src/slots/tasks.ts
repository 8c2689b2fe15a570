// Keeps each mentor's first free slot fresh: after each change of their calendar
// (queued in that transaction), and every five minutes as time moves the notice window.
import type { Deps } from '../composition.ts';
import type { FeatureJobs } from '../lib/jobs.ts';

export function slotJobs(deps: Deps): FeatureJobs {
  const { nextFree } = deps.services;
  return {
    tasks: {
      'refresh-next-free': async (payload) => {
        const { mentorId } = (payload ?? {}) as { mentorId?: string };
        await nextFree.refresh(mentorId ? [mentorId] : undefined);
      },
    },
    crontab: ['*/5 * * * * refresh-next-free'],
  };
}
