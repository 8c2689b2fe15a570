import type { Knex } from 'knex';

// citext: case-insensitive emails and usernames with plain unique indexes.
// btree_gist: exclusion constraints that mix equality and range overlap (bookings).
// pg_trgm + unaccent: typo-tolerant, accent-insensitive search (skills, courses).
export async function up(knex: Knex): Promise<void> {
  await knex.raw('create extension if not exists citext');
  await knex.raw('create extension if not exists btree_gist');
  await knex.raw('create extension if not exists pg_trgm');
  await knex.raw('create extension if not exists unaccent');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop extension if exists unaccent');
  await knex.raw('drop extension if exists pg_trgm');
  await knex.raw('drop extension if exists btree_gist');
  await knex.raw('drop extension if exists citext');
}
