import type { Knex } from 'knex';
import { up as createBookingInputs } from './20261202013000_create_booking_inputs_function.ts';

// What the slot engine reads about a mentor and a viewer, defined once: slot_inputs is
// the read (pages showing slots, every availability check; no lock), and booking_inputs
// now takes the calendar lock and adds the request's own facts to it. Its windows are the
// ones booking_inputs had: days of 24 h, claims within the buffer plus the longest session,
// overrides from the day before today to the day after the window's end in the mentor's
// zone. p_ignore (a booking being moved) hides its own claims and its open proposal's;
// p_window_days (a series) replaces the mentor's window.
// booking_inputs calls it in its own statement after the lock: a volatile function takes
// a new snapshot per statement, and a stable one runs in its caller's, so the read still
// sees what the lock's previous holder committed.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create function slot_inputs(
      p_mentor uuid, p_viewer uuid, p_now timestamptz, p_zone text, p_ignore uuid, p_window_days integer,
      p_default_window_days integer, p_default_buffer_minutes integer
    ) returns json language sql stable as $$
      with s as (
        select min_notice_minutes, window_days, buffer_minutes, requires_approval, series_window_days
          from mentor_settings where mentor_id = p_mentor
      ), w as (
        select p_now + coalesce(p_window_days, (select window_days from s), p_default_window_days) * interval '24 hours' as window_end,
               (coalesce((select buffer_minutes from s), p_default_buffer_minutes) + 120) * interval '1 minute' as margin
      ), kept as not materialized (
        -- The claims a moved booking does not hide; inlined where used, under each one's time range.
        select c.user_id, c.during from calendar_claims c
         where c.user_id in (p_mentor, p_viewer)
           and (p_ignore is null or (c.booking_id is distinct from p_ignore
                and not exists (select 1 from reschedule_proposals p where p.id = c.proposal_id and p.booking_id = p_ignore)))
      )
      select json_build_object(
        'settings', (select json_build_object('minNoticeMinutes', s.min_notice_minutes, 'windowDays', s.window_days, 'bufferMinutes', s.buffer_minutes,
                       'requiresApproval', s.requires_approval, 'seriesWindowDays', s.series_window_days) from s),
        'rules', coalesce((select json_agg(json_build_object('weekday', r.weekday, 'startTime', r.start_time, 'endTime', r.end_time, 'active', r.active))
          from availability_rules r where r.mentor_id = p_mentor), '[]'),
        'overrides', coalesce((select json_agg(json_build_object('date', o.date, 'kind', o.kind, 'startTime', o.start_time, 'endTime', o.end_time))
          from availability_overrides o, w where o.mentor_id = p_mentor
            and o.date between (p_now at time zone p_zone)::date - 1 and (w.window_end at time zone p_zone)::date + 1), '[]'),
        'busy', coalesce((select json_agg(json_build_object('start', lower(c.during), 'end', upper(c.during)))
          from kept c, w where c.user_id = p_mentor and c.during && tstzrange(p_now - w.margin, w.window_end + w.margin)), '[]'),
        'held', coalesce((select json_agg(json_build_object('start', h.starts_at, 'end', h.ends_at))
          from slot_holds h where h.mentor_id = p_mentor and h.expires_at > p_now and (p_viewer is null or h.student_id <> p_viewer)), '[]'),
        'mine', coalesce((select json_agg(json_build_object('start', lower(c.during), 'end', upper(c.during)))
          from kept c, w where p_viewer <> p_mentor and c.user_id = p_viewer and c.during && tstzrange(p_now, w.window_end + w.margin)), '[]')
      )
    $$`);
  await knex.raw(`
    create or replace function booking_inputs(
      p_mentor uuid, p_student uuid, p_now timestamptz, p_zone text, p_course uuid,
      p_default_window_days integer, p_default_buffer_minutes integer
    ) returns json language plpgsql volatile as $$
    begin
      perform pg_advisory_xact_lock(hashtext('calendar:' || p_mentor::text));
      return (slot_inputs(p_mentor, p_student, p_now, p_zone, null, null, p_default_window_days, p_default_buffer_minutes)::jsonb
        || jsonb_build_object(
          'student', (select json_build_object('displayName', u.display_name) from users u where u.id = p_student),
          'enrolled', p_course is null or exists (select 1 from enrollments e where e.course_id = p_course and e.user_id = p_student)
        ))::json;
    end $$`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop function booking_inputs(uuid, uuid, timestamptz, text, uuid, integer, integer)');
  await knex.raw('drop function slot_inputs(uuid, uuid, timestamptz, text, uuid, integer, integer, integer)');
  // booking_inputs as it was, from the migration that made it.
  await createBookingInputs(knex);
}
