import type { Knex } from 'knex';

export const LIVE_STATUSES = ['pending', 'confirmed'] as const;

// The invariants live here, not only in code:
// - a mentor never has two overlapping live one-on-one bookings (exclusion constraint);
// - a student holds at most one live seat per group session (partial unique index);
// - a group session's capacity is checked on skills.seats_taken.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('bookings', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('skill_id').notNullable().references('skills.id').onDelete('RESTRICT');
    t.uuid('mentor_id').notNullable().references('users.id').onDelete('RESTRICT');
    t.uuid('student_id').notNullable().references('users.id').onDelete('RESTRICT');
    t.text('kind').notNullable();
    t.timestamp('starts_at', { useTz: true }).notNullable();
    t.timestamp('ends_at', { useTz: true }).notNullable();
    t.integer('duration_minutes').notNullable();
    t.text('status').notNullable().defaultTo('pending');
    t.text('subject').notNullable();
    t.text('description');
    t.text('message');
    t.text('meeting_url');
    t.text('mentor_notes');
    t.text('reject_reason');
    t.text('cancel_reason');
    t.text('cancelled_by');
    t.decimal('price', 10, 2).notNullable();
    t.specificType('currency', 'char(3)').notNullable().defaultTo('EUR');
    t.timestamp('expires_at', { useTz: true });
    t.timestamps(true, true, false);
  });
  await knex.raw(`
    alter table bookings
      add constraint bookings_kind_check check (kind in ('one_on_one', 'group')),
      add constraint bookings_status_check check (status in ('pending', 'confirmed', 'rejected', 'cancelled', 'completed', 'no_show', 'expired')),
      add constraint bookings_time_order check (ends_at > starts_at),
      add constraint bookings_duration_check check (duration_minutes in (30, 60, 90, 120)),
      add constraint bookings_not_self check (student_id <> mentor_id),
      add constraint bookings_cancelled_by_check check (cancelled_by in ('student', 'mentor')),
      add constraint bookings_no_overlap exclude using gist (
        mentor_id with =, tstzrange(starts_at, ends_at) with &&
      ) where (kind = 'one_on_one' and status in ('pending', 'confirmed'))`);
  await knex.raw(`create unique index bookings_one_seat_per_student on bookings (skill_id, student_id) where kind = 'group' and status in ('pending', 'confirmed')`);
  await knex.raw('create index bookings_mentor_starts_idx on bookings (mentor_id, starts_at)');
  await knex.raw('create index bookings_student_starts_idx on bookings (student_id, starts_at)');
  await knex.raw(`create index bookings_pending_expiry_idx on bookings (expires_at) where status = 'pending'`);

  await knex.schema.createTable('booking_events', (t) => {
    t.bigIncrements('id');
    t.uuid('booking_id').notNullable().references('bookings.id').onDelete('CASCADE');
    t.text('status').notNullable();
    t.uuid('actor_id');
    t.text('actor_role');
    t.text('note');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['booking_id', 'id']);
  });

  // A temporary hold while a student fills the booking form (seed 002's "lock").
  await knex.schema.createTable('slot_holds', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('mentor_id').notNullable().references('users.id').onDelete('CASCADE');
    t.uuid('student_id').notNullable().references('users.id').onDelete('CASCADE');
    t.uuid('skill_id').notNullable().references('skills.id').onDelete('CASCADE');
    t.timestamp('starts_at', { useTz: true }).notNullable();
    t.timestamp('ends_at', { useTz: true }).notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.unique(['mentor_id', 'student_id']);
  });
  await knex.raw('create index slot_holds_mentor_idx on slot_holds (mentor_id, expires_at)');

  await knex.schema.createTable('notifications', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.text('kind').notNullable();
    t.uuid('booking_id').references('bookings.id').onDelete('CASCADE');
    t.jsonb('data').notNullable().defaultTo('{}');
    t.timestamp('read_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['user_id', 'created_at']);
  });
  await knex.raw('create index notifications_unread_idx on notifications (user_id) where read_at is null');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('notifications');
  await knex.schema.dropTable('slot_holds');
  await knex.schema.dropTable('booking_events');
  await knex.schema.dropTable('bookings');
}
