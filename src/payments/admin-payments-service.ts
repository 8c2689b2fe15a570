// The admin's view of the money: every payment (open reports first), and the three
// corrections an admin makes — refund part or all of a payment, settle a no-show report,
// refund the unused credits of a package. Each writes refund rows and queues the
// provider call (settlement.requestRefund), in one transaction under a lock on the payment.
import type { Knex } from 'knex';
import type { Clock } from '../lib/clock.ts';
import { NotFoundError } from '../lib/errors.ts';
import { PaymentFieldError, PaymentRuleError } from './errors.ts';
import { unusedCreditsRefund } from './package-price.ts';
import type { PackagePurchase } from './packages-service.ts';
import type { PaymentRow, SettlementService } from './settlement-service.ts';

export const PAGE_SIZE = 25;
export const SORTS = { date: 'p.createdAt', amount: 'p.amount', refunded: 'p.amountRefunded', status: 'p.status' } as const;
export const STATUSES = ['authorized', 'captured', 'released', 'refunded', 'partially_refunded'] as const;
export const PURPOSES = ['booking', 'seat', 'course', 'subscription', 'package'] as const;

export interface PaymentsQuery {
  q?: string;
  status?: (typeof STATUSES)[number];
  purpose?: (typeof PURPOSES)[number];
  sort: keyof typeof SORTS;
  dir: 'asc' | 'desc';
  page: number;
}

/** Who did it, for the rows' created_by/resolved_by: the shadow admin has no users row. */
export type AdminRef = string | null;

const REFUNDABLE = new Set(['captured', 'partially_refunded']);

export function adminPaymentsService(deps: { knex: Knex; clock: Clock; settlement: SettlementService }) {
  const { knex, clock, settlement } = deps;

  function base(db: Knex = knex) {
    return db('payments as p')
      .join('users as payer', 'payer.id', 'p.payerId')
      .leftJoin('users as mentor', 'mentor.id', 'p.mentorId')
      .leftJoin('bookingReports as r', 'r.bookingId', 'p.bookingId');
  }

  async function list(query: PaymentsQuery) {
    const rows = base();
    if (query.status) rows.where('p.status', query.status);
    if (query.purpose) rows.where('p.purpose', query.purpose);
    if (query.q) {
      const like = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      rows.where((w) => w.whereILike('payer.displayName', like).orWhereILike('mentor.displayName', like).orWhereILike('payer.email', like));
    }
    const counted = await rows.clone().count({ n: '*' }).first();
    const total = Number(counted?.n ?? 0);
    const items = await rows
      // An open report is the admin's work to do: it comes first whatever the sort.
      .orderByRaw(`(r.status = 'open') is true desc`)
      .orderBy(SORTS[query.sort], query.dir).orderBy('p.id')
      .offset((query.page - 1) * PAGE_SIZE).limit(PAGE_SIZE)
      .select('p.*', 'payer.displayName as payerName', 'mentor.displayName as mentorName', 'r.id as reportId', 'r.status as reportStatus');
    return { items, total, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)) };
  }

  async function detail(paymentId: string) {
    const payment = await base().where('p.id', paymentId)
      .first('p.*', 'payer.displayName as payerName', 'mentor.displayName as mentorName', 'r.id as reportId', 'r.status as reportStatus', 'r.note as reportNote', 'r.createdAt as reportedAt');
    if (!payment) throw new NotFoundError();
    const refunds = await knex('refunds').where({ paymentId }).orderBy('createdAt');
    const purchase: PackagePurchase | undefined = payment.packagePurchaseId ? await knex('packagePurchases').where({ id: payment.packagePurchaseId }).first() : undefined;
    const booking = payment.bookingId ? await knex('bookings').where({ id: payment.bookingId }).first('id', 'startsAt', 'status', 'subject') : undefined;
    return { payment, refunds, purchase, booking, left: payment.amount - payment.amountRefunded, packageRefund: purchase ? unusedCreditsRefund(purchase.amount, purchase.creditsUsed, purchase.creditsTotal) : 0 };
  }

  async function locked(trx: Knex.Transaction, paymentId: string): Promise<PaymentRow> {
    const payment: PaymentRow | undefined = await trx('payments').where({ id: paymentId }).forUpdate().first();
    if (!payment) throw new NotFoundError();
    return payment;
  }

  /** A refund of `amount` cents (all that is left when omitted); never more than what is left. */
  async function refund(by: AdminRef, paymentId: string, amount: number | undefined, reason: string): Promise<string> {
    return knex.transaction(async (trx) => {
      const payment = await locked(trx, paymentId);
      if (!REFUNDABLE.has(payment.status)) throw new PaymentRuleError('notRefundable');
      const left = payment.amount - payment.amountRefunded;
      const cents = amount ?? left;
      if (cents <= 0) throw new PaymentFieldError('amount', 'refundPositive');
      if (cents > left) throw new PaymentFieldError('amount', 'refundTooMuch');
      const id = await settlement.requestRefund(trx, payment, cents, reason, by);
      // Money back for a package closes it: its credits cannot be spent after a refund.
      if (payment.packagePurchaseId) await trx('packagePurchases').where({ id: payment.packagePurchaseId }).whereNull('refundedAt').update({ refundedAt: clock.now(), updatedAt: clock.now() });
      return id!;
    });
  }

  /** Settles a no-show report: 'refunded' gives back everything left (or the credit), 'dismissed' nothing. */
  async function resolveReport(by: AdminRef, reportId: string, outcome: 'refunded' | 'dismissed'): Promise<void> {
    await knex.transaction(async (trx) => {
      const report = await trx('bookingReports').where({ id: reportId }).forUpdate().first();
      if (!report) throw new NotFoundError();
      if (report.status !== 'open') throw new PaymentRuleError('reportResolved');
      if (outcome === 'refunded') {
        const payment: PaymentRow | undefined = await trx('payments').where({ bookingId: report.bookingId }).forUpdate().first();
        if (payment && REFUNDABLE.has(payment.status)) await settlement.requestRefund(trx, payment, payment.amount - payment.amountRefunded, 'mentor_no_show', by);
        else if (!payment) await settlement.returnCredit(trx, report.bookingId);
      }
      await trx('bookingReports').where({ id: reportId }).update({ status: outcome, resolvedBy: by, resolvedAt: clock.now() });
    });
  }

  /** Refunds the unused credits pro rata and closes the purchase: no credit of it can be spent after. */
  async function refundPackage(by: AdminRef, purchaseId: string, reason: string): Promise<number> {
    return knex.transaction(async (trx) => {
      // The purchase's lock waits for a booking taking a credit right now, and stops the next one.
      const purchase: PackagePurchase | undefined = await trx('packagePurchases').where({ id: purchaseId }).forUpdate().first();
      if (!purchase?.paymentId) throw new NotFoundError();
      if (purchase.refundedAt) throw new PaymentRuleError('packageRefunded');
      const payment = await locked(trx, purchase.paymentId);
      if (!REFUNDABLE.has(payment.status)) throw new PaymentRuleError('notRefundable');
      const amount = Math.min(unusedCreditsRefund(purchase.amount, purchase.creditsUsed, purchase.creditsTotal), payment.amount - payment.amountRefunded);
      await trx('packagePurchases').where({ id: purchaseId }).update({ refundedAt: clock.now(), updatedAt: clock.now() });
      if (amount > 0) await settlement.requestRefund(trx, payment, amount, reason, by);
      return amount;
    });
  }

  return { list, detail, refund, resolveReport, refundPackage };
}

export type AdminPaymentsService = ReturnType<typeof adminPaymentsService>;
