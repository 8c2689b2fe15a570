// Every job the worker knows and every schedule, merged from the features that own
// them: one list for src/server.ts and the tests alike.
import type { TaskList } from 'graphile-worker';
import { authJobs } from './auth/tasks.ts';
import { bookingJobs } from './bookings/tasks.ts';
import type { Deps } from './composition.ts';
import { conversationJobs } from './conversations/tasks.ts';
import { insightJobs } from './insights/tasks.ts';
import type { FeatureJobs } from './lib/jobs.ts';
import { lessonQaJobs } from './lesson-qa/tasks.ts';
import { NOTIFICATION_MAIL_TASK, notificationMailTask } from './notifications/tasks.ts';
import { paymentJobs } from './payments/tasks.ts';
import { reminderJobs } from './reminders/tasks.ts';
import { subscriptionJobs } from './payments/subscription-tasks.ts';
import { slotJobs } from './slots/tasks.ts';
import { scopedTasks } from './observability/job-scope.ts';

function featureJobs(deps: Deps): FeatureJobs[] {
  return [authJobs(deps), bookingJobs(deps), slotJobs(deps), lessonQaJobs(deps), paymentJobs(deps), subscriptionJobs(deps), conversationJobs(deps), reminderJobs(deps), insightJobs(deps)];
}

export function allTasks(deps: Deps): TaskList {
  const features = featureJobs(deps);
  const mailers = Object.assign({}, ...features.map((f) => f.notificationMails ?? {}));
  // Each run in the scope of the request that queued it: its lines and mails carry that reqId.
  return scopedTasks(Object.assign({ [NOTIFICATION_MAIL_TASK]: notificationMailTask(deps, mailers) }, ...features.map((f) => f.tasks)), deps.logger);
}

export function crontab(deps: Deps): string {
  return featureJobs(deps).flatMap((f) => f.crontab ?? []).join('\n');
}
