// A mentor's opening hours in the API (/api/v1): the weekly rules and the upcoming date
// exceptions, in the mentor's zone. Exceptions' private notes stay private.
import type { Deps } from '../composition.ts';
import type { ApiBuilder } from '../lib/api/operation.ts';
import { z } from '../lib/api/openapi.ts';
import { NotFoundError } from '../lib/errors.ts';

const time = z.string().regex(/^\d{2}:\d{2}$/).openapi({ description: 'Local time in the mentor\'s zone (HH:MM)' });

const Availability = z.object({
  mentorId: z.uuid(),
  timezone: z.string().openapi({ description: 'IANA zone of the times below' }),
  weekly: z.array(z.object({ weekday: z.number().int().min(1).max(7).openapi({ description: 'ISO weekday: 1 = Monday' }), start: time, end: time })),
  exceptions: z.array(z.object({
    date: z.iso.date(),
    kind: z.enum(['extra', 'blocked']).openapi({ description: 'extra: hours added that day; blocked: the hours (or the whole day when null) taken away' }),
    start: time.nullable(),
    end: time.nullable(),
  })),
}).openapi('Availability');

const hm = (t: string | null) => (t ? t.slice(0, 5) : null);

export function availabilityApi(deps: Deps, api: ApiBuilder): void {
  api.operation({
    method: 'get', path: '/mentors/{id}/availability', operationId: 'getMentorAvailability', tags: ['Catalogue'], access: 'public',
    summary: 'A mentor\'s weekly hours and upcoming exceptions',
    params: z.object({ id: z.uuid() }),
    responses: { 200: { description: 'The hours', schema: Availability } },
    errors: [404],
    // Hours change seldom, but a mentor who edits them expects to see it soon.
    cacheControl: 'public, max-age=60',
    async handler({ params }) {
      const mentor = await deps.services.users.findPublicMentorById(params.id);
      if (!mentor) throw new NotFoundError();
      const { rules, overrides } = await deps.services.availability.load(mentor.id, mentor.timezone);
      return {
        body: {
          mentorId: mentor.id, timezone: mentor.timezone,
          weekly: rules.filter((r) => r.active).map((r) => ({ weekday: r.weekday, start: hm(r.startTime)!, end: hm(r.endTime)! })),
          exceptions: overrides.map((o) => ({ date: o.date, kind: o.kind, start: hm(o.startTime), end: hm(o.endTime) })),
        },
      };
    },
  });
}
