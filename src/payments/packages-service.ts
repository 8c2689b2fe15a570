// Session packages: a mentor sells N sessions of one skill and length at a discount;
// the student pays once (a destination charge like a session) and books later with
// credits. A credit is taken in the booking's own transaction by one conditional
// update, so parallel bookings can never spend the same credit twice; it comes back
// when the booking ends with a full refund (settlement-service.ts `returnCredit`).
import type { Knex } from 'knex';
import type { BookingService, RequestInput } from '../bookings/service.ts';
import { priceFor } from '../bookings/service.ts';
import type { Booking } from '../bookings/model.ts';
import type { Clock } from '../lib/clock.ts';
import { NotFoundError } from '../lib/errors.ts';
import type { BookingPaymentsService, Buyer, PaidStart } from './booking-payments-service.ts';
import { CHECKOUT_MINUTES } from './booking-payments-service.ts';
import type { CheckoutService, PurposeHandler } from './checkout-service.ts';
import { PaymentFieldError, PaymentRuleError } from './errors.ts';
import { packagePrice } from './package-price.ts';
import { platformFee } from './policy.ts';

export interface SessionPackage {
  id: string;
  mentorId: string;
  skillId: string;
  sessions: number;
  durationMinutes: number;
  discountPercent: number;
  active: boolean;
}

export interface PackagePurchase {
  id: string;
  packageId: string;
  studentId: string;
  mentorId: string;
  skillId: string;
  durationMinutes: number;
  creditsTotal: number;
  creditsUsed: number;
  amount: number;
  currency: string;
  expiresAt: Date;
  refundedAt: Date | null;
  paymentId: string | null;
}

/** A pack as the skill page and the checkout show it: its price against the sessions bought one by one. */
export interface PackageOffer extends SessionPackage {
  price: number;
  fullPrice: number;
  currency: string;
}

export type PurchaseState = 'active' | 'used' | 'expired' | 'refunded';

