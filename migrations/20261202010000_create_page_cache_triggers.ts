import type { Knex } from 'knex';

// Every app instance keeps anonymous pages in memory for a few seconds (src/lib/page-cache.ts)
// and LISTENs on `page_cache`. Triggers rather than calls in the services: every path that
// writes these tables (services, jobs, seeds, an admin in psql) invalidates, and NOTIFY is
// delivered at commit only, so no instance drops an entry before the change is visible and
// re-renders the old state. Statement-level with transition tables: one NOTIFY per mentor
// touched, whatever the number of rows (identical payloads are merged by PostgreSQL).
//
// Payloads: `mentor:<id>` (their skill, mentor and slot pages), `skills:<id>` (those and
// the catalogue), `catalogue`, `courses`, and `all` when a statement touches many mentors.

const MANY_MENTORS = 50;

/** [table, payload kind, column naming the mentor (none: the whole kind)] */
const WATCHED: [string, string, string | null][] = [
  ['skills', 'skills', 'mentor_id'],
  ['availability_rules', 'mentor', 'mentor_id'],
  ['availability_overrides', 'mentor', 'mentor_id'],
  ['mentor_settings', 'mentor', 'mentor_id'],
  ['slot_holds', 'mentor', 'mentor_id'],
  ['bookings', 'mentor', 'mentor_id'],
  // Reschedule proposals and group sessions block a mentor's time here; a student's claim names nobody's page.
  ['calendar_claims', 'mentor', 'user_id'],
  ['mentor_reviews', 'mentor', 'mentor_id'],
  // "Free this week" in the catalogue reads it.
  ['mentor_next_free', 'catalogue', null],
  ['courses', 'courses', null],
  ['course_reviews', 'courses', null],
];

const EVENTS = [
  ['insert', 'referencing new table as new_rows'],
  ['update', 'referencing old table as old_rows new table as new_rows'],
  ['delete', 'referencing old table as old_rows'],
] as const;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create function notify_page_cache() returns trigger language plpgsql as $$
    declare
      kind text := tg_argv[0];
      col text := tg_argv[1];
      ids text[];
      id text;
    begin
      -- Statement triggers fire for statements that touched no row too (a refresh with nothing new).
      if col is null then
        if tg_op = 'DELETE' then
          perform 1 from old_rows limit 1;
        else
          perform 1 from new_rows limit 1;
        end if;
        if found then
          perform pg_notify('page_cache', kind);
        end if;
        return null;
      end if;
      if tg_op = 'INSERT' then
        execute format('select array_agg(distinct %I::text) from new_rows', col) into ids;
      elsif tg_op = 'DELETE' then
        execute format('select array_agg(distinct %I::text) from old_rows', col) into ids;
      else
        execute format('select array_agg(distinct v) from (select %1$I::text as v from new_rows union select %1$I::text from old_rows) s', col) into ids;
      end if;
      if ids is null then
        return null;
      end if;
      if cardinality(ids) > ${MANY_MENTORS} then
        perform pg_notify('page_cache', 'all');
        return null;
      end if;
      foreach id in array ids loop
        perform pg_notify('page_cache', kind || ':' || id);
      end loop;
      return null;
    end $$`);
  for (const [table, kind, column] of WATCHED) {
    for (const [event, referencing] of EVENTS) {
      const args = column ? `'${kind}', '${column}'` : `'${kind}'`;
      await knex.raw(`create trigger ${table}_page_cache_${event} after ${event} on ${table} ${referencing} for each statement execute function notify_page_cache(${args})`);
    }
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const [table] of WATCHED) {
    for (const [event] of EVENTS) await knex.raw(`drop trigger if exists ${table}_page_cache_${event} on ${table}`);
  }
  await knex.raw('drop function if exists notify_page_cache()');
}
