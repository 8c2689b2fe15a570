import type { Knex } from 'knex';

// Insights answer from hourly rollups, never from bookings directly, so a chart over 90 days
// reads a few thousand rows whatever the size of the bookings table. Hours rather than days:
// the viewer's midnight is cut from them in any whole-hour zone.
//
// - insight_salts: one random salt per UTC day; a visitor is HMAC(salt, address + agent), so
//   the raw address and agent are never stored, and once a day's salt is deleted (after two
//   days) nothing links that day's visitors to anyone, nor to the next day's.
// - insight_events: the page funnel (views, the booking modal's steps), written in batches;
//   rolled up into insight_hourly, then deleted after two days.
// - insight_hourly: per hour, mentor and skill (skill null: the mentor's own page), and per
//   hour for the platform (mentor and skill null). Traffic columns are added to as events
//   roll up; the booking and review columns are recomputed from their tables for the hours a
//   trigger marked dirty (insight_dirty), so a booking that completes weeks after it was
//   requested corrects the hour it was requested in.
// - insight_daily_visitors: distinct visitors per UTC day (a salt's day), per mentor and for
//   the platform (mentor null).
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table insight_salts (
      day date primary key,
      salt bytea not null check (octet_length(salt) = 32)
    );

    create table insight_events (
      id bigint generated always as identity primary key,
      occurred_at timestamptz not null default now(),
      kind text not null check (kind in ('skill_view', 'mentor_view', 'modal_opened', 'details_reached', 'summary_reached')),
      -- No foreign keys: a batch must not fail because a skill was deleted while it waited.
      skill_id uuid,
      mentor_username text check (char_length(mentor_username) <= 100),
      visitor bytea not null check (octet_length(visitor) = 16),
      check ((kind = 'mentor_view') = (mentor_username is not null and skill_id is null))
    );
    create index insight_events_occurred_idx on insight_events (occurred_at);

    create table insight_hourly (
      hour timestamptz not null check (date_trunc('hour', hour) = hour),
      mentor_id uuid,
      skill_id uuid,
      views integer not null default 0,
      modal_opened integer not null default 0,
      details_reached integer not null default 0,
      summary_reached integer not null default 0,
      -- By the hour the booking was requested (created).
      requested integer not null default 0,
      confirmed integer not null default 0,
      completed integer not null default 0,
      cancelled_by_student integer not null default 0,
      cancelled_by_mentor integer not null default 0,
      late_cancelled integer not null default 0,
      -- By the hour the session starts.
      sessions integer not null default 0,
      session_minutes integer not null default 0,
      no_shows integer not null default 0,
      sessions_due integer not null default 0,
      scheduled integer not null default 0,
      -- By the hour the review was written.
      reviews integer not null default 0,
      rating_sum integer not null default 0,
      -- Platform rows only: accounts, enrollments and course reviews created in the hour.
      new_students integer not null default 0,
      new_mentors integer not null default 0,
      enrollments integer not null default 0,
      course_reviews integer not null default 0,
      check (mentor_id is not null or skill_id is null),
      unique nulls not distinct (mentor_id, hour, skill_id)
    );
    create index insight_hourly_mentors_idx on insight_hourly (hour) where mentor_id is not null;

    create table insight_daily_visitors (
      day date not null,
      mentor_id uuid,
      visitors integer not null,
      unique nulls not distinct (mentor_id, day)
    );

    create table insight_dirty (
      mentor_id uuid not null,
      hour timestamptz not null,
      primary key (mentor_id, hour)
    );

    create table insight_rollup_state (
      id boolean primary key default true check (id),
      events_through bigint not null default 0,
      backfilled_at timestamptz,
      updated_at timestamptz
    );
    insert into insight_rollup_state default values;

    create function insight_mark_bookings() returns trigger language plpgsql as $$
    begin
      if tg_op in ('UPDATE', 'DELETE') then
        insert into insight_dirty (mentor_id, hour)
          select mentor_id, date_trunc('hour', created_at) from old_rows
          union select mentor_id, date_trunc('hour', starts_at) from old_rows
          on conflict do nothing;
      end if;
      if tg_op in ('INSERT', 'UPDATE') then
        insert into insight_dirty (mentor_id, hour)
          select mentor_id, date_trunc('hour', created_at) from new_rows
          union select mentor_id, date_trunc('hour', starts_at) from new_rows
          on conflict do nothing;
      end if;
      return null;
    end $$;

    create function insight_mark_reviews() returns trigger language plpgsql as $$
    begin
      if tg_op in ('UPDATE', 'DELETE') then
        insert into insight_dirty (mentor_id, hour)
          select distinct mentor_id, date_trunc('hour', created_at) from old_rows on conflict do nothing;
      end if;
      if tg_op in ('INSERT', 'UPDATE') then
        insert into insight_dirty (mentor_id, hour)
          select distinct mentor_id, date_trunc('hour', created_at) from new_rows on conflict do nothing;
      end if;
      return null;
    end $$;
  `);
  for (const [table, fn] of [['bookings', 'insight_mark_bookings'], ['mentor_reviews', 'insight_mark_reviews']]) {
    await knex.raw(`
      create trigger ${table}_insight_insert after insert on ${table} referencing new table as new_rows for each statement execute function ${fn}();
      create trigger ${table}_insight_update after update on ${table} referencing old table as old_rows new table as new_rows for each statement execute function ${fn}();
      create trigger ${table}_insight_delete after delete on ${table} referencing old table as old_rows for each statement execute function ${fn}();
    `);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['bookings', 'mentor_reviews']) {
    for (const op of ['insert', 'update', 'delete']) await knex.raw(`drop trigger if exists ${table}_insight_${op} on ${table}`);
  }
  await knex.raw(`
    drop function if exists insight_mark_bookings();
    drop function if exists insight_mark_reviews();
    drop table if exists insight_rollup_state, insight_dirty, insight_daily_visitors, insight_hourly, insight_events, insight_salts;
  `);
}
