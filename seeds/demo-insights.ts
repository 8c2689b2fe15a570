// Three months of history behind the demo, so the insights charts have a believable shape
// on first start: past sessions on each mentor's usual days and hours (more of them lately),
// every outcome (completed, missed, cancelled early or late by either side, declined,
// expired), reviews of most completed sessions, and the page funnel (views, the booking
// modal's steps) of every day, a little above the bookings that really came of it.
// Once per data folder, after the other demo seeds (these sessions carry no payment: the
// demo's earnings are those of demo-payments.ts).
import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { LATE_CANCEL_HOURS } from '../src/insights/model.ts';
import { seededRandom } from '../src/lib/seeded-random.ts';

const META_KEY = 'demo_insights_seeded';
const HISTORY_DAYS = 100;
/** The other demo seeds fill the last two weeks; the history ends before them. */
const RECENT_DAYS = 16;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const MINUTE_MS = 60_000;

// Each mentor's usual hours, in their own zone: [ISO weekday, first hour, last start hour].
const HABITS: [number, number, number][][] = [
  [[1, 9, 11], [1, 14, 17], [2, 9, 11], [3, 14, 17], [4, 9, 11], [5, 9, 16]],
  [[1, 18, 20], [2, 18, 20], [3, 18, 20], [4, 18, 20], [6, 10, 12]],
  [[2, 8, 11], [3, 8, 11], [4, 13, 16], [6, 9, 11]],
  [[1, 10, 15], [3, 10, 15], [5, 10, 15]],
];

const OUTCOMES = [
  ...Array(70).fill('completed'), ...Array(6).fill('no_show'), ...Array(5).fill('cancelled_student'), ...Array(4).fill('cancelled_student_late'),
  ...Array(3).fill('cancelled_mentor'), ...Array(6).fill('rejected'), ...Array(6).fill('expired'),
] as const;

const REVIEWS = [
  'Très clair, on a avancé bien plus vite que prévu.', 'Excellent, patient et précis. Je recommande.', 'Bonne séance, quelques exemples de plus auraient aidé.',
  'Super explications, j’ai enfin compris le sujet.', 'Clear, friendly and well prepared. Thank you!', 'Great session, exactly what I needed before my interview.',
  'Utile, même si on a manqué un peu de temps.', 'Parfait pour débloquer mon projet.',
];

const SUBJECTS = ['Revoir les bases', 'Préparer un examen', 'Relire mon projet', 'Practice session', 'Questions sur le cours', 'Débloquer un exercice'];


interface Mentor { id: string; username: string; timezone: string; createdAt: Date }
interface Skill { id: string; mentorId: string; durations: number[]; priceCents: number; currency: string }
interface Booking { skillId: string; mentorId: string; studentId: string; startsAt: Date; endsAt: Date; durationMinutes: number; outcome: (typeof OUTCOMES)[number]; createdAt: Date }

type History = { status: string; actorRole: string; at: Date }[];

/** What happened to a booking, in order, never in the future. */
function historyOf(b: Booking, rnd: () => number): History {
  const answered = new Date(Math.min(b.createdAt.getTime() + (1 + rnd() * 5) * HOUR_MS, b.startsAt.getTime() - HOUR_MS));
  const events: History = [{ status: 'pending', actorRole: 'student', at: b.createdAt }];
  const confirmed = { status: 'confirmed', actorRole: 'mentor', at: answered };
  const start = b.startsAt.getTime();
  switch (b.outcome) {
    case 'completed':
    case 'no_show':
      events.push(confirmed, { status: b.outcome, actorRole: 'mentor', at: new Date(b.endsAt.getTime() + 10 * MINUTE_MS) });
      break;
    case 'cancelled_student':
    case 'cancelled_student_late':
    case 'cancelled_mentor': {
      const late = b.outcome === 'cancelled_student_late';
      const before = late ? (2 + rnd() * (LATE_CANCEL_HOURS - 4)) * HOUR_MS : (LATE_CANCEL_HOURS + 6 + rnd() * 30) * HOUR_MS;
      const at = new Date(Math.max(start - before, answered.getTime() + MINUTE_MS));
      events.push(confirmed, { status: 'cancelled', actorRole: b.outcome === 'cancelled_mentor' ? 'mentor' : 'student', at });
      break;
    }
    case 'rejected':
      events.push({ status: 'rejected', actorRole: 'mentor', at: answered });
      break;
    case 'expired':
      events.push({ status: 'expired', actorRole: 'system', at: new Date(Math.min(b.createdAt.getTime() + 48 * HOUR_MS, start)) });
      break;
  }
  return events;
}

