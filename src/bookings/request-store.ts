// The database side of a one-on-one request in two round trips inside its transaction:
// one that takes the mentor's calendar lock and reads every rule's data (the
// booking_inputs function), one statement that writes the booking and everything that
// goes with it. A request used to make 20 sequential round trips while holding a
// connection and the lock; the lock is what serialises a mentor's bookings, so its
// hold time bounds how many one mentor can take per second.
import type { Knex } from 'knex';
import { snakeCaseMappers } from 'objection';
import { DEFAULT_SETTINGS } from '../availability/model.ts';
import type { NotificationKind } from '../notifications/service.ts';
import { toSlotInputs, type SlotInputs, type StoredSlotInputs } from '../slots/service.ts';
import { Booking } from './model.ts';
import { addJobsSql, scopeIdsJson } from '../lib/jobs.ts';

interface Loaded extends StoredSlotInputs {
  student: { displayName: string } | null;
  enrolled: boolean;
}

export interface RequestInputs {
  slots: SlotInputs;
  /** Null when the id names no users row (the built-in admin). */
  student: { displayName: string } | null;
  enrolled: boolean;
}

// A raw statement's rows keep the database's snake_case keys (knex maps only its builders' results).
const columns = snakeCaseMappers();

/** Locks the mentor's calendar until the transaction ends, then reads what the rules need. */
export async function lockedRequestInputs(
  trx: Knex.Transaction,
  mentor: { id: string; timezone: string },
  studentId: string,
  courseId: string | null,
  now: Date,
): Promise<RequestInputs> {
  const result = await trx.raw('select booking_inputs(?, ?, ?, ?, ?, ?, ?) as inputs', [
    mentor.id, studentId, now, mentor.timezone, courseId, DEFAULT_SETTINGS.windowDays, DEFAULT_SETTINGS.bufferMinutes,
  ]) as { rows: { inputs: Loaded }[] };
  const loaded = result.rows[0]!.inputs;
  return { slots: toSlotInputs(loaded), student: loaded.student, enrolled: loaded.enrolled };
}

export interface RequestRow {
  skillId: string;
  mentorId: string;
  studentId: string;
  startsAt: Date;
  endsAt: Date;
  durationMinutes: number;
  status: 'pending' | 'confirmed';
  subject: string;
  description: string | null;
  message: string | null;
  meetingUrl: string | null;
  priceCents: number;
  currency: string;
  expiresAt: Date | null;
  packagePurchaseId: string | null;
}

export interface Notice {
  userId: string;
  kind: NotificationKind;
  data: Record<string, unknown>;
}

/**
 * One statement: the booking (its calendar claims come from the bookings trigger, and
 * the exclusion constraint refuses the whole statement on an overlap), the student's
 * hold released, the status history, the next-free refresh job, the notices and their
 * mail jobs. The same rows and jobs as bookingWrites' record() and tell() with
 * notifications.notify(), which the other transitions still use.
 */
export async function insertRequest(trx: Knex.Transaction, row: RequestRow, notices: Notice[]): Promise<Booking> {
  const ids = scopeIdsJson(); // the request's ids in its jobs' payloads, as jobs.add puts them
  const result = await trx.raw(
    `with b as (
       insert into bookings (skill_id, mentor_id, student_id, kind, starts_at, ends_at, duration_minutes, status, subject,
         description, message, meeting_url, price_cents, currency, expires_at, package_purchase_id)
       values (?, ?, ?, 'one_on_one', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       returning *
     ), released as (
       delete from slot_holds h using b where h.student_id = b.student_id and h.mentor_id = b.mentor_id
     ), history as (
       insert into booking_events (booking_id, status, actor_id, actor_role) select b.id, b.status, b.student_id, 'student' from b
     ), notices as (
       insert into notifications (user_id, kind, booking_id, data)
       select n.user_id, n.kind, b.id, n.data from b cross join jsonb_to_recordset(?::jsonb) as n(user_id uuid, kind text, data jsonb)
       returning id
     ), added as (
       select ${addJobsSql(`
         select json_build_object('identifier', 'refresh-next-free', 'payload', jsonb_build_object('mentorId', b.mentor_id) || ?::jsonb,
                                  'max_attempts', 10, 'job_key', 'next-free:' || b.mentor_id) as spec from b
         union all
         select json_build_object('identifier', 'notification-mail', 'payload', jsonb_build_object('notificationId', notices.id) || ?::jsonb,
                                  'max_attempts', 10) from notices`)} as n
     )
     select b.*, (select n from added) as jobs_added from b`,
    [
      row.skillId, row.mentorId, row.studentId, row.startsAt, row.endsAt, row.durationMinutes, row.status, row.subject,
      row.description, row.message, row.meetingUrl, row.priceCents, row.currency, row.expiresAt, row.packagePurchaseId,
      JSON.stringify(notices.map((n) => ({ user_id: n.userId, kind: n.kind, data: n.data }))), ids, ids,
    ],
  ) as { rows: (Record<string, unknown> & { jobs_added: number })[] };
  const { jobs_added: _jobs, ...stored } = result.rows[0]!;
  return Booking.fromDatabaseJson(columns.parse(stored));
}
