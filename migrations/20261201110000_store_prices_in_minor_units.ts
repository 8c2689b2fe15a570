import type { Knex } from 'knex';

// Money becomes integer minor units (cents) everywhere, so that payments and a ledger
// add integers and never meet a float or a decimal string. round() settles any value
// with more than two decimals that numeric(10,2) could not have held anyway.
interface MoneyColumn {
  table: string;
  from: string;
  to: string;
  /** Check constraint kept by name, its bounds in euros then in cents. */
  check?: { name: string; euros: string; cents: string };
  defaultZero?: boolean;
}

const COLUMNS: MoneyColumn[] = [
  { table: 'skills', from: 'price', to: 'price_cents', check: { name: 'skills_price_check', euros: 'price >= 0 and price <= 10000', cents: 'price_cents >= 0 and price_cents <= 1000000' } },
  { table: 'bookings', from: 'price', to: 'price_cents' },
  { table: 'courses', from: 'price', to: 'price_cents', defaultZero: true, check: { name: 'courses_price_check', euros: 'price >= 0 and price <= 100000', cents: 'price_cents >= 0 and price_cents <= 10000000' } },
  { table: 'users', from: 'hourly_rate', to: 'hourly_rate_cents', check: { name: 'users_hourly_rate_check', euros: 'hourly_rate >= 0', cents: 'hourly_rate_cents >= 0' } },
];

export async function up(knex: Knex): Promise<void> {
  for (const c of COLUMNS) {
    if (c.check) await knex.raw(`alter table ${c.table} drop constraint ${c.check.name}`);
    if (c.defaultZero) await knex.raw(`alter table ${c.table} alter column ${c.from} drop default`);
    await knex.raw(`alter table ${c.table} alter column ${c.from} type integer using round(${c.from} * 100)::integer`);
    await knex.raw(`alter table ${c.table} rename column ${c.from} to ${c.to}`);
    if (c.defaultZero) await knex.raw(`alter table ${c.table} alter column ${c.to} set default 0`);
    if (c.check) await knex.raw(`alter table ${c.table} add constraint ${c.check.name} check (${c.check.cents})`);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const c of [...COLUMNS].reverse()) {
    if (c.check) await knex.raw(`alter table ${c.table} drop constraint ${c.check.name}`);
    if (c.defaultZero) await knex.raw(`alter table ${c.table} alter column ${c.to} drop default`);
    await knex.raw(`alter table ${c.table} alter column ${c.to} type numeric(10, 2) using (${c.to}::numeric / 100)`);
    await knex.raw(`alter table ${c.table} rename column ${c.to} to ${c.from}`);
    if (c.defaultZero) await knex.raw(`alter table ${c.table} alter column ${c.from} set default 0`);
    if (c.check) await knex.raw(`alter table ${c.table} add constraint ${c.check.name} check (${c.check.euros})`);
  }
}
