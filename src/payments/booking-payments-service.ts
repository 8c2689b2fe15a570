// Paying for a session: a one-on-one request is authorized at checkout and captured
// when the mentor accepts (settlement-service.ts); a group seat is charged at once.
// The booking itself is written only when the provider says the money is there.
import type { Knex } from 'knex';
import type { BookingService, RequestInput } from '../bookings/service.ts';
import { priceFor } from '../bookings/service.ts';
import type { Clock } from '../lib/clock.ts';
import type { Skill } from '../skills/model.ts';
import type { CheckoutService, PurposeHandler } from './checkout-service.ts';
import { PaymentRuleError } from './errors.ts';
import { platformFee } from './policy.ts';

/** Stripe keeps a Checkout open at least 30 minutes; the slot is held as long. */
export const CHECKOUT_MINUTES = 30;

/** Who pays: enough to open a checkout in their name and language. */
export interface Buyer {
  id: string;
  email: string;
  locale: string;
}

export interface PaidStart {
  url: string;
  checkoutId: string;
}

export function bookingPaymentsService(deps: {
  knex: Knex; clock: Clock; bookings: BookingService; checkouts: () => CheckoutService; feePercent: number;
}) {
  const { knex, clock, bookings } = deps;

  /** The mentor's connected account, if it can take charges. */
  async function payableAccount(mentorId: string, db: Knex = knex): Promise<string | undefined> {
    const account = await db('payoutAccounts').where({ mentorId, chargesEnabled: true }).first('providerAccountId');
    return account?.providerAccountId;
  }

  /** What this session costs and what the platform keeps of it (minor units). */
  function quote(skill: Pick<Skill, 'priceCents' | 'durations' | 'currency'>, durationMinutes: number) {
    const amount = priceFor(skill, durationMinutes);
    return { amount, fee: platformFee(amount, deps.feePercent), currency: skill.currency.trim() };
  }

  /**
   * "Pay and send the request": the slot is held for as long as the checkout can
   * last, then the student goes to the provider's page. Nothing is booked yet.
   */
  async function startRequest(student: Buyer, skillId: string, input: RequestInput): Promise<PaidStart> {
    const skill = await bookings.bookableSkill(skillId);
    const { amount, fee, currency } = quote(skill, input.durationMinutes);
    if (amount <= 0) throw new PaymentRuleError('nothingToPay');
    const account = await payableAccount(skill.mentorId);
    if (!account) throw new PaymentRuleError('mentorNotPayable');
    const expiresAt = new Date(clock.now().getTime() + CHECKOUT_MINUTES * 60_000);
    // Re-checks the slot (and the rules) and keeps it for the checkout's lifetime.
    await bookings.hold(student.id, skillId, input.start, input.durationMinutes, new Date(expiresAt.getTime() + 60_000));
    const { checkout, url } = await deps.checkouts().open({
      purpose: 'booking', userId: student.id, email: student.email, locale: student.locale, mentorId: skill.mentorId, skillId,
      draft: { start: input.start.toISOString(), durationMinutes: input.durationMinutes, subject: input.subject, description: input.description ?? null, message: input.message ?? null },
      name: `${skill.title} · ${input.durationMinutes} min`, amount, feeAmount: fee, currency, destinationAccountId: account, captureManually: true, expiresAt,
    });
    return { url, checkoutId: checkout.id };
  }

  /** A paid seat in a group session: charged at checkout (there is nobody to accept). */
  async function startSeat(student: Buyer, skillId: string, input: { subject?: string; message?: string }): Promise<PaidStart> {
    const skill = await bookings.bookableSkill(skillId);
    const { amount, fee, currency } = quote(skill, skill.durations[0]!);
    if (amount <= 0) throw new PaymentRuleError('nothingToPay');
    const account = await payableAccount(skill.mentorId);
    if (!account) throw new PaymentRuleError('mentorNotPayable');
    // The seat's own rules (full, started, already booked, busy) are checked before paying.
    const state = await bookings.seatStateOf(student.id, skill);
    if (state.seat) throw new PaymentRuleError('alreadyBooked');
    if (state.busy) throw new PaymentRuleError('studentBusy');
    if ((skill.capacity ?? 0) - skill.seatsTaken <= 0) throw new PaymentRuleError('sessionFull');
    const { checkout, url } = await deps.checkouts().open({
      purpose: 'seat', userId: student.id, email: student.email, locale: student.locale, mentorId: skill.mentorId, skillId,
      draft: { subject: input.subject ?? null, message: input.message ?? null }, name: skill.title, amount, feeAmount: fee, currency,
      destinationAccountId: account, expiresAt: new Date(clock.now().getTime() + CHECKOUT_MINUTES * 60_000),
    });
    return { url, checkoutId: checkout.id };
  }

  const purposes: { booking: PurposeHandler; seat: PurposeHandler } = {
    booking: {
      async fulfil(trx, checkout) {
        const d = checkout.draft as { start: string; durationMinutes: RequestInput['durationMinutes']; subject: string; description: string | null; message: string | null };
        const booking = await bookings.request(checkout.userId, checkout.skillId!, {
          start: new Date(d.start), durationMinutes: d.durationMinutes, subject: d.subject, description: d.description ?? undefined, message: d.message ?? undefined,
        }, undefined, { db: trx, paid: true });
        return { bookingId: booking.id, capture: booking.status === 'confirmed' };
      },
      async abandon(trx, checkout) {
        // Only this checkout's own slot: the student may have moved the hold to another one since.
        const start = (checkout.draft as { start?: string }).start;
        if (checkout.skillId && start) await trx('slotHolds').where({ studentId: checkout.userId, skillId: checkout.skillId, startsAt: new Date(start) }).del();
      },
      doneUrl: async (c) => `/bookings/${c.bookingId}`,
      backUrl: async (c) => `/skills/${c.skillId}/book`,
    },
    seat: {
      async fulfil(trx, checkout) {
        const d = checkout.draft as { subject: string | null; message: string | null };
        const seat = await bookings.joinGroup(checkout.userId, checkout.skillId!, { subject: d.subject ?? undefined, message: d.message ?? undefined }, undefined, { db: trx, paid: true });
        return { bookingId: seat.id };
      },
      doneUrl: async (c) => `/bookings/${c.bookingId}`,
      backUrl: async (c) => `/skills/${c.skillId}`,
    },
  };

  return { startRequest, startSeat, quote, payableAccount, purposes };
}

export type BookingPaymentsService = ReturnType<typeof bookingPaymentsService>;
