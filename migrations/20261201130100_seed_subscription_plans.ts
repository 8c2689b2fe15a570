import type { Knex } from 'knex';

// The two plans that unlock the courses included in the subscription. They are data
// the app cannot run without (the /subscription page offers them), not demo data, so
// every database gets them here, a fresh test database included. Prices in cents.
const PLANS = [
  { code: 'monthly', interval: 'month', amount: 1500, currency: 'EUR' },
  { code: 'yearly', interval: 'year', amount: 15000, currency: 'EUR' },
];

export async function up(knex: Knex): Promise<void> {
  await knex('subscription_plans').insert(PLANS).onConflict('code').ignore();
}

export async function down(knex: Knex): Promise<void> {
  // A plan some checkout points at stays (the foreign key keeps that history).
  await knex('subscription_plans').whereIn('code', PLANS.map((p) => p.code)).whereNotExists(knex('checkouts').whereRaw('checkouts.plan_code = subscription_plans.code')).del();
}
