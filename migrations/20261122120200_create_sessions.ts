import type { Knex } from 'knex';

// The table connect-pg-simple expects, plus an index on the user id inside the
// session so that "end every session of this user" (password reset) is one delete.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table sessions (
      sid varchar not null primary key,
      sess json not null,
      expire timestamp(6) not null
    )`);
  await knex.raw('create index sessions_expire_idx on sessions (expire)');
  await knex.raw(`create index sessions_user_idx on sessions ((sess->>'userId'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('sessions');
}
