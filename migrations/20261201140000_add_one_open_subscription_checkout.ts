import type { Knex } from 'knex';

// One subscription checkout open per person at a time: two opened at the same moment
// could both be paid, and a second subscription cannot be refunded like a payment.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`create unique index checkouts_one_open_subscription on checkouts (user_id) where purpose = 'subscription' and status = 'open'`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index checkouts_one_open_subscription');
}
