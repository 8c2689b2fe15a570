// POST /holds: the booking modal's "Keep this slot", for API clients. Same service:
// the slot is kept for this student for five minutes, or refused with the reason.
import type { Deps } from '../composition.ts';
import type { ApiBuilder } from '../lib/api/operation.ts';
import { z } from '../lib/api/openapi.ts';
import { slotInput, toDuration } from './api-inputs.ts';

export const HoldView = z.object({
  id: z.uuid(),
  skillId: z.uuid(),
  startsAt: z.iso.datetime(),
  durationMinutes: z.number().int(),
  expiresAt: z.iso.datetime().openapi({ description: 'The slot is yours until then; pass `id` as `holdId` to POST /bookings' }),
}).openapi('Hold');

export function holdApi(deps: Deps, api: ApiBuilder): void {
  api.operation({
    method: 'post', path: '/holds', operationId: 'createHold', tags: ['Student'], access: ['student'], idempotent: true,
    summary: 'Hold a slot while booking',
    description: 'One hold per student and mentor: holding another slot of the same mentor moves it. 409 when the slot is taken or held by someone else.',
    body: z.object(slotInput),
    responses: { 201: { description: 'The slot is held', schema: HoldView } },
    errors: [404, 409],
    async handler({ body, user }) {
      const start = new Date(body.startsAt);
      const held = await deps.services.bookings.hold(user!.id, body.skillId, start, toDuration(body.durationMinutes));
      return {
        status: 201,
        body: { id: held.id, skillId: body.skillId, startsAt: start.toISOString(), durationMinutes: body.durationMinutes, expiresAt: held.expiresAt.toISOString() },
      };
    },
  });
}
