import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.specificType('email', 'citext').notNullable().unique();
    t.specificType('username', 'citext').notNullable().unique();
    t.text('password_hash').notNullable();
    t.text('role').notNullable();
    t.text('display_name').notNullable();
    t.text('bio');
    t.text('avatar_key');
    t.text('job_title');
    t.text('company');
    t.text('city');
    t.text('country');
    t.text('linkedin_url');
    t.text('website_url');
    t.text('experience_level');
    t.text('phone');
    t.text('timezone').notNullable().defaultTo('Europe/Paris');
    t.text('locale').notNullable().defaultTo('fr');
    t.text('headline');
    t.decimal('hourly_rate', 10, 2);
    t.specificType('currency', 'char(3)').notNullable().defaultTo('EUR');
    t.specificType('languages', 'text[]').notNullable().defaultTo('{}');
    t.timestamp('disabled_at', { useTz: true });
    t.timestamp('last_login_at', { useTz: true });
    t.timestamps(true, true, false);
  });
  await knex.raw(`
    alter table users
      add constraint users_role_check check (role in ('student', 'mentor')),
      add constraint users_username_format check (username ~ '^[A-Za-z0-9_.-]{3,30}$'),
      add constraint users_locale_check check (locale in ('fr', 'en')),
      add constraint users_experience_check check (experience_level in ('beginner', 'intermediate', 'expert')),
      add constraint users_hourly_rate_check check (hourly_rate >= 0),
      add constraint users_bio_length check (char_length(bio) <= 2000)
  `);
  await knex.raw('create index users_role_created_idx on users (role, created_at desc)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('users');
}
