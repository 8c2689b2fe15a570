// A lesson's video as a URL valid five minutes (SECURE_URL_TTL_SECONDS): the rule of
// access.ts decides, the storage signs. One function for the JSON endpoint of the
// lesson page and the API, so both answer the same URL under the same rule.
import type { Knex } from 'knex';
import type { Clock } from '../lib/clock.ts';
import type { CurrentUser } from '../lib/current-user.ts';
import { NotFoundError } from '../lib/errors.ts';
import { SECURE_URL_TTL_SECONDS } from '../lib/signed-urls.ts';
import type { Storage } from '../lib/storage.ts';
import { accessError, canWatchLesson, type SubscriptionCheck } from './access.ts';

export interface VideoUrlDeps {
  knex: Knex;
  clock: Clock;
  storage: Pick<Storage, 'url'>;
  subscriptions: SubscriptionCheck;
}

export async function lessonVideoUrl(deps: VideoUrlDeps, user: CurrentUser | undefined, lessonId: string): Promise<{ url: string; expiresAt: Date }> {
  const decision = await canWatchLesson({ knex: deps.knex, subscriptions: deps.subscriptions }, user, lessonId);
  if (typeof decision === 'string') throw accessError(decision);
  const key = decision.lesson.videoKey;
  // A text-only lesson has nothing to watch.
  if (!key) throw new NotFoundError();
  // Whole seconds, as the storages sign them, so expiresAt is the URL's real end.
  const expiresAt = new Date((Math.floor(deps.clock.now().getTime() / 1000) + SECURE_URL_TTL_SECONDS) * 1000);
  const url = await deps.storage.url(key, { expiresInSeconds: SECURE_URL_TTL_SECONDS });
  return { url, expiresAt };
}
