import type { Knex } from 'knex';

// Reminder preferences (a user without a row gets the defaults) and the reminders
// sent. The unique key is the "exactly once": the reminder job inserts its row in the
// same transaction as the notice and the mail job, so a second run (another instance,
// a worker killed before it could mark the job done) finds the row and sends nothing.
// `starts_at` is part of the key so a booking moved to a new time is reminded again.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table reminder_preferences (
      user_id uuid primary key references users(id) on delete cascade,
      offsets_minutes integer[] not null default '{1440,60}',
      by_mail boolean not null default true,
      in_app boolean not null default true,
      updated_at timestamptz not null default now(),
      constraint reminder_preferences_at_most_three check (coalesce(array_length(offsets_minutes, 1), 0) <= 3)
    )`);
  await knex.raw(`
    create table sent_reminders (
      id bigint generated always as identity primary key,
      booking_id uuid not null references bookings(id) on delete cascade,
      user_id uuid not null references users(id) on delete cascade,
      offset_minutes integer not null,
      starts_at timestamptz not null,
      sent_at timestamptz not null default now(),
      constraint sent_reminders_once unique (booking_id, user_id, offset_minutes, starts_at)
    )`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('sent_reminders');
  await knex.schema.dropTable('reminder_preferences');
}
