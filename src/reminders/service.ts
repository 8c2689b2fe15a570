// Reminders before a session. Each (booking, party, offset) is one graphile job whose
// key names all three, so scheduling again (a moved booking, changed preferences)
// replaces the job rather than adding one; the job itself checks, when it runs, that
// the booking still holds that very time (see deliver.ts).
import type { Knex } from 'knex';
import type { BookingScheduleHooks } from '../bookings/service.ts';
import type { Clock } from '../lib/clock.ts';
import { addJobsSql, scopeIdsJson, type JobSpec, type Jobs } from '../lib/jobs.ts';
import { startingSessions } from './starting.ts';
import { DEFAULT_OFFSETS, DEFAULT_PREFERENCES, OFFSET_CHOICES, preferencesOf, savePreferences, wants, type ReminderPreferences } from './preferences.ts';

type ScheduledBooking = Parameters<BookingScheduleHooks['scheduled']>[1];

export const REMINDER_TASK = 'booking-reminder';
/** The sweep looks this far ahead: the largest offset plus an hour of margin. */
const SWEEP_HORIZON_MINUTES = Math.max(...OFFSET_CHOICES) + 60;

export interface ReminderPayload {
  bookingId: string;
  userId: string;
  offsetMinutes: number;
  /** The start the reminder was scheduled for: a moved booking's old job sends nothing. */
  startsAt: string;
}

export const reminderKey = (bookingId: string, userId: string, offsetMinutes: number) => `reminder:${bookingId}:${userId}:${offsetMinutes}`;

