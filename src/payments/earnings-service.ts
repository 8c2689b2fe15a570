// What a mentor has earned: one row per paid session or seat (payments.mentor_id is the
// query's authorization: another mentor's rows cannot appear), the platform's fee on
// what was kept, and totals per month in the viewer's zone. Released authorizations
// never moved money and are left out.
import type { Knex } from 'knex';

export const EARNINGS_PAGE_SIZE = 50;
/** A spreadsheet export of a lifetime is not a page: the newest rows, up to this many. */
export const EARNINGS_CSV_MAX = 10_000;

export type EarningStatus = 'authorized' | 'captured' | 'partially_refunded' | 'refunded' | 'paid_out';

export interface EarningRow {
  id: string;
  occurredAt: Date;
  studentName: string;
  skillTitle: string | null;
  currency: string;
  status: EarningStatus;
  gross: number;
  refunded: number;
  fee: number;
  net: number;
}

export interface MonthTotal {
  /** 'YYYY-MM' in the viewer's zone. */
  month: string;
  currency: string;
  gross: number;
  fee: number;
  refunds: number;
  net: number;
}

interface RawRow {
  id: string; occurredAt: Date; studentName: string; skillTitle: string | null; currency: string; status: string;
  amount: number; feeAmount: number; amountRefunded: number; payoutAmount: number | null;
}

/**
 * The fee on what was kept, as the payout counts it (settlement-service.ts); once paid
 * out, the payout row is the truth.
 */
function toRow(r: RawRow): EarningRow {
  const kept = r.amount - r.amountRefunded;
  const fee = Math.max(0, r.payoutAmount !== null ? kept - r.payoutAmount : r.amount === 0 ? 0 : Math.round((r.feeAmount * kept) / r.amount));
  return {
    id: r.id, occurredAt: r.occurredAt, studentName: r.studentName, skillTitle: r.skillTitle, currency: r.currency.trim(),
    status: r.payoutAmount !== null ? 'paid_out' : (r.status as EarningStatus), gross: r.amount, refunded: r.amountRefunded, fee, net: kept - fee,
  };
}

export function earningsService(deps: { knex: Knex }) {
  const { knex } = deps;
  const occurredAt = knex.raw('coalesce(b.starts_at, p.captured_at, p.created_at)');

  function base(mentorId: string) {
    return knex('payments as p')
      .join('users as u', 'u.id', 'p.payerId')
      .leftJoin('bookings as b', 'b.id', 'p.bookingId')
      .leftJoin('checkouts as c', 'c.id', 'p.checkoutId')
      .leftJoin('skills as s', 's.id', knex.raw('coalesce(b.skill_id, c.skill_id)'))
      .leftJoin('payouts as po', 'po.paymentId', 'p.id')
      .where('p.mentorId', mentorId)
      .whereNot('p.status', 'released');
  }

  async function list(mentorId: string, limit: number, offset: number): Promise<EarningRow[]> {
    const rows: RawRow[] = await base(mentorId)
      .select('p.id', { occurredAt }, 'u.displayName as studentName', 's.title as skillTitle', 'p.currency', 'p.status', 'p.amount', 'p.feeAmount', 'p.amountRefunded', 'po.amount as payoutAmount')
      .orderBy([{ column: 'occurredAt', order: 'desc' }, { column: 'p.id', order: 'asc' }])
      .limit(limit).offset(offset);
    return rows.map(toRow);
  }

  async function page(mentorId: string, requested: number) {
    const count = await base(mentorId).count({ n: '*' }).first();
    const total = Number(count?.n ?? 0);
    const pages = Math.max(1, Math.ceil(total / EARNINGS_PAGE_SIZE));
    const current = Math.min(Math.max(1, requested), pages);
    return { rows: await list(mentorId, EARNINGS_PAGE_SIZE, (current - 1) * EARNINGS_PAGE_SIZE), total, page: current, pages };
  }

  /** Money taken per month: authorizations still waiting for the mentor's answer are not earnings yet. */
  async function months(mentorId: string, timeZone: string): Promise<MonthTotal[]> {
    const month = knex.raw(`to_char(coalesce(b.starts_at, p.captured_at, p.created_at) at time zone ?, 'YYYY-MM')`, [timeZone]);
    const fee = `case when po.amount is not null then greatest(0, p.amount - p.amount_refunded - po.amount)
      else round(p.fee_amount * (p.amount - p.amount_refunded)::numeric / p.amount) end`;
    const rows: { month: string; currency: string; gross: string; refunds: string; fee: string }[] = await base(mentorId)
      .whereNot('p.status', 'authorized')
      .select({ month }, 'p.currency')
      .sum({ gross: 'p.amount', refunds: 'p.amountRefunded' })
      .select(knex.raw(`sum(${fee}) as fee`))
      .groupByRaw('1, 2')
      .orderByRaw('1 desc, 2');
    return rows.map((r) => {
      const gross = Number(r.gross), refunds = Number(r.refunds), f = Number(r.fee);
      return { month: r.month, currency: r.currency.trim(), gross, refunds, fee: f, net: gross - refunds - f };
    });
  }

  return { page, months, all: (mentorId: string) => list(mentorId, EARNINGS_CSV_MAX, 0) };
}

export type EarningsService = ReturnType<typeof earningsService>;
