// Every feature's operations of the public API (/api/v1), in the order the document
// lists them. Like src/jobs.ts, the one place that imports each feature's api.ts.
import type { ApiModule } from './api/routes.ts';
import { availabilityApi } from './availability/api.ts';
import { bookingDecisionsApi } from './bookings/decisions-api.ts';
import { bookingsListApi } from './dashboards/api.ts';
import { skillsApi } from './skills/api.ts';
import { mySkillsApi } from './skills/mine-api.ts';

export const apiModules: ApiModule[] = [skillsApi, mySkillsApi, bookingDecisionsApi, bookingsListApi, availabilityApi];
