import type { Deps } from '../composition.ts';
import { notificationsService } from '../notifications/service.ts';
import { slotService } from '../slots/service.ts';
import { bookingService } from './service.ts';

/** The booking service wired to the app's dependencies. */
export function makeBookingService(deps: Deps) {
  return bookingService({
    knex: deps.knex, clock: deps.clock, jobs: deps.jobs, slots: slotService(deps),
    notifications: notificationsService(deps), meetingBaseUrl: deps.config.meetingBaseUrl,
  });
}
