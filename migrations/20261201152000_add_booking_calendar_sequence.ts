import type { Knex } from 'knex';

// A calendar client applies an update only when its SEQUENCE is higher than the one it
// holds. A trigger bumps it so every path that moves, ends or relinks a booking
// (reschedule, cancel, blocking, expiry, raw SQL) counts, not only the code that knows.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('bookings', (t) => {
    t.integer('calendar_sequence').notNullable().defaultTo(0);
  });
  await knex.raw(`
    create function bookings_bump_calendar_sequence() returns trigger language plpgsql as $$
    begin
      -- Never lower: a write that carries an old value must not let clients ignore the next change.
      new.calendar_sequence := greatest(old.calendar_sequence, new.calendar_sequence);
      if (new.starts_at, new.ends_at, new.status, new.meeting_url) is distinct from
         (old.starts_at, old.ends_at, old.status, old.meeting_url) then
        new.calendar_sequence := old.calendar_sequence + 1;
      end if;
      return new;
    end $$`);
  await knex.raw(`create trigger bookings_calendar_sequence before update on bookings
    for each row execute function bookings_bump_calendar_sequence()`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop trigger bookings_calendar_sequence on bookings');
  await knex.raw('drop function bookings_bump_calendar_sequence()');
  await knex.schema.alterTable('bookings', (t) => {
    t.dropColumn('calendar_sequence');
  });
}