const statusOf = (outcome: Booking['outcome']) => (outcome.startsWith('cancelled') ? 'cancelled' : outcome);

/** Past sessions of one mentor: on their usual hours, two a week at first, five lately. */
function sessionsOf(mentor: Mentor, index: number, skills: Skill[], students: { id: string; createdAt: Date }[], now: Date, taken: Map<string, number[][]>): Booking[] {
  const rnd = seededRandom(1000 + index);
  const habits = HABITS[index % HABITS.length]!;
  const out: Booking[] = [];
  const today = DateTime.fromJSDate(now).setZone(mentor.timezone).startOf('day');
  const firstDay = Math.min(HISTORY_DAYS, Math.floor((now.getTime() - mentor.createdAt.getTime()) / DAY_MS) - 3);
  for (let daysAgo = firstDay; daysAgo >= RECENT_DAYS; daysAgo--) {
    const day = today.minus({ days: daysAgo });
    const slots = habits.filter(([weekday]) => weekday === day.weekday);
    // Demand grows over the quarter; some mentors are busier than others.
    const chance = (0.25 + 0.45 * (1 - daysAgo / HISTORY_DAYS)) * (0.7 + (index % 5) * 0.12);
    for (const [, first, last] of slots) {
      for (let hour = first; hour <= last; hour++) {
        if (rnd() > chance * 0.55) continue;
        const skill = skills[Math.floor(rnd() * skills.length)]!;
        const duration = skill.durations[Math.floor(rnd() * skill.durations.length)]!;
        const start = day.set({ hour, minute: rnd() < 0.3 ? 30 : 0 });
        const [from, to] = [start.toMillis(), start.toMillis() + duration * MINUTE_MS];
        const createdAt = new Date(from - (1 + Math.floor(rnd() * 6)) * DAY_MS - Math.floor(rnd() * 10) * HOUR_MS);
        const free = (id: string) => !(taken.get(id) ?? []).some(([s, e]) => s! < to && from < e!);
        if (!free(mentor.id)) continue;
        const offset = Math.floor(rnd() * students.length);
        const student = students.map((_, k) => students[(offset + k) % students.length]!).find((s) => s.createdAt < createdAt && free(s.id));
        if (!student) continue;
        for (const id of [mentor.id, student.id]) taken.set(id, [...(taken.get(id) ?? []), [from, to]]);
        const outcome = OUTCOMES[Math.floor(rnd() * OUTCOMES.length)]!;
        out.push({ skillId: skill.id, mentorId: mentor.id, studentId: student.id, startsAt: new Date(from), endsAt: new Date(to), durationMinutes: duration, outcome, createdAt });
      }
    }
  }
  return out;
}

/** 16 bytes that stand for one visitor of one day (the real ones are HMACs of a daily salt). */
const visitorHash = (day: string, mentor: number, n: number) => crypto.createHash('md5').update(`demo:${day}:${mentor}:${n}`).digest();

interface EventRow { occurredAt: Date; kind: string; skillId: string | null; mentorUsername: string | null; visitor: Buffer }

/**
 * The funnel of every day since the mentor joined, built around the requests that really
 * came: each request had its summary, details and modal, and more people looked than asked.
 */
