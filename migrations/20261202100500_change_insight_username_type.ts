import type { Knex } from 'knex';

// The mentor page finds its mentor by users.username, a citext: /mentors/ALICE is Alice's
// page. As text, insight_events.mentor_username made the rollup's join
// `users.username = mentor_username` compare text = text (citext casts implicitly to text,
// not the other way), so a mentor whose username has a capital letter never met the views
// of their own page. citext on both sides compares the way the page looks the mentor up.
export async function up(knex: Knex): Promise<void> {
  await knex.raw('alter table insight_events alter column mentor_username type citext');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('alter table insight_events alter column mentor_username type text');
}
