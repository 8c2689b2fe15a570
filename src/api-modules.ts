// Every feature's operations of the public API (/api/v1), in the order the document
// lists them. Like src/jobs.ts, the one place that imports each feature's api.ts.
import type { ApiModule } from './api/routes.ts';
import { authApi } from './auth/api.ts';
import { myAvailabilityApi } from './availability/api.ts';
import { availabilityApi } from './availability/public-api.ts';
import { bookingsApi } from './bookings/api.ts';
import { bookingDecisionsApi } from './bookings/decisions-api.ts';
import { conversationsApi } from './conversations/api.ts';
import { coursesApi } from './courses/api.ts';
import { learningApi } from './courses/learning-api.ts';
import { bookingsListApi } from './dashboards/api.ts';
import { reviewsApi } from './reviews/api.ts';
import { skillsApi } from './skills/api.ts';
import { mySkillsApi } from './skills/mine-api.ts';
import { slotsApi } from './slots/api.ts';
import { meApi } from './users/me-api.ts';
import { mentorsApi } from './users/mentors-api.ts';

export const apiModules: ApiModule[] = [
  // Auth and the account
  authApi, meApi,
  // The public catalogue
  skillsApi, mentorsApi, availabilityApi, slotsApi, coursesApi, reviewsApi,
  // A mentor's own
  mySkillsApi, myAvailabilityApi, bookingsListApi, bookingDecisionsApi,
  // A student's own
  bookingsApi, conversationsApi, learningApi,
];
