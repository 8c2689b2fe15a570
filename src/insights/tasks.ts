// The insights' jobs. One list: each part of the feature adds its tasks and schedules here.
import type { Deps } from '../composition.ts';
import type { FeatureJobs } from '../lib/jobs.ts';

export const PRUNE_SALTS_TASK = 'insights-prune-salts';

export function insightJobs(deps: Deps): FeatureJobs {
  const { insightCapture } = deps.services;
  return {
    tasks: {
      // Once a day's salt is gone, that day's visitor hashes can no longer be recomputed from an address.
      [PRUNE_SALTS_TASK]: async () => {
        const deleted = await insightCapture.salts.prune();
        if (deleted) deps.logger.info({ deleted }, 'old visitor salts deleted');
      },
    },
    crontab: [
      // Hourly rather than daily: a missed run (no worker at that minute) costs an hour, not a day.
      `7 * * * * ${PRUNE_SALTS_TASK}`,
    ],
  };
}
