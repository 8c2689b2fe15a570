import type { Knex } from 'knex';

// The admin's grid sorted by the student's or the mentor's name. Sorting on
// users.display_name joined the whole table before the sort (~680 ms at a million
// bookings): with each name copied onto the booking and indexed with the id (the grid's
// tiebreaker), the first block is an index scan that stops after 100 rows.
//
// Triggers keep the copies right, whatever path writes (the app, raw SQL, a fixture):
// on insert, on a change of the booking's people, and when a user changes their name
// (one UPDATE of that user's bookings, a few thousand rows for the busiest mentor).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('bookings', (t) => {
    t.text('student_sort_name');
    t.text('mentor_sort_name');
  });
  await knex.raw(`
    update bookings b set student_sort_name = s.display_name, mentor_sort_name = m.display_name
    from users s, users m where s.id = b.student_id and m.id = b.mentor_id`);
  await knex.raw('alter table bookings alter column student_sort_name set not null, alter column mentor_sort_name set not null');

  await knex.raw(`
    create function bookings_copy_sort_names() returns trigger language plpgsql as $$
    begin
      select display_name into new.student_sort_name from users where id = new.student_id;
      select display_name into new.mentor_sort_name from users where id = new.mentor_id;
      return new;
    end $$`);
  await knex.raw(`create trigger bookings_sort_names before insert or update of student_id, mentor_id on bookings
    for each row execute function bookings_copy_sort_names()`);

  await knex.raw(`
    create function users_propagate_sort_name() returns trigger language plpgsql as $$
    begin
      update bookings set student_sort_name = new.display_name where student_id = new.id;
      update bookings set mentor_sort_name = new.display_name where mentor_id = new.id;
      return null;
    end $$`);
  await knex.raw(`create trigger users_sort_name after update of display_name on users
    for each row when (old.display_name is distinct from new.display_name) execute function users_propagate_sort_name()`);

  // Ascending only: the grid orders by (name, id) in one direction, scanned backwards for desc.
  await knex.raw('create index bookings_student_sort_idx on bookings (student_sort_name, id)');
  await knex.raw('create index bookings_mentor_sort_idx on bookings (mentor_sort_name, id)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop trigger users_sort_name on users');
  await knex.raw('drop function users_propagate_sort_name()');
  await knex.raw('drop trigger bookings_sort_names on bookings');
  await knex.raw('drop function bookings_copy_sort_names()');
  await knex.schema.alterTable('bookings', (t) => {
    t.dropColumn('mentor_sort_name');
    t.dropColumn('student_sort_name');
  });
}
