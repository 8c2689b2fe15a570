import type { Knex } from 'knex';

// Each booking's conversation between its student and its mentor (the admin may write
// too: author_id is then null, the shadow admin having no users row). Ids are a
// sequence, not times: "read up to" and "mailed up to" compare ids, which stay ordered
// when two messages share a timestamp. The old bookings.message becomes the first
// message; the column stays, so down loses nothing.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table booking_messages (
      id bigint generated always as identity primary key,
      booking_id uuid not null references bookings(id) on delete cascade,
      author_id uuid references users(id) on delete set null,
      author_role text not null check (author_role in ('student', 'mentor', 'admin')),
      body text not null check (char_length(body) between 1 and 2000),
      created_at timestamptz not null default now()
    );
    create index booking_messages_booking on booking_messages (booking_id, id);
    create table booking_message_reads (
      booking_id uuid not null references bookings(id) on delete cascade,
      user_id uuid not null references users(id) on delete cascade,
      last_read_id bigint not null default 0,
      mailed_through_id bigint not null default 0,
      primary key (booking_id, user_id)
    );
    insert into booking_messages (booking_id, author_id, author_role, body, created_at)
      select id, student_id, 'student', left(btrim(message), 2000), created_at
      from bookings where message is not null and btrim(message) <> ''
      order by created_at;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table booking_message_reads; drop table booking_messages;');
}