function funnelOf(mentor: Mentor, index: number, skills: Skill[], requests: Map<string, number>, now: Date): EventRow[] {
  const rnd = seededRandom(5000 + index);
  const rows: EventRow[] = [];
  const today = DateTime.fromJSDate(now).setZone(mentor.timezone).startOf('day');
  const days = Math.min(HISTORY_DAYS, Math.floor((now.getTime() - mentor.createdAt.getTime()) / DAY_MS));
  for (let daysAgo = days; daysAgo >= 0; daysAgo--) {
    const day = today.minus({ days: daysAgo });
    const iso = day.toISODate()!;
    const weekend = day.weekday >= 6 ? 0.7 : 1;
    let people = 0;
    // Plain arithmetic from the day's midnight (luxon per visit took seconds): on a DST day a visit is an hour off.
    const midnight = day.toMillis();
    const at = () => {
      const t = midnight + (7 * 60 + Math.floor(rnd() * 15 * 60)) * MINUTE_MS;
      return new Date(Math.min(t, now.getTime() - MINUTE_MS * (1 + Math.floor(rnd() * 30))));
    };
    const push = (kind: string, skillId: string | null, n: number) => {
      for (let k = 0; k < n; k++) {
        // About one visitor in three looks more than once that day; who opens the booking window looked first.
        const returning = kind === 'skill_view' || kind === 'mentor_view' ? rnd() < 0.35 : true;
        const who = returning && people > 0 ? Math.floor(rnd() * people) : people++;
        rows.push({ occurredAt: at(), kind, skillId, mentorUsername: skillId ? null : mentor.username, visitor: visitorHash(iso, index, who) });
      }
    };
    for (const skill of skills) {
      const asked = requests.get(`${skill.id}|${iso}`) ?? 0;
      const summary = asked + (rnd() < 0.4 ? 1 : 0);
      const details = summary + Math.floor(rnd() * 2);
      const modal = details + 1 + Math.floor(rnd() * 3 * weekend);
      const views = modal + Math.floor((2 + rnd() * 6) * weekend * (1.4 - daysAgo / (HISTORY_DAYS * 1.5)));
      push('skill_view', skill.id, views);
      push('modal_opened', skill.id, modal);
      push('details_reached', skill.id, details);
      push('summary_reached', skill.id, summary);
    }
    push('mentor_view', null, Math.floor(rnd() * 4 * weekend));
  }
  return rows;
}

