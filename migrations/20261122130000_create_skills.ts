import type { Knex } from 'knex';

export const SKILL_CATEGORIES = ['programming', 'code-review', 'data', 'design', 'pc-soft', 'languages', 'music', 'maths', 'career', 'other'] as const;

// unaccent() is only STABLE (its dictionary could change), so a generated column or
// an index cannot call it; this wrapper pins the dictionary and is IMMUTABLE.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create or replace function immutable_unaccent(text) returns text
    language sql immutable parallel safe strict
    as $$ select public.unaccent('public.unaccent'::regdictionary, $1) $$`);

  await knex.schema.createTable('skills', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('mentor_id').notNullable().references('users.id').onDelete('CASCADE');
    t.text('title').notNullable();
    t.text('description').notNullable().defaultTo('');
    t.text('category').notNullable();
    t.decimal('price', 10, 2).notNullable();
    t.specificType('currency', 'char(3)').notNullable().defaultTo('EUR');
    t.specificType('durations', 'integer[]').notNullable();
    t.text('mode').notNullable().defaultTo('one_on_one');
    t.text('status').notNullable().defaultTo('draft');
    t.text('image_key');
    t.timestamp('starts_at', { useTz: true });
    t.integer('capacity');
    t.integer('seats_taken').notNullable().defaultTo(0);
    t.timestamps(true, true, false);
  });
  await knex.raw(`
    alter table skills
      add constraint skills_title_length check (char_length(title) between 3 and 120),
      add constraint skills_description_length check (char_length(description) <= 5000),
      add constraint skills_category_check check (category in (${SKILL_CATEGORIES.map((c) => `'${c}'`).join(', ')})),
      add constraint skills_price_check check (price >= 0 and price <= 10000),
      add constraint skills_durations_check check (cardinality(durations) >= 1 and durations <@ array[30, 60, 90, 120]),
      add constraint skills_mode_check check (mode in ('one_on_one', 'group')),
      add constraint skills_status_check check (status in ('draft', 'published', 'cancelled')),
      add constraint skills_group_shape check (
        mode = 'one_on_one'
        or (starts_at is not null and capacity between 1 and 500 and cardinality(durations) = 1)),
      -- The capacity of a group session is a database fact, not only a code path.
      add constraint skills_seats_check check (seats_taken >= 0 and (capacity is null or seats_taken <= capacity))
  `);
  // French and English stemming over accent-free text; the title weighs more.
  await knex.raw(`
    alter table skills add column search_vector tsvector generated always as (
      setweight(to_tsvector('french', immutable_unaccent(title)), 'A') ||
      setweight(to_tsvector('english', immutable_unaccent(title)), 'A') ||
      setweight(to_tsvector('french', immutable_unaccent(description)), 'B') ||
      setweight(to_tsvector('english', immutable_unaccent(description)), 'B')
    ) stored`);
  await knex.raw('create index skills_search_idx on skills using gin (search_vector)');
  await knex.raw('create index skills_title_trgm_idx on skills using gin (immutable_unaccent(lower(title)) gin_trgm_ops)');
  await knex.raw(`create index skills_public_idx on skills (status, created_at desc) where status = 'published'`);
  await knex.raw('create index skills_mentor_idx on skills (mentor_id, created_at desc)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('skills');
  await knex.raw('drop function if exists immutable_unaccent(text)');
}
