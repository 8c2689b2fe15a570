// Types the booking service's parts share (service.ts, booking-writes.ts, group-seats.ts).
import type { Knex } from 'knex';
import type { Clock } from '../lib/clock.ts';
import type { Jobs } from '../lib/jobs.ts';
import type { NotificationsService } from '../notifications/service.ts';
import type { SlotService } from '../slots/service.ts';

export interface Actor {
  id: string;
  role: 'student' | 'mentor' | 'admin';
}

export interface BookingServiceDeps {
  knex: Knex;
  clock: Clock;
  jobs: Jobs;
  slots: SlotService;
  notifications: NotificationsService;
  meetingBaseUrl: string;
}