export function remindersService(deps: { knex: Knex; clock: Clock; jobs: Jobs }) {
  const { knex, clock, jobs } = deps;

  /** One party's jobs for one booking: each wanted offset still ahead is (re)placed, every other key removed. */
  function plan(booking: ScheduledBooking, userId: string, prefs: ReminderPreferences, into: { add: JobSpec[]; stale: string[] }) {
    const now = clock.now().getTime();
    for (const offset of OFFSET_CHOICES) {
      const runAt = new Date(booking.startsAt.getTime() - offset * 60_000);
      const key = reminderKey(booking.id, userId, offset);
      if (booking.status !== 'confirmed' || !wants(prefs, offset) || runAt.getTime() <= now) {
        into.stale.push(key);
        continue;
      }
      const payload: ReminderPayload = { bookingId: booking.id, userId, offsetMinutes: offset, startsAt: booking.startsAt.toISOString() };
      into.add.push({ task: REMINDER_TASK, payload: { ...payload }, options: { jobKey: key, runAt, maxAttempts: 5 } });
    }
    return into;
  }

  /** Every party's reminders of these bookings, placed and removed in one round trip. */
  async function scheduleAll(trx: Knex.Transaction, items: { booking: ScheduledBooking; userId: string; prefs: ReminderPreferences }[]) {
    const into = { add: [] as JobSpec[], stale: [] as string[] };
    for (const i of items) plan(i.booking, i.userId, i.prefs, into);
    await jobs.replace(trx, into.add, into.stale);
  }

  async function removeJobs(trx: Knex.Transaction, keys: string[]) {
    await trx.raw('select graphile_worker.remove_job(k) from unnest(?::text[]) k', [keys]);
  }

  const hooks: BookingScheduleHooks = {
    // On the booking path (a confirmation): the parties' preferences are read and every job
    // placed or removed in one statement, by plan()'s rule written in SQL (reminders.test.ts
    // confirms bookings under default, custom and "nothing" preferences through it).
    async scheduled(trx, booking) {
      await trx.raw(
        `with prefs as (
           select p.user_id, coalesce(r.offsets_minutes, :defaults::int[]) as offsets, coalesce(r.by_mail or r.in_app, :anyDefault::boolean) as reminded
           from unnest(:parties::uuid[]) as p(user_id) left join reminder_preferences r on r.user_id = p.user_id
         ), plan as (
           select pr.user_id, o.m as offset_minutes, 'reminder:' || :bookingId || ':' || pr.user_id || ':' || o.m as key,
                  :startsAt::timestamptz - make_interval(mins => o.m) as run_at,
                  (:confirmed::boolean and pr.reminded and o.m = any(pr.offsets) and :startsAt::timestamptz - make_interval(mins => o.m) > :now::timestamptz) as wanted
           from prefs pr cross join unnest(:choices::int[]) as o(m)
         )
         select (select count(graphile_worker.remove_job(key)) from plan where not wanted) as removed,
                ${addJobsSql(`select json_build_object('identifier', :task::text,
                   'payload', jsonb_build_object('bookingId', :bookingId::text, 'userId', user_id, 'offsetMinutes', offset_minutes, 'startsAt', :startsAtText::text) || :ids::jsonb,
                   'max_attempts', 5, 'run_at', run_at, 'job_key', key) as spec from plan where wanted`)} as added`,
        {
          defaults: DEFAULT_PREFERENCES.offsetsMinutes, anyDefault: DEFAULT_PREFERENCES.byMail || DEFAULT_PREFERENCES.inApp,
          parties: [booking.mentorId, booking.studentId], bookingId: booking.id, startsAt: booking.startsAt, startsAtText: booking.startsAt.toISOString(),
          confirmed: booking.status === 'confirmed', now: clock.now(), choices: [...OFFSET_CHOICES], task: REMINDER_TASK,
          ids: scopeIdsJson(), // the confirming request's ids, as jobs.add would put them
        },
      );
    },
    async unscheduled(trx, booking) {
      const parties = await trx('bookings').where({ id: booking.id }).first('mentorId', 'studentId') as { mentorId: string; studentId: string } | undefined;
      if (!parties) return;
      const keys = [parties.mentorId, parties.studentId].flatMap((u) => OFFSET_CHOICES.map((o) => reminderKey(booking.id, u, o)));
      await removeJobs(trx, keys);
    },
  };

  /** Saves the preferences and moves the reminders of the user's upcoming sessions to match, at once. */
  async function updatePreferences(userId: string, prefs: ReminderPreferences): Promise<void> {
    await knex.transaction(async (trx) => {
      await savePreferences(trx, userId, prefs, clock.now());
      const upcoming = await upcomingConfirmed(trx, userId);
      await scheduleAll(trx, upcoming.map((b) => ({ booking: b, userId, prefs })));
    });
  }

  async function upcomingConfirmed(trx: Knex.Transaction, userId: string): Promise<ScheduledBooking[]> {
    return trx('bookings')
      .where({ status: 'confirmed' })
      .andWhere((q) => q.where({ mentorId: userId }).orWhere({ studentId: userId }))
      .andWhere('startsAt', '>', clock.now())
      .select('id', 'startsAt', 'endsAt', 'status', 'mentorId', 'studentId');
  }

  /**
   * Safety net: every confirmed booking starting soon gets the reminders it lacks
   * (demo data, any path that moved a booking without the hook: a queued job naming
   * another start is replaced). A reminder queued for the booking's start or already
   * sent is left alone, so running it twice changes nothing.
   */
  async function sweep(): Promise<number> {
    const now = clock.now();
    const { rows } = await knex.raw(`
      with due as (
        select b.id as booking_id, p.user_id, o.offset_minutes, b.starts_at
          from bookings b
         cross join lateral (values (b.mentor_id), (b.student_id)) as p(user_id)
          left join reminder_preferences rp on rp.user_id = p.user_id
         cross join lateral unnest(coalesce(rp.offsets_minutes, ?::int[])) as o(offset_minutes)
         where b.status = 'confirmed'
           and b.starts_at > ?::timestamptz and b.starts_at <= ?::timestamptz + ? * interval '1 minute'
           and coalesce(rp.by_mail or rp.in_app, true)
           and b.starts_at - o.offset_minutes * interval '1 minute' > ?::timestamptz
           and not exists (select 1 from graphile_worker._private_jobs j
                            where j.key = 'reminder:' || b.id || ':' || p.user_id || ':' || o.offset_minutes
                              and (j.payload->>'startsAt')::timestamptz = b.starts_at)
           and not exists (select 1 from sent_reminders s
                            where s.booking_id = b.id and s.user_id = p.user_id and s.offset_minutes = o.offset_minutes and s.starts_at = b.starts_at)
      )
      select graphile_worker.add_job(?,
               json_build_object('bookingId', booking_id, 'userId', user_id, 'offsetMinutes', offset_minutes,
                                 'startsAt', to_char(starts_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
               run_at => starts_at - offset_minutes * interval '1 minute',
               job_key => 'reminder:' || booking_id || ':' || user_id || ':' || offset_minutes,
               max_attempts => 5)
        from due`, [DEFAULT_OFFSETS, now, now, SWEEP_HORIZON_MINUTES, now, REMINDER_TASK]);
    return (rows as unknown[]).length;
  }

  return {
    hooks, updatePreferences, sweep,
    preferences: async (userId: string) => (await preferencesOf(knex, [userId])).get(userId)!,
    /** What the profile's reminders form shows: the stored choice and the offsets on offer. */
    profileForm: async (userId: string) => ({ reminders: (await preferencesOf(knex, [userId])).get(userId)!, offsetChoices: OFFSET_CHOICES }),
    /** Sessions of the user starting within minutes or under way (the dashboard's prompt). */
    starting: (userId: string) => startingSessions(knex, userId, clock.now()),
  };
}

export type RemindersService = ReturnType<typeof remindersService>;
