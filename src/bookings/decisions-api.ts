// The mentor's decisions on a booking in the public API: accept, decline, record what
// happened. The same service calls as the booking page, so the same lifecycle rules.
import type { Deps } from '../composition.ts';
import { BookingRow, bookingRow } from '../dashboards/api-views.ts';
import type { ApiBuilder } from '../lib/api/operation.ts';
import { z } from '../lib/api/openapi.ts';
import { confirmSchema, outcomeSchema, reasonSchema } from './schemas.ts';

const id = z.object({ id: z.uuid() });
const answer = { 200: { description: 'The booking in its new state', schema: BookingRow } };
const description = 'Only the booking\'s mentor (another\'s booking is 404); a booking past this step is 409 `invalid_transition`.';

export function bookingDecisionsApi(deps: Deps, api: ApiBuilder): void {
  const { bookings } = deps.services;

  api.operation({
    method: 'post', path: '/bookings/{id}/confirmation', operationId: 'confirmBooking', tags: ['Mentor'], access: ['mentor'],
    summary: 'Accept a pending request',
    description: `${description} Without \`meetingUrl\` a meeting room is made.`,
    params: id, body: confirmSchema.strict(), responses: answer, errors: [404, 409],
    async handler({ params, body, user }) {
      return { body: bookingRow(await bookings.confirm(user!.id, params.id, body)) };
    },
  });

  api.operation({
    method: 'post', path: '/bookings/{id}/rejection', operationId: 'rejectBooking', tags: ['Mentor'], access: ['mentor'],
    summary: 'Decline a pending request',
    description: `${description} The student reads the reason.`,
    params: id, body: reasonSchema.strict(), responses: answer, errors: [404, 409],
    async handler({ params, body, user }) {
      return { body: bookingRow(await bookings.reject(user!.id, params.id, body.reason)) };
    },
  });

  api.operation({
    method: 'post', path: '/bookings/{id}/outcome', operationId: 'recordBookingOutcome', tags: ['Mentor'], access: ['mentor'],
    summary: 'Record what happened: completed or no-show',
    description: `${description} Only a confirmed booking whose end has passed.`,
    params: id, body: outcomeSchema.strict(), responses: answer, errors: [404, 409],
    async handler({ params, body, user }) {
      return { body: bookingRow(await bookings.recordOutcome(user!.id, params.id, body.outcome)) };
    },
  });
}
