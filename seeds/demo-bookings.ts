// Demo availability for every demo mentor and bookings in every status, past and
// future, so each page looks alive on first start. Loaded once, only over demo users.
import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { DateTime } from 'luxon';

const META_KEY = 'demo_bookings_seeded';

interface MentorRow { id: string; timezone: string; displayName: string }
interface SkillRow { id: string; mentorId: string; durations: number[]; priceCents: number; currency: string; mode: string; startsAt: Date | null; capacity: number | null; title: string }

// Weekly patterns in the mentor's own zone: [weekday, start, end].
const PATTERNS: [number, string, string][][] = [
  [[1, '09:00', '12:00'], [1, '14:00', '18:00'], [2, '09:00', '12:00'], [3, '14:00', '18:00'], [4, '09:00', '12:00'], [5, '09:00', '12:00'], [5, '14:00', '17:00']],
  [[1, '18:00', '21:00'], [2, '18:00', '21:00'], [3, '18:00', '21:00'], [4, '18:00', '21:00'], [6, '10:00', '13:00']],
  [[2, '08:00', '12:00'], [3, '08:00', '12:00'], [4, '13:00', '17:00'], [6, '09:00', '12:00']],
  [[1, '10:00', '16:00'], [3, '10:00', '16:00'], [5, '10:00', '16:00']],
];

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

/** A room like the ones bookings get for real (src/bookings/booking-writes.ts): random, never guessable. */
const demoRoom = () => `https://meet.jit.si/leboncours-${crypto.randomBytes(9).toString('base64url')}`;

type Event = { status: string; actorRole: string; at: Date };

/**
 * The history a booking's status implies, in time order and never in the future:
 * requested, then answered an hour later (or as late as "now" allows), and a session
 * is completed or missed only once it has ended.
 */
function historyOf(b: { status: string; createdAt: Date; startsAt: Date; endsAt: Date; expiresAt: Date | null }, now: Date): Event[] {
  const answered = new Date(Math.min(b.createdAt.getTime() + HOUR_MS, now.getTime() - MINUTE_MS, b.startsAt.getTime()));
  const events: Event[] = [{ status: 'pending', actorRole: 'student', at: b.createdAt }];
  switch (b.status) {
    case 'confirmed': events.push({ status: 'confirmed', actorRole: 'mentor', at: answered }); break;
    case 'rejected': events.push({ status: 'rejected', actorRole: 'mentor', at: answered }); break;
    case 'cancelled': events.push({ status: 'cancelled', actorRole: 'student', at: answered }); break;
    // An unanswered request expires at its deadline (48 hours, or the start if sooner).
    case 'expired': events.push({ status: 'expired', actorRole: 'system', at: new Date(Math.min(b.createdAt.getTime() + 48 * HOUR_MS, b.startsAt.getTime())) }); break;
    case 'completed':
    case 'no_show':
      events.push({ status: 'confirmed', actorRole: 'mentor', at: answered });
      events.push({ status: b.status, actorRole: 'mentor', at: new Date(b.endsAt.getTime() + 10 * MINUTE_MS) });
      break;
  }
  return events;
}

const SUBJECTS = [
  'Revue de ma pull request', 'Comprendre les lifetimes', 'Préparer un entretien', 'Premiers accords', 'Requêtes HFSQL lentes',
  'Practice for a job interview', 'Bac blanc : les suites', 'Pandas : nettoyer un CSV', 'Prononciation', 'Feedback on my portfolio',
];

