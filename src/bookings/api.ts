// The student's side of bookings in the public API (/api/v1): one booking, its
// cancellation and its move, and the caller's own sessions. Same services as the
// pages: the booking is loaded through the caller (someone else's is a 404), the
// cancellation follows the policy and refund rules, the move the reschedule service.
import type { Deps } from '../composition.ts';
import type { CurrentUser } from '../lib/current-user.ts';
import type { ApiBuilder } from '../lib/api/operation.ts';
import { z } from '../lib/api/openapi.ts';
import { startsAt, text } from './api-inputs.ts';
import { BookingList, BookingView, bookingView } from './api-views.ts';
import { bookingApi } from './booking-api.ts';
import { holdApi } from './hold-api.ts';
import { isSessionCursor, sessionPage } from './session-list.ts';

const byId = z.object({ id: z.uuid() });
const actor = (u: CurrentUser | undefined) => ({ id: u!.id, role: u!.role });

const RescheduleResult = z.object({
  moved: z.boolean().openapi({ description: 'true: the booking moved at once; false: the other side must accept `proposal`' }),
  booking: BookingView,
  proposal: z.object({ id: z.uuid(), startsAt: z.iso.datetime() }).nullable(),
}).openapi('RescheduleResult');

const sessionsQuery = z.object({
  when: z.enum(['upcoming', 'past']).optional().openapi({ description: 'upcoming: live and not over, soonest first; past: over or called off, latest first; neither: all, latest first' }),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).refine(isSessionCursor, { error: 'validation.format' }).optional(),
});

export function bookingsApi(deps: Deps, api: ApiBuilder): void {
  const { bookings, reschedule } = deps.services;
  holdApi(deps, api);
  bookingApi(deps, api);

  api.operation({
    method: 'get', path: '/bookings/{id}', operationId: 'getBooking', tags: ['Student'], access: 'user',
    summary: 'One booking', description: 'Either party or an admin; anyone else gets a 404.',
    params: byId, responses: { 200: { description: 'The booking', schema: BookingView } }, errors: [404],
    async handler({ params, user }) {
      return { body: bookingView(await bookings.findForUser(actor(user), params.id)) };
    },
  });

  api.operation({
    method: 'post', path: '/bookings/{id}/cancellation', operationId: 'cancelBooking', tags: ['Student'], access: 'user',
    summary: 'Cancel a booking',
    description: 'Either party, before the start. A paid session is refunded by the mentor\'s policy (all of it when the mentor cancels). 409 `invalid_transition` when it can no longer be cancelled.',
    params: byId, body: z.object({ reason: text(500, 3) }),
    responses: { 200: { description: 'Cancelled', schema: BookingView } }, errors: [403, 404, 409],
    async handler({ params, body, user }) {
      return { body: bookingView(await bookings.cancel(actor(user), params.id, body.reason)) };
    },
  });

  api.operation({
    method: 'post', path: '/bookings/{id}/reschedule', operationId: 'rescheduleBooking', tags: ['Student'], access: 'user',
    summary: 'Move a booking to another time',
    description: 'A student moves a pending request (or a session of an instant-confirm mentor) at once (200); otherwise the new time is a proposal the other side answers (201), held meanwhile.',
    params: byId, body: z.object({ startsAt }),
    responses: {
      200: { description: 'Moved', schema: RescheduleResult },
      201: { description: 'Proposed to the other side', schema: RescheduleResult },
    },
    errors: [404, 409],
    async handler({ params, body, user }) {
      const result = await reschedule.propose(actor(user), params.id, new Date(body.startsAt));
      const proposal = result.moved ? null : { id: result.proposal.id, startsAt: result.proposal.startsAt.toISOString() };
      return { status: result.moved ? 200 : 201, body: { moved: result.moved, booking: bookingView(result.booking), proposal } };
    },
  });

  const listSessions = (operationId: string, path: string, alias?: string) => api.operation({
    method: 'get', path, operationId, tags: [alias ? 'Aliases' : 'Student'], access: 'user', aliasOf: alias,
    summary: 'My sessions', description: 'The caller\'s own bookings, on either side, a page at a time (keyset cursor: stable under inserts).',
    query: sessionsQuery, responses: { 200: { description: 'A page of bookings', schema: BookingList } },
    async handler({ query, user }) {
      const page = await sessionPage(deps.knex, user!.id, deps.clock.now(), query);
      return { body: { items: page.items.map(bookingView), nextCursor: page.nextCursor } };
    },
  });
  listSessions('listSessions', '/sessions');
  listSessions('listMentorshipSessions', '/mentorship/sessions', 'GET /sessions');
}
