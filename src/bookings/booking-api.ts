// POST /bookings (and its seed alias POST /mentors/{id}/book): the booking flow's step 3
// for API clients, with the flow's exact rules, since it calls the same services.
// A paid session is never booked before it is paid: the answer is then a 202 with
// the checkout to pay at (the page's redirect, in API terms), the slot held meanwhile.
import type { Deps } from '../composition.ts';
import type { CurrentUser } from '../lib/current-user.ts';
import type { ApiAnswer, ApiBuilder } from '../lib/api/operation.ts';
import { z } from '../lib/api/openapi.ts';
import { NotFoundError, ValidationError } from '../lib/errors.ts';
import { durationMinutes, slotInput, startsAt, text, toDuration } from './api-inputs.ts';
import { BookingView, bookingView, PaymentRequired } from './api-views.ts';
import { isPaid } from './service.ts';

const details = {
  subject: text(120, 3).optional().openapi({ description: 'What the session is about (default: the skill\'s title)' }),
  description: text(2000).optional(),
  message: text(1000).optional().openapi({ description: 'A note to the mentor; it opens the booking\'s conversation' }),
  holdId: z.uuid().optional().openapi({ description: 'The caller\'s hold of this slot (POST /holds). A live hold of one\'s own is always honoured, with or without it' }),
  useCredit: z.boolean().optional().openapi({ description: 'Pay with a credit of a session package bought for this skill' }),
};

const BookingInput = z.object(slotInput).extend(details).openapi('BookingInput');
const MentorBookingInput = z.object({ skillId: z.uuid().optional().openapi({ description: 'Required when the mentor offers more than one one-on-one skill' }), startsAt, durationMinutes }).extend(details);

const responses = {
  201: { description: 'Booked: pending the mentor\'s answer, or confirmed at once (instant-confirm mentors)', schema: BookingView, headers: { Location: z.string() } },
  202: { description: 'A paid session: pay at `checkoutUrl`; the booking exists once the payment is authorized', schema: PaymentRequired },
};

const DESCRIPTION = 'Refusals name their rule: 409 `slot_taken`, `slot_held` (another student is booking it), `student_busy` (you have another session then); '
  + '422 `rule_too_soon`, `rule_too_far`, `rule_outside_availability`, `rule_duration_not_offered`, `rule_not_enrolled` (a course\'s skill), `rule_not_bookable` (a group session), `rule_self_booking`.';

export function bookingApi(deps: Deps, api: ApiBuilder): void {
  const { bookings, bookingPayments, packages } = deps.services;

  async function book(user: CurrentUser, input: z.infer<typeof BookingInput>): Promise<ApiAnswer> {
    const skill = await bookings.bookableSkill(input.skillId);
    const request = {
      start: new Date(input.startsAt), durationMinutes: toDuration(input.durationMinutes),
      subject: input.subject ?? skill.title.slice(0, 120), description: input.description, message: input.message,
    };
    if (!input.useCredit && isPaid(skill, request.durationMinutes)) {
      const started = await bookingPayments.startRequest(user, skill.id, request);
      return { status: 202, body: { status: 'awaiting_payment', checkoutId: started.checkoutId, checkoutUrl: started.url } };
    }
    const booking = input.useCredit
      ? await packages.bookWithCredit(user.id, skill.id, request)
      : await bookings.request(user.id, skill.id, request, skill);
    return { status: 201, body: bookingView(booking), headers: { Location: `/api/v1/bookings/${booking.id}` } };
  }

  api.operation({
    method: 'post', path: '/bookings', operationId: 'createBooking', tags: ['Student'], access: ['student'], idempotent: true,
    summary: 'Book a session', description: DESCRIPTION,
    body: BookingInput, responses, errors: [404, 409],
    handler: ({ body, user }) => book(user!, body),
  });

  api.operation({
    method: 'post', path: '/mentors/{id}/book', operationId: 'bookMentor', tags: ['Aliases'], access: ['student'], idempotent: true,
    aliasOf: 'POST /bookings', summary: 'Book a session with a mentor',
    description: `\`skillId\` may be left out when the mentor offers exactly one one-on-one skill. ${DESCRIPTION}`,
    params: z.object({ id: z.uuid() }),
    body: MentorBookingInput, responses, errors: [404, 409],
    async handler({ params, body, user, res }) {
      const offered = (await deps.services.skills.listPublicOf(params.id)).filter((s) => s.mode === 'one_on_one');
      if (body.skillId && !offered.some((s) => s.id === body.skillId)) throw new NotFoundError();
      if (!body.skillId && offered.length !== 1) {
        if (!offered.length) throw new NotFoundError();
        throw new ValidationError({ skillId: res.locals.t('validation.required') });
      }
      return book(user!, { ...body, skillId: body.skillId ?? offered[0]!.id });
    },
  });
}
