import type { Knex } from 'knex';

// The money ledger. Amounts are integers in minor units with their currency. Each row
// carries the provider's id (unique) and the booking / seat / course / package /
// subscription it belongs to, and every provider object carries our ids in its
// metadata, so a payment can be traced from either side.
//
// What the database holds against any code path:
// - an event from the provider is applied at most once (payment_events primary key,
//   inserted in the same transaction as its effect);
// - a checkout is fulfilled at most once (payments.checkout_id unique), a booking
//   has at most one payment, a payment at most one payout;
// - refunds never exceed what was paid (payments.amount_refunded <= amount, kept by a
//   trigger from the refund rows);
// - a package purchase never spends more credits than it holds.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`alter table users add column stripe_customer_id text unique`);
  await knex.raw(`
    alter table mentor_settings
      add column free_cancel_hours integer not null default 24,
      add column late_cancel_refund_percent integer not null default 0,
      add constraint mentor_settings_free_cancel check (free_cancel_hours between 0 and 720),
      add constraint mentor_settings_late_refund check (late_cancel_refund_percent between 0 and 100)`);
  await knex.raw(`alter table courses add column included_in_subscription boolean not null default false`);

  await knex.schema.createTable('payout_accounts', (t) => {
    t.uuid('mentor_id').primary().references('users.id').onDelete('CASCADE');
    t.text('provider').notNullable();
    t.text('provider_account_id').notNullable().unique();
    t.boolean('charges_enabled').notNullable().defaultTo(false);
    t.boolean('payouts_enabled').notNullable().defaultTo(false);
    t.boolean('details_submitted').notNullable().defaultTo(false);
    t.timestamps(true, true, false);
  });

  await knex.schema.createTable('session_packages', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('mentor_id').notNullable().references('users.id').onDelete('CASCADE');
    t.uuid('skill_id').notNullable().references('skills.id').onDelete('CASCADE');
    t.integer('sessions').notNullable();
    t.integer('duration_minutes').notNullable();
    t.integer('discount_percent').notNullable().defaultTo(0);
    t.boolean('active').notNullable().defaultTo(true);
    t.timestamps(true, true, false);
    t.index(['skill_id']);
  });
  await knex.raw(`
    alter table session_packages
      add constraint session_packages_sessions check (sessions between 2 and 20),
      add constraint session_packages_duration check (duration_minutes in (30, 60, 90, 120)),
      add constraint session_packages_discount check (discount_percent between 0 and 50)`);

  await knex.schema.createTable('subscription_plans', (t) => {
    t.text('code').primary();
    t.text('interval').notNullable();
    t.integer('amount').notNullable();
    t.specificType('currency', 'char(3)').notNullable().defaultTo('EUR');
    t.boolean('active').notNullable().defaultTo(true);
  });
  await knex.raw(`
    alter table subscription_plans
      add constraint subscription_plans_interval check (interval in ('month', 'year')),
      add constraint subscription_plans_amount check (amount > 0)`);

  // One row per Checkout we open: what it is for (and, for a session, the request the
  // student typed) until the provider says it was paid. A paid booking is created from it.
  await knex.schema.createTable('checkouts', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.text('provider').notNullable();
    t.text('provider_session_id').unique();
    t.text('purpose').notNullable();
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.uuid('mentor_id').references('users.id').onDelete('SET NULL');
    t.uuid('skill_id').references('skills.id').onDelete('SET NULL');
    t.uuid('course_id').references('courses.id').onDelete('SET NULL');
    t.uuid('package_id').references('session_packages.id').onDelete('SET NULL');
    t.text('plan_code').references('subscription_plans.code');
    t.jsonb('draft').notNullable().defaultTo('{}');
    t.integer('amount').notNullable();
    t.integer('fee_amount').notNullable().defaultTo(0);
    t.specificType('currency', 'char(3)').notNullable();
    t.boolean('capture_manually').notNullable().defaultTo(false);
    t.text('status').notNullable().defaultTo('open');
    t.text('failure');
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.uuid('booking_id').references('bookings.id').onDelete('SET NULL');
    t.timestamps(true, true, false);
    t.index(['user_id', 'created_at']);
  });
  await knex.raw(`
    alter table checkouts
      add constraint checkouts_purpose check (purpose in ('booking', 'seat', 'course', 'subscription', 'package')),
      add constraint checkouts_status check (status in ('open', 'complete', 'expired', 'failed')),
      add constraint checkouts_amount check (amount >= 0 and fee_amount >= 0 and fee_amount <= amount)`);
  await knex.raw(`create index checkouts_open_expiry_idx on checkouts (expires_at) where status = 'open'`);

  await knex.schema.createTable('package_purchases', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('package_id').notNullable().references('session_packages.id').onDelete('RESTRICT');
    t.uuid('student_id').notNullable().references('users.id').onDelete('CASCADE');
    t.uuid('mentor_id').notNullable().references('users.id').onDelete('CASCADE');
    t.uuid('skill_id').notNullable().references('skills.id').onDelete('CASCADE');
    t.integer('duration_minutes').notNullable();
    t.integer('credits_total').notNullable();
    t.integer('credits_used').notNullable().defaultTo(0);
    t.integer('amount').notNullable();
    t.specificType('currency', 'char(3)').notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('refunded_at', { useTz: true });
    t.timestamps(true, true, false);
    t.index(['student_id', 'skill_id']);
  });
  await knex.raw(`alter table package_purchases add constraint package_purchases_credits check (credits_used between 0 and credits_total)`);
  await knex.raw(`alter table bookings add column package_purchase_id uuid references package_purchases(id) on delete set null`);

  await knex.schema.createTable('subscriptions', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.text('provider').notNullable();
    t.text('provider_subscription_id').notNullable().unique();
    t.text('plan_type').notNullable();
    t.text('status').notNullable();
    t.timestamp('current_period_end', { useTz: true }).notNullable();
    t.boolean('cancel_at_period_end').notNullable().defaultTo(false);
    t.timestamp('past_due_since', { useTz: true });
    t.timestamps(true, true, false);
    t.index(['user_id']);
  });
  await knex.raw(`alter table subscriptions add constraint subscriptions_plan check (plan_type in ('monthly', 'yearly'))`);

  await knex.schema.createTable('payments', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.text('provider').notNullable();
    t.text('provider_payment_id').unique();
    t.uuid('checkout_id').unique().references('checkouts.id').onDelete('SET NULL');
    t.text('purpose').notNullable();
    t.uuid('payer_id').notNullable().references('users.id').onDelete('RESTRICT');
    t.uuid('mentor_id').references('users.id').onDelete('RESTRICT');
    t.uuid('booking_id').unique().references('bookings.id').onDelete('SET NULL');
    t.uuid('course_id').references('courses.id').onDelete('SET NULL');
    t.uuid('package_purchase_id').unique().references('package_purchases.id').onDelete('SET NULL');
    t.uuid('subscription_id').references('subscriptions.id').onDelete('SET NULL');
    t.integer('amount').notNullable();
    t.integer('fee_amount').notNullable().defaultTo(0);
    t.integer('amount_refunded').notNullable().defaultTo(0);
    t.specificType('currency', 'char(3)').notNullable();
    t.text('status').notNullable();
    t.timestamp('authorized_at', { useTz: true });
    t.timestamp('captured_at', { useTz: true });
    t.timestamp('released_at', { useTz: true });
    t.timestamps(true, true, false);
    t.index(['payer_id', 'created_at']);
    t.index(['mentor_id', 'created_at']);
  });
  await knex.raw(`
    alter table payments
      add constraint payments_purpose check (purpose in ('booking', 'seat', 'course', 'subscription', 'package')),
      add constraint payments_status check (status in ('authorized', 'captured', 'released', 'refunded', 'partially_refunded')),
      add constraint payments_amounts check (amount > 0 and fee_amount between 0 and amount and amount_refunded between 0 and amount)`);
  await knex.raw(`alter table package_purchases add column payment_id uuid references payments(id) on delete set null`);

  await knex.schema.createTable('refunds', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('payment_id').notNullable().references('payments.id').onDelete('CASCADE');
    t.text('provider_refund_id').unique();
    t.integer('amount').notNullable();
    t.text('reason').notNullable();
    t.text('status').notNullable().defaultTo('pending');
    t.uuid('created_by').references('users.id').onDelete('SET NULL');
    t.timestamps(true, true, false);
    t.index(['payment_id']);
  });
  await knex.raw(`
    alter table refunds
      add constraint refunds_amount check (amount > 0),
      add constraint refunds_status check (status in ('pending', 'succeeded', 'failed'))`);
  // The refunded total is the sum of the refunds that did not fail; the payments check
  // then refuses any refund row that would take back more than was paid.
  await knex.raw(`
    create function refunds_sum() returns trigger language plpgsql as $$
    declare target uuid := coalesce(new.payment_id, old.payment_id);
    begin
      update payments p set amount_refunded = coalesce((select sum(amount) from refunds r where r.payment_id = target and r.status <> 'failed'), 0),
        updated_at = now()
      where p.id = target;
      return null;
    end $$`);
  await knex.raw(`create trigger refunds_sum after insert or update or delete on refunds for each row execute function refunds_sum()`);

  await knex.schema.createTable('payouts', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('payment_id').notNullable().unique().references('payments.id').onDelete('CASCADE');
    t.uuid('mentor_id').notNullable().references('users.id').onDelete('CASCADE');
    t.integer('amount').notNullable();
    t.specificType('currency', 'char(3)').notNullable();
    t.text('status').notNullable().defaultTo('paid');
    t.timestamp('paid_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['mentor_id', 'paid_at']);
  });
  await knex.raw(`alter table payouts add constraint payouts_amount check (amount >= 0)`);

  await knex.schema.createTable('payment_events', (t) => {
    t.text('event_id').primary();
    t.text('provider').notNullable();
    t.text('type').notNullable();
    t.text('object_id');
    t.timestamp('received_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  // A student reports that the mentor did not come; the admin decides.
  await knex.schema.createTable('booking_reports', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('booking_id').notNullable().unique().references('bookings.id').onDelete('CASCADE');
    t.uuid('student_id').notNullable().references('users.id').onDelete('CASCADE');
    t.text('note').notNullable().defaultTo('');
    t.text('status').notNullable().defaultTo('open');
    t.uuid('resolved_by').references('users.id').onDelete('SET NULL');
    t.timestamp('resolved_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`alter table booking_reports add constraint booking_reports_status check (status in ('open', 'refunded', 'dismissed'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('booking_reports');
  await knex.schema.dropTable('payment_events');
  await knex.schema.dropTable('payouts');
  await knex.schema.dropTable('refunds');
  await knex.raw('drop function refunds_sum()');
  await knex.raw('alter table package_purchases drop column payment_id');
  await knex.schema.dropTable('payments');
  await knex.schema.dropTable('subscriptions');
  await knex.raw('alter table bookings drop column package_purchase_id');
  await knex.schema.dropTable('package_purchases');
  await knex.schema.dropTable('checkouts');
  await knex.schema.dropTable('subscription_plans');
  await knex.schema.dropTable('session_packages');
  await knex.schema.dropTable('payout_accounts');
  await knex.raw('alter table courses drop column included_in_subscription');
  await knex.raw(`
    alter table mentor_settings
      drop constraint mentor_settings_late_refund, drop constraint mentor_settings_free_cancel,
      drop column late_cancel_refund_percent, drop column free_cancel_hours`);
  await knex.raw('alter table users drop column stripe_customer_id');
}
