import type { Knex } from 'knex';

// A weekly lesson booked in one go: the series row keeps what the student asked for
// (weekday and wall-clock time in the zone the slots were shown in) so that the
// occurrences, ordinary bookings, can be answered or cancelled together. Mentors may
// open a longer booking window for series than for single sessions.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('booking_series', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('mentor_id').notNullable().references('users.id').onDelete('CASCADE');
    t.uuid('student_id').notNullable().references('users.id').onDelete('CASCADE');
    t.uuid('skill_id').notNullable().references('skills.id').onDelete('CASCADE');
    t.text('time_zone').notNullable();
    t.smallint('weeks').notNullable();
    t.smallint('duration_minutes').notNullable();
    t.timestamp('first_starts_at', { useTz: true }).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['mentor_id']);
    t.index(['student_id']);
  });
  await knex.raw('alter table booking_series add constraint booking_series_weeks check (weeks between 2 and 12)');
  await knex.schema.alterTable('bookings', (t) => {
    t.uuid('series_id').nullable().references('booking_series.id').onDelete('SET NULL');
    t.index(['series_id']);
  });
  await knex.schema.alterTable('mentor_settings', (t) => {
    t.integer('series_window_days').notNullable().defaultTo(90);
  });
  await knex.raw('alter table mentor_settings add constraint mentor_settings_series_window check (series_window_days between 1 and 180)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('mentor_settings', (t) => {
    t.dropColumn('series_window_days');
  });
  await knex.schema.alterTable('bookings', (t) => {
    t.dropColumn('series_id');
  });
  await knex.schema.dropTable('booking_series');
}
