import type { Knex } from 'knex';

// One private calendar feed per person. The row holds a random feed id only; the URL's
// secret half is an HMAC of it under the server's signing secret, so a copy of the
// database alone does not give anyone's feed URL. Revoking deletes the row.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('calendar_feeds', (t) => {
    t.uuid('user_id').primary().references('users.id').onDelete('CASCADE');
    t.text('feed_id').notNullable().unique();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('calendar_feeds');
}
