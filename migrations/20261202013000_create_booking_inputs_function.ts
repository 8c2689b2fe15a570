import type { Knex } from 'knex';

// Everything a one-on-one request checks, read in one round trip after the mentor's
// calendar lock: the settings, weekly rules, overrides and claimed time of the mentor,
// other students' live holds, the student's own claimed time, and whether the student
// is a person (a users row) enrolled in the skill's course if it has one.
// Why a function and not one query with the lock in a CTE: under READ COMMITTED a
// statement reads from the snapshot taken when it starts, so a lock taken inside it
// would not show what the previous holder of the lock committed. A volatile function
// takes a new snapshot for each statement, so its read after the lock sees it all.
// The windows match src/slots/service.ts loadInputs (days of 24 h, a margin of the
// buffer plus the longest session, overrides from the day before to the day after).
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create function booking_inputs(
      p_mentor uuid, p_student uuid, p_now timestamptz, p_zone text, p_course uuid,
      p_default_window_days integer, p_default_buffer_minutes integer
    ) returns json language plpgsql volatile as $$
    declare
      v_window_end timestamptz;
      v_margin interval;
    begin
      perform pg_advisory_xact_lock(hashtext('calendar:' || p_mentor::text));
      select p_now + coalesce(max(s.window_days), p_default_window_days) * interval '24 hours',
             (coalesce(max(s.buffer_minutes), p_default_buffer_minutes) + 120) * interval '1 minute'
        into v_window_end, v_margin
        from mentor_settings s where s.mentor_id = p_mentor;
      return json_build_object(
        'settings', (select json_build_object(
            'minNoticeMinutes', s.min_notice_minutes, 'windowDays', s.window_days, 'bufferMinutes', s.buffer_minutes,
            'requiresApproval', s.requires_approval, 'seriesWindowDays', s.series_window_days)
          from mentor_settings s where s.mentor_id = p_mentor),
        'rules', coalesce((select json_agg(json_build_object('weekday', r.weekday, 'startTime', r.start_time, 'endTime', r.end_time, 'active', r.active))
          from availability_rules r where r.mentor_id = p_mentor), '[]'),
        'overrides', coalesce((select json_agg(json_build_object('date', o.date, 'kind', o.kind, 'startTime', o.start_time, 'endTime', o.end_time))
          from availability_overrides o where o.mentor_id = p_mentor
            and o.date between (p_now at time zone p_zone)::date - 1 and (v_window_end at time zone p_zone)::date + 1), '[]'),
        'busy', coalesce((select json_agg(json_build_object('start', lower(c.during), 'end', upper(c.during)))
          from calendar_claims c where c.user_id = p_mentor and c.during && tstzrange(p_now - v_margin, v_window_end + v_margin)), '[]'),
        'held', coalesce((select json_agg(json_build_object('start', h.starts_at, 'end', h.ends_at))
          from slot_holds h where h.mentor_id = p_mentor and h.expires_at > p_now and h.student_id <> p_student), '[]'),
        'mine', coalesce((select json_agg(json_build_object('start', lower(c.during), 'end', upper(c.during)))
          from calendar_claims c where p_student <> p_mentor and c.user_id = p_student and c.during && tstzrange(p_now, v_window_end + v_margin)), '[]'),
        'student', (select json_build_object('displayName', u.display_name) from users u where u.id = p_student),
        'enrolled', p_course is null or exists (select 1 from enrollments e where e.course_id = p_course and e.user_id = p_student)
      );
    end $$`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop function booking_inputs(uuid, uuid, timestamptz, text, uuid, integer, integer)');
}
