import type { Knex } from 'knex';

// One person is in one place at a time, whatever the role they play: every live
// booking claims its student's time (and, for a one-on-one, its mentor's), and every
// published group session claims its mentor's time. One exclusion constraint over
// these claims makes an overlap impossible from any side, even for two concurrent
// requests on two app instances. Triggers keep the claims in the same statement as the
// change of a booking or a skill, so no code path can forget them.
//
// Databases already in use may hold overlaps that the constraint would refuse. They
// are resolved before it is added, deterministically: a published group session keeps
// its time (students rely on it), then the earliest request wins; every later
// overlapping booking is cancelled with a system reason, a history row and a
// notification for both parties. Live seats of withdrawn group sessions end too.

// Stored on the booking as the reason; both languages, since it is written once for everyone.
const SYSTEM_REASON = 'Chevauchement avec une session réservée plus tôt à la même heure. / It overlapped a session booked earlier at the same time.';
const WITHDRAWN_REASON = 'La session de groupe a été retirée. / The group session was withdrawn.';

interface Claimant {
  bookingId: string | null;
  skillId: string | null;
  mentorId: string;
  studentId: string | null;
  skillTitle: string;
  start: number;
  end: number;
}

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table calendar_claims (
      id bigserial primary key,
      user_id uuid not null references users (id) on delete cascade,
      during tstzrange not null,
      booking_id uuid references bookings (id) on delete cascade,
      skill_id uuid references skills (id) on delete cascade,
      constraint calendar_claims_one_source check (num_nonnulls(booking_id, skill_id) = 1),
      constraint calendar_claims_no_overlap exclude using gist (user_id with =, during with &&)
    )`);
  await knex.raw('create index calendar_claims_booking_idx on calendar_claims (booking_id) where booking_id is not null');
  await knex.raw('create index calendar_claims_skill_idx on calendar_claims (skill_id) where skill_id is not null');

  await resolveExistingOverlaps(knex);

  await knex.raw(`
    create function claim_booking_time() returns trigger language plpgsql as $$
    begin
      if tg_op <> 'INSERT' then
        delete from calendar_claims where booking_id = old.id;
      end if;
      if tg_op <> 'DELETE' and new.status in ('pending', 'confirmed') then
        insert into calendar_claims (user_id, during, booking_id) values (new.student_id, tstzrange(new.starts_at, new.ends_at), new.id);
        if new.kind = 'one_on_one' then
          insert into calendar_claims (user_id, during, booking_id) values (new.mentor_id, tstzrange(new.starts_at, new.ends_at), new.id);
        end if;
      end if;
      return null;
    end $$`);
  await knex.raw(`
    create trigger bookings_claim_time after insert or delete or update of status, starts_at, ends_at, student_id, mentor_id, kind
    on bookings for each row execute function claim_booking_time()`);

  await knex.raw(`
    create function claim_group_session_time() returns trigger language plpgsql as $$
    begin
      if tg_op <> 'INSERT' then
        delete from calendar_claims where skill_id = old.id;
      end if;
      if tg_op <> 'DELETE' and new.mode = 'group' and new.status = 'published' and new.starts_at is not null then
        insert into calendar_claims (user_id, during, skill_id)
        values (new.mentor_id, tstzrange(new.starts_at, new.starts_at + make_interval(mins => new.durations[1])), new.id);
      end if;
      return null;
    end $$`);
  await knex.raw(`
    create trigger skills_claim_time after insert or delete or update of status, starts_at, durations, mode, mentor_id
    on skills for each row execute function claim_group_session_time()`);

  await knex.raw(`
    insert into calendar_claims (user_id, during, skill_id)
    select mentor_id, tstzrange(starts_at, starts_at + make_interval(mins => durations[1])), id
    from skills where mode = 'group' and status = 'published' and starts_at is not null`);
  await knex.raw(`
    insert into calendar_claims (user_id, during, booking_id)
    select student_id, tstzrange(starts_at, ends_at), id from bookings where status in ('pending', 'confirmed')
    union all
    select mentor_id, tstzrange(starts_at, ends_at), id from bookings where status in ('pending', 'confirmed') and kind = 'one_on_one'`);
}

async function resolveExistingOverlaps(knex: Knex): Promise<void> {
  const withdrawn: { id: string }[] = await knex('bookings as b').join('skills as s', 's.id', 'b.skill_id')
    .where('b.kind', 'group').whereIn('b.status', ['pending', 'confirmed']).whereNot('s.status', 'published').select('b.id');
  if (withdrawn.length) await cancelBySystem(knex, withdrawn.map((b) => b.id), WITHDRAWN_REASON);

  // Group sessions first (they keep their time), then bookings by request order.
  const sessions = await knex('skills').where({ mode: 'group', status: 'published' }).whereNotNull('starts_at')
    .orderBy([{ column: 'created_at' }, { column: 'id' }])
    .select({ skillId: 'id', mentorId: 'mentor_id', skillTitle: 'title', startsAt: 'starts_at', minutes: knex.raw('durations[1]') });
  const bookings = await knex('bookings as b').join('skills as s', 's.id', 'b.skill_id').whereIn('b.status', ['pending', 'confirmed'])
    .orderBy([{ column: 'b.created_at' }, { column: 'b.id' }])
    .select({ bookingId: 'b.id', mentorId: 'b.mentor_id', studentId: 'b.student_id', kind: 'b.kind', skillTitle: 's.title', startsAt: 'b.starts_at', endsAt: 'b.ends_at' });

  const taken = new Map<string, { start: number; end: number }[]>();
  const overlaps = (userId: string, c: Claimant) => (taken.get(userId) ?? []).some((t) => t.start < c.end && c.start < t.end);
  const claim = (userId: string, c: Claimant) => taken.set(userId, [...(taken.get(userId) ?? []), { start: c.start, end: c.end }]);

  for (const s of sessions as { skillId: string; mentorId: string; skillTitle: string; startsAt: Date; minutes: number }[]) {
    const c: Claimant = { bookingId: null, skillId: s.skillId, mentorId: s.mentorId, studentId: null, skillTitle: s.skillTitle, start: s.startsAt.getTime(), end: s.startsAt.getTime() + s.minutes * 60_000 };
    // Two published sessions of one mentor at once cannot both be kept: the later one goes back to draft.
    if (overlaps(s.mentorId, c)) {
      await knex('skills').where({ id: s.skillId }).update({ status: 'draft' });
      logChange({ unpublishedGroupSession: s.skillId, mentorId: s.mentorId });
      continue;
    }
    claim(s.mentorId, c);
  }
  const losers: string[] = [];
  for (const b of bookings as { bookingId: string; mentorId: string; studentId: string; kind: string; skillTitle: string; startsAt: Date; endsAt: Date }[]) {
    const c: Claimant = { bookingId: b.bookingId, skillId: null, mentorId: b.mentorId, studentId: b.studentId, skillTitle: b.skillTitle, start: b.startsAt.getTime(), end: b.endsAt.getTime() };
    const mentorSide = b.kind === 'one_on_one';
    if (overlaps(b.studentId, c) || (mentorSide && overlaps(b.mentorId, c))) {
      losers.push(b.bookingId);
      continue;
    }
    claim(b.studentId, c);
    if (mentorSide) claim(b.mentorId, c);
  }
  if (losers.length) await cancelBySystem(knex, losers, SYSTEM_REASON);
}

/** Cancels bookings as the system would: reason, history, a notice to both parties, seats given back. */
async function cancelBySystem(knex: Knex, ids: string[], reason: string): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const rows: { id: string; mentorId: string; studentId: string; skillId: string; kind: string; startsAt: Date; skillTitle: string }[] = await knex('bookings as b')
      .join('skills as s', 's.id', 'b.skill_id').whereIn('b.id', chunk)
      .select({ id: 'b.id', mentorId: 'b.mentor_id', studentId: 'b.student_id', skillId: 'b.skill_id', kind: 'b.kind', startsAt: 'b.starts_at', skillTitle: 's.title' });
    await knex('bookings').whereIn('id', chunk).update({ status: 'cancelled', cancel_reason: reason, cancelled_by: null, expires_at: null, updated_at: knex.fn.now() });
    await knex('booking_events').insert(rows.map((b) => ({ booking_id: b.id, status: 'cancelled', actor_id: null, actor_role: 'system', note: reason })));
    const names = new Map<string, string>((await knex('users').whereIn('id', rows.flatMap((b) => [b.mentorId, b.studentId])).select('id', 'display_name'))
      .map((u: { id: string; displayName: string }) => [u.id, u.displayName]));
    await knex('notifications').insert(rows.flatMap((b) => [b.studentId, b.mentorId].map((userId) => ({
      user_id: userId, kind: 'booking.auto_cancelled', booking_id: b.id,
      data: { other: names.get(userId === b.mentorId ? b.studentId : b.mentorId) ?? '', skill: b.skillTitle, when: b.startsAt.toISOString(), reason },
    }))));
    for (const b of rows.filter((r) => r.kind === 'group')) {
      await knex('skills').where({ id: b.skillId }).where('seats_taken', '>', 0).decrement('seats_taken', 1);
    }
    for (const b of rows) logChange({ cancelledBooking: b.id, studentId: b.studentId, mentorId: b.mentorId, startsAt: b.startsAt.toISOString(), reason });
  }
}

function logChange(change: Record<string, unknown>): void {
  // Migrations run before the app's logger exists; one JSON line per change on stderr.
  console.warn(JSON.stringify({ migration: 'create_calendar_claims', ...change }));
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop trigger if exists skills_claim_time on skills');
  await knex.raw('drop trigger if exists bookings_claim_time on bookings');
  await knex.raw('drop function if exists claim_group_session_time()');
  await knex.raw('drop function if exists claim_booking_time()');
  await knex.raw('drop table if exists calendar_claims');
}
