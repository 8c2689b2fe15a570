import type { Knex } from 'knex';

// Full-text search of the course catalogue, the way the skills catalogue does it:
// French and English stemming over accent-free text, the title weighing more. The
// description is stored as sanitised HTML, so its tags are stripped before stemming.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table courses add column search_vector tsvector generated always as (
      setweight(to_tsvector('french', immutable_unaccent(title)), 'A') ||
      setweight(to_tsvector('english', immutable_unaccent(title)), 'A') ||
      setweight(to_tsvector('french', immutable_unaccent(coalesce(subtitle, '') || ' ' || short_description)), 'B') ||
      setweight(to_tsvector('english', immutable_unaccent(coalesce(subtitle, '') || ' ' || short_description)), 'B') ||
      setweight(to_tsvector('french', immutable_unaccent(regexp_replace(description_html, '<[^>]*>', ' ', 'g'))), 'C') ||
      setweight(to_tsvector('english', immutable_unaccent(regexp_replace(description_html, '<[^>]*>', ' ', 'g'))), 'C')
    ) stored`);
  await knex.raw('create index courses_search_idx on courses using gin (search_vector)');
  await knex.raw('create index courses_title_trgm_idx on courses using gin (immutable_unaccent(lower(title)) gin_trgm_ops)');
  await knex.raw('create index courses_compatibility_idx on courses using gin (compatibility)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists courses_compatibility_idx');
  await knex.raw('drop index if exists courses_title_trgm_idx');
  await knex.raw('alter table courses drop column if exists search_vector');
}
