// The insights' jobs: the rollup every minute, and the pruning of events it no longer needs.
import type { Deps } from '../composition.ts';
import type { FeatureJobs } from '../lib/jobs.ts';

export function insightJobs(deps: Deps): FeatureJobs {
  const { insights } = deps.services;
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
    },
    // The rollup each minute (a lost run is caught up by the next); the pruning hourly.
    crontab: ['* * * * * insights-rollup', '17 * * * * insights-prune'],
  };
}