export async function seedDemoInsightsOnce(knex: Knex, now: Date): Promise<{ bookings: number; reviews: number; events: number } | undefined> {
  return knex.transaction(async (trx) => {
    await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [META_KEY]);
    if (await trx('appMeta').where({ key: META_KEY }).first('key')) return undefined;
    if (!(await trx('appMeta').where({ key: 'demo_bookings_seeded' }).first('key'))) return undefined;

    const mentors: Mentor[] = await trx('users').where({ role: 'mentor' }).orderBy('createdAt').select('id', 'username', 'timezone', 'createdAt');
    const students: { id: string; createdAt: Date }[] = await trx('users').where({ role: 'student' }).orderBy('createdAt').select('id', 'createdAt');
    const skills: Skill[] = await trx('skills').where({ status: 'published', mode: 'one_on_one' }).orderBy('createdAt').select('id', 'mentorId', 'durations', 'priceCents', 'currency');
    // The time the other seeds already gave everyone (nobody is in two places at once).
    const taken = new Map<string, number[][]>();
    for (const b of await trx('bookings').select('mentorId', 'studentId', 'startsAt', 'endsAt') as { mentorId: string; studentId: string; startsAt: Date; endsAt: Date }[]) {
      for (const id of [b.mentorId, b.studentId]) taken.set(id, [...(taken.get(id) ?? []), [b.startsAt.getTime(), b.endsAt.getTime()]]);
    }

    const sessions = mentors.flatMap((m, i) => {
      const own = skills.filter((s) => s.mentorId === m.id);
      return own.length ? sessionsOf(m, i, own, students, now, taken) : [];
    });
    const rnd = seededRandom(42);
    const histories = sessions.map((b) => historyOf(b, rnd));
    const priceOf = (b: Booking) => {
      const skill = skills.find((s) => s.id === b.skillId)!;
      return Math.round((skill.priceCents * b.durationMinutes) / Math.min(...skill.durations));
    };
    const inserted: { id: string }[] = sessions.length ? await trx('bookings').insert(sessions.map((b, k) => ({
      skillId: b.skillId, mentorId: b.mentorId, studentId: b.studentId, kind: 'one_on_one', startsAt: b.startsAt, endsAt: b.endsAt,
      durationMinutes: b.durationMinutes, status: statusOf(b.outcome), subject: SUBJECTS[k % SUBJECTS.length],
      cancelledBy: b.outcome.startsWith('cancelled') ? (b.outcome === 'cancelled_mentor' ? 'mentor' : 'student') : null,
      cancelReason: b.outcome.startsWith('cancelled') ? 'Un imprévu de dernière minute.' : null,
      rejectReason: b.outcome === 'rejected' ? 'Ce créneau ne me convient finalement pas.' : null,
      priceCents: priceOf(b), currency: skills.find((s) => s.id === b.skillId)!.currency,
      createdAt: b.createdAt, updatedAt: histories[k]!.at(-1)!.at,
    }))).returning('id') : [];
    const events = inserted.flatMap((row, k) => histories[k]!.map((e) => ({
      bookingId: row.id, status: e.status, actorRole: e.actorRole, createdAt: e.at,
      actorId: e.actorRole === 'student' ? sessions[k]!.studentId : e.actorRole === 'mentor' ? sessions[k]!.mentorId : null,
    })));
    for (let k = 0; k < events.length; k += 2000) await trx('bookingEvents').insert(events.slice(k, k + 2000));

    // Most completed sessions get a review a few hours to a day later; some mentors are loved more.
    const reviews = inserted.flatMap((row, k) => {
      const b = sessions[k]!;
      if (b.outcome !== 'completed' || rnd() > 0.65) return [];
      const at = new Date(Math.min(b.endsAt.getTime() + (2 + rnd() * 30) * HOUR_MS, now.getTime() - HOUR_MS));
      const mood = mentors.findIndex((m) => m.id === b.mentorId) % 4;
      const rating = Math.max(2, Math.min(5, Math.round(3.6 + mood * 0.35 + (rnd() - 0.4) * 1.6)));
      return [{ bookingId: row.id, mentorId: b.mentorId, studentId: b.studentId, rating, body: REVIEWS[Math.floor(rnd() * REVIEWS.length)]!, createdAt: at, updatedAt: at }];
    });
    if (reviews.length) await trx('mentorReviews').insert(reviews);

    // Every booking request of the demo, history and recent alike, by skill and the mentor's day.
    const zoneOf = new Map(mentors.map((m) => [m.id, m.timezone]));
    const requests = new Map<string, number>();
    for (const b of await trx('bookings').select('skillId', 'mentorId', 'createdAt') as { skillId: string; mentorId: string; createdAt: Date }[]) {
      const key = `${b.skillId}|${DateTime.fromJSDate(b.createdAt).setZone(zoneOf.get(b.mentorId) ?? 'UTC').toISODate()}`;
      requests.set(key, (requests.get(key) ?? 0) + 1);
    }
    const funnel = mentors.flatMap((m, i) => funnelOf(m, i, skills.filter((s) => s.mentorId === m.id), requests, now));
    for (let k = 0; k < funnel.length; k += 5000) {
      const batch = funnel.slice(k, k + 5000);
      await trx.raw(
        `insert into insight_events (occurred_at, kind, skill_id, mentor_username, visitor)
         select * from unnest(?::timestamptz[], ?::text[], ?::uuid[], ?::text[], ?::bytea[])`,
        // knex types bindings as scalars; pg sends each JS array as a PostgreSQL array.
        [batch.map((e) => e.occurredAt), batch.map((e) => e.kind), batch.map((e) => e.skillId), batch.map((e) => e.mentorUsername), batch.map((e) => e.visitor)] as never[],
      );
    }
    const result = { bookings: inserted.length, reviews: reviews.length, events: funnel.length };
    await trx('appMeta').insert({ key: META_KEY, value: { at: now.toISOString(), ...result }, updatedAt: now });
    return result;
  });
}
