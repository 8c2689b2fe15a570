// A mentor's free slots in the API (/api/v1): the slot engine's answer, as the booking
// modal lists it (same service, computed in the mentor's zone, so DST-proof).
import { DateTime } from 'luxon';
import type { Deps } from '../composition.ts';
import type { ApiBuilder, OperationSpec } from '../lib/api/operation.ts';
import { z } from '../lib/api/openapi.ts';
import { FieldRuleError, NotFoundError } from '../lib/errors.ts';
import { DURATIONS } from '../skills/model.ts';
import type { Duration } from './engine.ts';

const MAX_DAYS = 31;
const DEFAULT_DAYS = 7;

/** A skill asked for that cannot give slots of this mentor at this duration. */
class SlotQueryError extends FieldRuleError {
  readonly code = 'slot_query_invalid';
}

const SlotsQuery = z.object({
  skillId: z.uuid().optional().openapi({ description: 'A one-on-one skill of the mentor: its durations apply (default: its shortest)' }),
  duration: z.coerce.number().pipe(z.union(DURATIONS.map((d) => z.literal(d)))).optional().openapi({ type: 'integer', enum: [...DURATIONS], description: 'Minutes (default: the skill\'s shortest, else 60)' }),
  from: z.iso.datetime({ offset: true }).optional().openapi({ description: 'Default: now' }),
  to: z.iso.datetime({ offset: true }).optional().openapi({ description: `Default: ${DEFAULT_DAYS} days after from; at most ${MAX_DAYS} days after it` }),
}).superRefine((v, ctx) => {
  if (!v.from || !v.to) return;
  const span = Date.parse(v.to) - Date.parse(v.from);
  if (span <= 0) ctx.addIssue({ code: 'custom', path: ['to'], message: 'slots.api.rangeOrder' });
  else if (span > MAX_DAYS * 86_400_000) ctx.addIssue({ code: 'custom', path: ['to'], message: 'slots.api.rangeTooLong', max: MAX_DAYS } as never);
});

const Slots = z.object({
  mentorId: z.uuid(),
  skillId: z.uuid().nullable(),
  duration: z.number().int(),
  timezone: z.string().openapi({ description: 'The mentor\'s IANA zone (the slots follow its daylight-saving changes)' }),
  slots: z.array(z.object({
    startsAt: z.iso.datetime(),
    endsAt: z.iso.datetime(),
    available: z.boolean().openapi({ description: 'false when the caller already has a session at that time' }),
  })),
}).openapi('AvailableSlots');

export function slotsApi(deps: Deps, api: ApiBuilder): void {
  const { users, bookings, slots } = deps.services;

  const spec = {
    method: 'get', path: '/mentors/{id}/slots', operationId: 'listMentorSlots', tags: ['Catalogue'], access: 'public',
    summary: 'A mentor\'s free slots',
    params: z.object({ id: z.uuid() }),
    query: SlotsQuery,
    responses: { 200: { description: 'The free slots, earliest first', schema: Slots } },
    errors: [404],
    // Every booking or hold changes them: a client revalidates each time (a 304 when nothing moved).
    cacheControl: 'no-cache',
    async handler({ params, query, user }) {
      const mentor = await users.findPublicMentorById(params.id);
      if (!mentor) throw new NotFoundError();
      const skill = query.skillId ? await bookings.bookableSkill(query.skillId) : undefined;
      if (skill && skill.mentorId !== mentor.id) throw new SlotQueryError('skillId', 'slots.api.otherMentor');
      if (skill && skill.mode !== 'one_on_one') throw new SlotQueryError('skillId', 'slots.api.groupSkill');
      const duration = query.duration ?? (skill ? Math.min(...skill.durations) : 60);
      if (skill && !skill.durations.includes(duration)) throw new SlotQueryError('duration', 'bookings.rule.durationNotOffered');
      const from = query.from ? new Date(query.from) : deps.clock.now();
      const to = query.to ? new Date(query.to) : DateTime.fromJSDate(from).plus({ days: DEFAULT_DAYS }).toJSDate();
      const free = await slots.freeSlotsFor(mentor, { durationMinutes: duration as Duration, exceptHoldOf: user?.id, from, to });
      return {
        body: {
          mentorId: mentor.id, skillId: skill?.id ?? null, duration, timezone: mentor.timezone,
          slots: free.map((s) => ({ startsAt: s.start.toISOString(), endsAt: s.end.toISOString(), available: !s.conflict })),
        },
      };
    },
  } satisfies OperationSpec<z.ZodObject<{ id: z.ZodUUID }>, typeof SlotsQuery, undefined>;

  api.operation(spec);
  // The seed specification's name (002: GET /api/mentors/{id}/available-slots).
  api.operation({ ...spec, path: '/mentors/{id}/available-slots', operationId: 'listMentorAvailableSlots', tags: ['Aliases'], aliasOf: '/mentors/{id}/slots' });
}
