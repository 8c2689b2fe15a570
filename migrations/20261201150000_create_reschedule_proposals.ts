import type { Knex } from 'knex';

// A proposed new time for a booking, waiting for the other side's answer. At most one
// open proposal per booking (a new one replaces the old); the answer or the lapse
// closes it. The booking counts its moves so a setting can cap them.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('bookings', (t) => {
    t.integer('reschedule_count').notNullable().defaultTo(0);
  });
  await knex.schema.createTable('reschedule_proposals', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('booking_id').notNullable().references('bookings.id').onDelete('CASCADE');
    t.text('proposed_by').notNullable();
    t.timestamp('starts_at', { useTz: true }).notNullable();
    t.timestamp('ends_at', { useTz: true }).notNullable();
    t.text('status').notNullable().defaultTo('open');
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('closed_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`
    alter table reschedule_proposals
      add constraint reschedule_proposals_by_check check (proposed_by in ('student', 'mentor')),
      add constraint reschedule_proposals_status_check check (status in ('open', 'accepted', 'declined', 'replaced', 'lapsed')),
      add constraint reschedule_proposals_time_order check (ends_at > starts_at)`);
  await knex.raw(`create unique index reschedule_proposals_one_open on reschedule_proposals (booking_id) where status = 'open'`);
  await knex.raw(`create index reschedule_proposals_open_expiry_idx on reschedule_proposals (expires_at) where status = 'open'`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('reschedule_proposals');
  await knex.schema.alterTable('bookings', (t) => {
    t.dropColumn('reschedule_count');
  });
}
