import type { Knex } from 'knex';

// Weekly rules (seed 002), one-off extra slots and blocked days (seed 004), and the
// per-mentor booking settings. Times are wall-clock times in the mentor's zone.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('mentor_settings', (t) => {
    t.uuid('mentor_id').primary().references('users.id').onDelete('CASCADE');
    t.integer('min_notice_minutes').notNullable().defaultTo(720);
    t.integer('window_days').notNullable().defaultTo(14);
    t.integer('buffer_minutes').notNullable().defaultTo(0);
    t.boolean('requires_approval').notNullable().defaultTo(true);
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`
    alter table mentor_settings
      add constraint mentor_settings_notice check (min_notice_minutes between 0 and 43200),
      add constraint mentor_settings_window check (window_days between 1 and 90),
      add constraint mentor_settings_buffer check (buffer_minutes between 0 and 120)`);

  await knex.schema.createTable('availability_rules', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('mentor_id').notNullable().references('users.id').onDelete('CASCADE');
    t.smallint('weekday').notNullable();
    t.time('start_time').notNullable();
    t.time('end_time').notNullable();
    t.boolean('active').notNullable().defaultTo(true);
    t.index(['mentor_id', 'weekday']);
  });
  await knex.raw(`
    alter table availability_rules
      add constraint availability_rules_weekday check (weekday between 1 and 7),
      add constraint availability_rules_order check (end_time > start_time)`);

  await knex.schema.createTable('availability_overrides', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('mentor_id').notNullable().references('users.id').onDelete('CASCADE');
    t.date('date').notNullable();
    t.text('kind').notNullable();
    t.time('start_time');
    t.time('end_time');
    t.text('note');
    t.index(['mentor_id', 'date']);
  });
  await knex.raw(`
    alter table availability_overrides
      add constraint availability_overrides_kind check (kind in ('extra', 'blocked')),
      add constraint availability_overrides_times check ((start_time is null) = (end_time is null)),
      add constraint availability_overrides_extra_times check (kind = 'blocked' or start_time is not null),
      add constraint availability_overrides_order check (end_time > start_time)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('availability_overrides');
  await knex.schema.dropTable('availability_rules');
  await knex.schema.dropTable('mentor_settings');
}
