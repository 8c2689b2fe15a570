// The insights' jobs: the rollup every minute, the pruning of the events it no longer
// needs, and of the visitor salts of past days.
import type { Deps } from '../composition.ts';
import type { FeatureJobs } from '../lib/jobs.ts';

export const PRUNE_SALTS_TASK = 'insights-prune-salts';

export function insightJobs(deps: Deps): FeatureJobs {
  const { insights, insightCapture } = deps.services;
  return {
    tasks: {
      'insights-rollup': async () => {
        const done = await insights.rollup();
        if (done.backfilled || done.ms > 5000) deps.logger.info(done, 'insights rolled up');
      },
      'insights-prune': async () => {
        const pruned = await insights.prune();
        if (pruned) deps.logger.info({ pruned }, 'insight events pruned');
      },
      // Once a day's salt is gone, that day's visitor hashes can no longer be recomputed from an address.
      [PRUNE_SALTS_TASK]: async () => {
        const deleted = await insightCapture.salts.prune();
        if (deleted) deps.logger.info({ deleted }, 'old visitor salts deleted');
      },
    },
    // The rollup each minute (a lost run is caught up by the next); the pruning hourly (a
    // missed run, with no worker at that minute, costs an hour, not a day).
    crontab: ['* * * * * insights-rollup', '17 * * * * insights-prune', `7 * * * * ${PRUNE_SALTS_TASK}`],
  };
}