export function purchaseState(p: Pick<PackagePurchase, 'creditsUsed' | 'creditsTotal' | 'expiresAt' | 'refundedAt'>, now: Date): PurchaseState {
  if (p.refundedAt) return 'refunded';
  if (p.creditsUsed >= p.creditsTotal) return 'used';
  if (p.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'active';
}

export function packagesService(deps: {
  knex: Knex; clock: Clock; bookings: BookingService; bookingPayments: BookingPaymentsService; checkouts: () => CheckoutService;
  feePercent: number; validityDays: number;
}) {
  const { knex, clock, bookings } = deps;

  async function ownSkill(mentorId: string, skillId: string) {
    const skill = await knex('skills').where({ id: skillId, mentorId }).first();
    if (!skill) throw new NotFoundError();
    return skill as { id: string; mentorId: string; title: string; mode: string; priceCents: number; durations: number[]; currency: string };
  }

  function offerOf(pack: SessionPackage, skill: { priceCents: number; durations: number[]; currency: string }): PackageOffer {
    const unit = priceFor(skill, pack.durationMinutes);
    return { ...pack, price: packagePrice(unit, pack.sessions, pack.discountPercent), fullPrice: unit * pack.sessions, currency: skill.currency.trim() };
  }

  /** The packs of a skill with their prices; the mentor sees the withdrawn ones too. */
  async function offers(skillId: string, options: { withInactive?: boolean } = {}): Promise<PackageOffer[]> {
    const skill = await knex('skills').where({ id: skillId }).first('priceCents', 'durations', 'currency');
    if (!skill) return [];
    const query = knex('sessionPackages').where({ skillId }).orderBy([{ column: 'durationMinutes' }, { column: 'sessions' }]);
    if (!options.withInactive) query.where({ active: true });
    const packs: SessionPackage[] = await query;
    // A pack whose length the skill no longer offers cannot be booked with: not on sale.
    return packs.filter((p) => options.withInactive || skill.durations.includes(p.durationMinutes)).map((p) => offerOf(p, skill));
  }

  async function create(mentorId: string, skillId: string, input: { sessions: number; durationMinutes: number; discountPercent: number }): Promise<SessionPackage> {
    const skill = await ownSkill(mentorId, skillId);
    if (skill.mode !== 'one_on_one') throw new PaymentRuleError('packageOneOnOneOnly');
    if (!skill.durations.includes(input.durationMinutes)) throw new PaymentFieldError('durationMinutes', 'durationNotOffered');
    if (priceFor(skill, input.durationMinutes) <= 0) throw new PaymentFieldError('durationMinutes', 'packageNeedsPrice');
    const [row] = await knex('sessionPackages').insert({ mentorId, skillId, ...input }).returning('*');
    return row;
  }

  async function setActive(mentorId: string, skillId: string, packageId: string, active: boolean): Promise<void> {
    const n = await knex('sessionPackages').where({ id: packageId, skillId, mentorId }).update({ active, updatedAt: clock.now() });
    if (!n) throw new NotFoundError();
  }

  /** "Buy this pack": the provider's page, charged at once; the credits exist once it is paid. */
  async function startPurchase(student: Buyer, packageId: string): Promise<PaidStart> {
    const pack: SessionPackage | undefined = await knex('sessionPackages').where({ id: packageId, active: true }).first();
    if (!pack) throw new NotFoundError();
    const skill = await bookings.bookableSkill(pack.skillId);
    if (skill.mentorId === student.id) throw new PaymentRuleError('ownPackage');
    if (!skill.durations.includes(pack.durationMinutes)) throw new NotFoundError();
    const offer = offerOf(pack, skill);
    if (offer.price <= 0) throw new PaymentRuleError('nothingToPay');
    const account = await deps.bookingPayments.payableAccount(skill.mentorId);
    if (!account) throw new PaymentRuleError('mentorNotPayable');
    const { checkout, url } = await deps.checkouts().open({
      purpose: 'package', userId: student.id, email: student.email, locale: student.locale, mentorId: skill.mentorId, skillId: skill.id, packageId: pack.id,
      // What was sold, as it was sold: the pack may be edited or withdrawn while the student pays.
      draft: { sessions: pack.sessions, durationMinutes: pack.durationMinutes },
      name: `${skill.title} · ${pack.sessions} × ${pack.durationMinutes} min`, amount: offer.price, feeAmount: platformFee(offer.price, deps.feePercent),
      currency: offer.currency, destinationAccountId: account, expiresAt: new Date(clock.now().getTime() + CHECKOUT_MINUTES * 60_000),
    });
    return { url, checkoutId: checkout.id };
  }

  /** Credits still good now for this skill and length, soonest to expire first. */
  function usable(db: Knex, studentId: string, skillId: string, durationMinutes: number) {
    return db('packagePurchases')
      .where({ studentId, skillId, durationMinutes }).whereNull('refundedAt')
      .where('expiresAt', '>', clock.now()).whereRaw('credits_used < credits_total')
      .orderBy([{ column: 'expiresAt' }, { column: 'id' }]);
  }

  /** How many credits the student can spend on this skill and length (for "Use a credit (3 left)"). */
  async function creditsLeft(studentId: string, skillId: string, durationMinutes: number): Promise<number> {
    const rows: PackagePurchase[] = await usable(knex, studentId, skillId, durationMinutes);
    return rows.reduce((n, p) => n + p.creditsTotal - p.creditsUsed, 0);
  }

  /**
   * Books with a credit instead of a checkout. The credit is taken by a conditional
   * update in the booking's transaction: if the booking fails, the credit stays; if two
   * requests race for the last credit, the row lock makes the second see none left.
   */
  async function bookWithCredit(studentId: string, skillId: string, input: RequestInput): Promise<Booking> {
    return knex.transaction(async (trx) => {
      const candidates: PackagePurchase[] = await usable(trx, studentId, skillId, input.durationMinutes);
      for (const candidate of candidates) {
        const taken = await trx('packagePurchases')
          .where({ id: candidate.id }).whereNull('refundedAt').where('expiresAt', '>', clock.now()).whereRaw('credits_used < credits_total')
          .increment('creditsUsed', 1).returning('id');
        if (taken.length) return bookings.request(studentId, skillId, input, undefined, { db: trx, paid: true, packagePurchaseId: candidate.id });
      }
      throw new PaymentRuleError('noCreditLeft');
    });
  }

  async function listForStudent(studentId: string) {
    return knex('packagePurchases as p').join('skills as s', 's.id', 'p.skillId').join('users as m', 'm.id', 'p.mentorId')
      .where('p.studentId', studentId).orderBy('p.createdAt', 'desc')
      .select('p.*', 's.title as skillTitle', 'm.displayName as mentorName');
  }

  const purposes: { package: PurposeHandler } = {
    package: {
      async fulfil(trx, checkout, _session, paymentId) {
        const d = checkout.draft as { sessions: number; durationMinutes: number };
        const [row] = await trx('packagePurchases').insert({
          packageId: checkout.packageId, studentId: checkout.userId, mentorId: checkout.mentorId, skillId: checkout.skillId,
          durationMinutes: d.durationMinutes, creditsTotal: d.sessions, amount: checkout.amount, currency: checkout.currency,
          expiresAt: new Date(clock.now().getTime() + deps.validityDays * 86_400_000), paymentId,
        }).returning('id');
        return { packagePurchaseId: row.id };
      },
      doneUrl: async () => '/packages',
      backUrl: async (c) => `/skills/${c.skillId}`,
    },
  };

  return { offers, create, setActive, startPurchase, creditsLeft, bookWithCredit, listForStudent, purposes };
}

export type PackagesService = ReturnType<typeof packagesService>;
