// Demo money, so every payment page looks alive on first start: every demo mentor has
// a payout account that can take charges, and each paid demo booking has the ledger
// rows its status implies (held, charged, released, refunded, paid out), backed by the
// simulated provider's own objects so an admin refund or a capture of a demo booking
// really goes through. With Stripe keys set, nothing is invented at Stripe: skipped.
import type { Deps } from '../src/composition.ts';
import { platformFee } from '../src/payments/policy.ts';

const META_KEY = 'demo_payments_seeded';

type Ledger = { status: 'authorized' | 'captured' | 'released' | 'refunded'; payout: boolean };

/** What a booking's status says happened to its money. */
function ledgerFor(status: string): Ledger | undefined {
  switch (status) {
    case 'pending': return { status: 'authorized', payout: false };
    case 'confirmed': return { status: 'captured', payout: false };
    case 'completed':
    case 'no_show': return { status: 'captured', payout: true };
    case 'cancelled': return { status: 'refunded', payout: false };
    case 'rejected':
    case 'expired': return { status: 'released', payout: false };
    default: return undefined;
  }
}

export async function seedDemoPaymentsOnce(deps: Deps): Promise<{ accounts: number; payments: number } | undefined> {
  const { knex, clock, simulated, config } = deps;
  if (!simulated) return undefined;
  if (await knex('appMeta').where({ key: META_KEY }).first('key')) return undefined;
  if (!(await knex('appMeta').where({ key: 'demo_bookings_seeded' }).first('key'))) return undefined;
  const now = clock.now();

  const mentors: { id: string; email: string; displayName: string }[] = await knex('users').where({ role: 'mentor' }).orderBy('createdAt').select('id', 'email', 'displayName');
  const accounts = new Map<string, string>();
  for (const m of mentors) {
    const id = await simulated.importAccount({ email: m.email, businessName: m.displayName, metadata: { mentor_id: m.id } }, `account:${m.id}`);
    accounts.set(m.id, id);
  }

  const bookings: { id: string; mentorId: string; studentId: string; skillId: string; status: string; priceCents: number; currency: string; startsAt: Date; endsAt: Date; createdAt: Date; kind: string }[] =
    await knex('bookings').where('priceCents', '>', 0).orderBy('createdAt').select('id', 'mentorId', 'studentId', 'skillId', 'status', 'priceCents', 'currency', 'startsAt', 'endsAt', 'createdAt', 'kind');
  let payments = 0;
  await knex.transaction(async (trx) => {
    await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [META_KEY]);
    if (await trx('appMeta').where({ key: META_KEY }).first('key')) return;
    await trx('payoutAccounts').insert(mentors.map((m) => ({ mentorId: m.id, provider: 'simulated', providerAccountId: accounts.get(m.id)!, chargesEnabled: true, payoutsEnabled: true, detailsSubmitted: true })))
      .onConflict('mentorId').ignore();
    for (const b of bookings) {
      const ledger = ledgerFor(b.status);
      if (!ledger) continue;
      const fee = platformFee(b.priceCents, config.payments.platformFeePercent);
      const currency = b.currency.trim();
      const metadata = { booking_id: b.id, user_id: b.studentId, mentor_id: b.mentorId, skill_id: b.skillId, purpose: b.kind === 'group' ? 'seat' : 'booking' };
      const providerPaymentId = await simulated.importPayment({
        amount: b.priceCents, currency, metadata, destination: { accountId: accounts.get(b.mentorId)!, feeAmount: fee },
        state: ledger.status === 'refunded' ? 'captured' : ledger.status, refunded: ledger.status === 'refunded' ? b.priceCents : 0,
      });
      const at = new Date(b.createdAt.getTime() + 60_000);
      const captured = ledger.status === 'captured' || ledger.status === 'refunded';
      const [payment] = await trx('payments').insert({
        provider: 'simulated', providerPaymentId, purpose: metadata.purpose, payerId: b.studentId, mentorId: b.mentorId, bookingId: b.id,
        amount: b.priceCents, feeAmount: fee, currency, status: ledger.status === 'refunded' ? 'captured' : ledger.status, authorizedAt: at,
        capturedAt: captured ? at : null, releasedAt: ledger.status === 'released' ? new Date(b.createdAt.getTime() + 3_600_000) : null, createdAt: at, updatedAt: at,
      }).returning('id');
      if (ledger.status === 'refunded') {
        // The refund trigger keeps amount_refunded; the status follows the refund rows.
        await trx('refunds').insert({ paymentId: payment.id, amount: b.priceCents, reason: 'student_cancelled', status: 'succeeded', providerRefundId: `re_demo_${payments}`, createdAt: at, updatedAt: at });
        await trx('payments').where({ id: payment.id }).update({ status: 'refunded' });
      }
      if (ledger.payout) await trx('payouts').insert({ paymentId: payment.id, mentorId: b.mentorId, amount: b.priceCents - fee, currency, paidAt: b.endsAt });
      payments++;
    }
    // Two courses come with the subscription; one student subscribes (bob can try it himself).
    const courses: { id: string }[] = await trx('courses').where({ published: true }).orderBy('createdAt').limit(2).select('id');
    if (courses.length) await trx('courses').whereIn('id', courses.map((c) => c.id)).update({ includedInSubscription: true });
    const subscriber = await trx('users').where({ role: 'student' }).whereNot({ username: 'bob' }).orderBy('createdAt').first('id', 'email', 'displayName');
    const plan = await trx('subscriptionPlans').where({ code: 'monthly' }).first();
    if (subscriber && plan) {
      const periodEnd = new Date(now.getTime() + 12 * 86_400_000);
      const { customerId, subscriptionId } = await simulated.importSubscription({ email: subscriber.email, name: subscriber.displayName, interval: 'month', amount: plan.amount, currency: plan.currency.trim(), periodEnd, metadata: { user_id: subscriber.id, plan: 'monthly' } });
      await trx('users').where({ id: subscriber.id }).update({ stripeCustomerId: customerId });
      await trx('subscriptions').insert({ userId: subscriber.id, provider: 'simulated', providerSubscriptionId: subscriptionId, planType: 'monthly', status: 'active', currentPeriodEnd: periodEnd });
    }
    // A pack on the first mentors' one-on-one skills: 5 sessions at −10 %.
    const packSkills: { id: string; mentorId: string; durations: number[] }[] = await trx('skills').where({ mode: 'one_on_one', status: 'published' }).where('priceCents', '>', 0).orderBy('createdAt').limit(3).select('id', 'mentorId', 'durations');
    if (packSkills.length) await trx('sessionPackages').insert(packSkills.map((k) => ({ mentorId: k.mentorId, skillId: k.id, sessions: 5, durationMinutes: k.durations.includes(60) ? 60 : k.durations[0], discountPercent: 10 })));
    await trx('appMeta').insert({ key: META_KEY, value: { at: now.toISOString(), accounts: accounts.size, payments }, updatedAt: now });
  });
  return { accounts: accounts.size, payments };
}
