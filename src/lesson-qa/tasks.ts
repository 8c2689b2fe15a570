// Mail about lesson questions: to the course's educators (their notification) and
// to the shadow admin, who has no users row and so no notification.
import type { Deps } from '../composition.ts';
import type { FeatureJobs } from '../lib/jobs.ts';
import { ADMIN_QUESTION_MAIL_TASK } from './service.ts';

export function lessonQaJobs(deps: Deps): FeatureJobs {
  const { questionMails } = deps.services;
  return {
    tasks: {
      [ADMIN_QUESTION_MAIL_TASK]: async (payload) => {
        const { commentId } = (payload ?? {}) as { commentId?: unknown };
        if (typeof commentId === 'string') await questionMails.toAdmin(commentId);
      },
    },
    notificationMails: { lesson: (n) => questionMails.toRecipient(n) },
  };
}