export async function seedDemoBookingsOnce(knex: Knex, now: Date): Promise<{ rules: number; bookings: number } | undefined> {
  return knex.transaction(async (trx) => {
    await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [META_KEY]);
    if (await trx('appMeta').where({ key: META_KEY }).first('key')) return undefined;
    const seeded = await trx('appMeta').where({ key: 'demo_seeded' }).first<{ value: { mentors?: number } } | undefined>('value');
    if (!seeded?.value.mentors) return undefined;

    const mentors: MentorRow[] = await trx('users').where({ role: 'mentor' }).orderBy('createdAt').select('id', 'timezone', 'displayName');
    const students: { id: string }[] = await trx('users').where({ role: 'student' }).orderBy('createdAt').select('id');
    const skills: SkillRow[] = await trx('skills').where({ status: 'published' }).orderBy('createdAt').select('*');
    if (!students.length) return undefined;

    const rules = mentors.flatMap((m, i) => PATTERNS[i % PATTERNS.length]!.map(([weekday, start, end]) => ({ mentorId: m.id, weekday, startTime: start, endTime: end, active: true })));
    await trx('availabilityRules').insert(rules);
    await trx('mentorSettings').insert(mentors.map((m, i) => ({ mentorId: m.id, minNoticeMinutes: i % 3 === 0 ? 720 : 240, windowDays: i % 2 ? 21 : 14, bufferMinutes: i % 4 === 1 ? 15 : 0, requiresApproval: i % 5 !== 4 })));
    // Time off in a week for one mentor in four, so blocked days show too.
    const today = DateTime.fromJSDate(now);
    await trx('availabilityOverrides').insert(mentors.filter((_, i) => i % 4 === 0).map((m) => ({ mentorId: m.id, date: today.setZone(m.timezone).plus({ days: 9 }).toISODate(), kind: 'blocked', note: 'Congés' })));

    // One-on-one bookings: past ones at 10:00 and future ones at 15:00 or 19:00 local, one per day per mentor.
    const statusesPast = ['completed', 'completed', 'no_show', 'cancelled', 'rejected', 'expired', 'completed'] as const;
    const statusesFuture = ['pending', 'confirmed', 'pending', 'confirmed', 'cancelled', 'confirmed'] as const;
    const rows: Record<string, unknown>[] = [];
    // Nobody is in two places at once (the database refuses it for live bookings): every
    // person's taken time, starting with the mentors' published group sessions.
    const taken = new Map<string, [number, number][]>();
    const isFree = (userId: string, start: number, end: number) => !(taken.get(userId) ?? []).some(([s, e]) => s < end && start < e);
    const take = (userId: string, start: number, end: number) => taken.set(userId, [...(taken.get(userId) ?? []), [start, end]]);
    for (const g of skills.filter((s) => s.mode === 'group' && s.startsAt)) take(g.mentorId, g.startsAt!.getTime(), g.startsAt!.getTime() + g.durations[0]! * 60_000);
    /** The first student from `from` on (in the usual rotation) who is free then. */
    const freeStudent = (from: number, start: number, end: number) => {
      for (let k = 0; k < students.length; k++) {
        const student = students[(from + k) % students.length]!;
        if (isFree(student.id, start, end)) return student;
      }
      return undefined;
    };
    let n = 0;
    for (const [i, m] of mentors.entries()) {
      const skill = skills.find((s) => s.mentorId === m.id && s.mode === 'one_on_one');
      if (!skill) continue;
      const hour = PATTERNS[i % PATTERNS.length]![0]![1] === '18:00' ? 19 : 10;
      const make = (dayOffset: number, status: string) => {
        const duration = skill.durations[n % skill.durations.length]!;
        const start = today.setZone(m.timezone).startOf('day').plus({ days: dayOffset }).set({ hour: dayOffset > 0 && hour === 10 ? 15 : hour });
        const [from, to] = [start.toMillis(), start.toMillis() + duration * 60_000];
        const student = isFree(m.id, from, to) ? freeStudent(n * 7 + i, from, to) : undefined;
        if (!student) return;
        take(m.id, from, to);
        take(student.id, from, to);
        // Asked a few days before, and never later than two hours ago (a request is not made in the future).
        const createdAt = new Date(Math.min(start.minus({ days: 3 + (n % 4) }).toMillis(), now.getTime() - 2 * HOUR_MS - (n % 5) * 17 * MINUTE_MS));
        const priceCents = Math.round((skill.priceCents * duration) / Math.min(...skill.durations));
        n++;
        rows.push({
          skillId: skill.id, mentorId: m.id, studentId: student.id, kind: 'one_on_one', startsAt: start.toJSDate(), endsAt: start.plus({ minutes: duration }).toJSDate(),
          durationMinutes: duration, status, subject: SUBJECTS[n % SUBJECTS.length], message: n % 2 ? 'Merci d’avance !' : null,
          meetingUrl: ['confirmed', 'completed', 'no_show'].includes(status) ? demoRoom() : null,
          rejectReason: status === 'rejected' ? 'Je ne suis pas disponible ce jour-là, désolé.' : null,
          cancelReason: status === 'cancelled' ? 'Un imprévu, je reprends un créneau bientôt.' : null,
          cancelledBy: status === 'cancelled' ? 'student' : null,
          priceCents, currency: skill.currency,
          expiresAt: status === 'pending' ? new Date(Math.min(createdAt.getTime() + 48 * HOUR_MS, start.toMillis())) : null,
          createdAt, updatedAt: createdAt,
        });
      };
      statusesPast.forEach((status, k) => make(-(k * 2 + 1 + (i % 2)), status));
      statusesFuture.forEach((status, k) => make(k + 2, status));
    }
    // Seats in group sessions (the seat counter follows the bookings).
    for (const [g, skill] of skills.filter((s) => s.mode === 'group' && s.startsAt && s.capacity).entries()) {
      // One room per session, shared by its seats (src/bookings/group-seats.ts).
      const room = demoRoom();
      const wanted = Math.min(skill.capacity! - 1, 3 + g);
      const [from, to] = [skill.startsAt!.getTime(), skill.startsAt!.getTime() + skill.durations[0]! * 60_000];
      let seats = 0;
      for (let k = 0; k < wanted; k++) {
        const student = freeStudent(g * 11 + k * 3, from, to);
        if (!student) break;
        take(student.id, from, to);
        seats++;
        rows.push({
          skillId: skill.id, mentorId: skill.mentorId, studentId: student.id, kind: 'group', startsAt: skill.startsAt, endsAt: new Date(skill.startsAt!.getTime() + skill.durations[0]! * 60_000),
          durationMinutes: skill.durations[0], status: 'confirmed', subject: skill.title, priceCents: skill.priceCents, currency: skill.currency,
          meetingUrl: room, createdAt: new Date(now.getTime() - (k + 1) * 5 * HOUR_MS), updatedAt: now,
        });
      }
      await trx('skills').where({ id: skill.id }).update({ seatsTaken: seats });
    }
    type Inserted = { id: string; status: string; mentorId: string; studentId: string; skillId: string; createdAt: Date; startsAt: Date; endsAt: Date; expiresAt: Date | null; kind: string };
    const inserted: Inserted[] = await trx('bookings').insert(rows).returning(['id', 'status', 'mentorId', 'studentId', 'skillId', 'createdAt', 'startsAt', 'endsAt', 'expiresAt', 'kind']);
    // History and notifications, as the real flow would have written them.
    await trx('bookingEvents').insert(inserted.flatMap((b) => (b.kind === 'group' ? [{ status: 'confirmed', actorRole: 'student', at: b.createdAt }] : historyOf(b, now))
      .map((e) => ({ bookingId: b.id, status: e.status, actorRole: e.actorRole, actorId: e.actorRole === 'student' ? b.studentId : e.actorRole === 'mentor' ? b.mentorId : null, createdAt: e.at }))));
    // The other person's name and the booked skill's title, as bookings.tell writes them:
    // the sentence around them comes from the recipient's own catalogue when shown.
    const names = new Map<string, string>((await trx('users').whereIn('id', [...new Set(inserted.flatMap((b) => [b.mentorId, b.studentId]))]).select('id', 'displayName')).map((u: { id: string; displayName: string }) => [u.id, u.displayName]));
    const skillTitle = new Map(skills.map((s) => [s.id, s.title]));
    const asked = inserted.filter((b) => b.kind === 'one_on_one' && b.startsAt > now && (b.status === 'pending' || b.status === 'confirmed'));
    await trx('notifications').insert(asked.map((b) => {
      const toMentor = b.status === 'pending';
      const history = historyOf(b, now);
      return {
        userId: toMentor ? b.mentorId : b.studentId,
        kind: toMentor ? 'booking.requested' : 'booking.confirmed',
        bookingId: b.id,
        data: { other: names.get(toMentor ? b.studentId : b.mentorId) ?? '', skill: skillTitle.get(b.skillId) ?? '', when: b.startsAt.toISOString() },
        createdAt: history[history.length - 1]!.at,
      };
    }));
    await trx('appMeta').insert({ key: META_KEY, value: { at: now.toISOString(), bookings: rows.length }, updatedAt: now });
    return { rules: rules.length, bookings: rows.length };
  });
}
