// Turns the app's GET routes into concrete URLs over the demo data, per identity, so
// the HTML check reaches every page a person can open. The route table comes from
// Express itself (test/fuzz/routes.ts): a page added tomorrow is either resolved here
// or named in NOT_PAGES, or the coverage test fails.
import type { Knex } from 'knex';

export type Who = 'visitor' | 'student' | 'mentor' | 'admin';

/** GET routes that answer with something other than a full HTML page, and why. */
export const NOT_PAGES: Record<string, string> = {
  '/healthz': 'probe (JSON)',
  '/readyz': 'probe (JSON)',
  '/metrics': 'Prometheus text, behind METRICS_TOKEN',
  '/api/admin/users': 'grid JSON',
  '/api/bookings': 'grid JSON',
  '/api/bookings.csv': 'CSV download',
  '/api/mentors/:id/available-slots': 'JSON',
  '/calendar/:token.ics': 'iCalendar feed',
  '/bookings/:id/calendar.ics': 'iCalendar file',
  '/earnings.csv': 'CSV download',
  '/insights/:table.csv': 'CSV download',
  '/admin/insights/:table.csv': 'CSV download',
  '/media/avatars/:file': 'image',
  '/media/skills/:file': 'image',
  '/media/courses/:file': 'image',
  '/files/*key': 'signed file download',
  '/courses/resources/:id/download': 'redirect to a signed file',
  '/courses/:slug/lessons/:lessonId/video': 'redirect to a signed video',
  '/dev/outbox/:id/html': 'a mail body (mail HTML, shown in an iframe)',
  '/dev/outbox/:id/attachments/:index': 'mail attachment download',
  '/notifications/bell': 'htmx fragment',
  '/dashboard/figures': 'htmx fragment',
  '/dashboard/starting': 'htmx fragment',
  '/bookings/:id/review': 'htmx fragment',
  '/checkouts/:id/return': 'redirect after the provider',
  '/checkouts/:id/cancel': 'redirect after the provider',
  '/payouts/return': 'redirect after onboarding',
  '/payouts/refresh': 'redirect to onboarding',
  '/locale': "a visitor's language switch (sets the cookie, redirects back)",
};

/** The public API answers JSON (test/api/contract.test.ts checks each operation against its schema). */
export const isApiRoute = (route: string) => route.startsWith('/api/v1/');

interface Ids {
  skill: { id: string; duration: number };
  groupSkill?: string;
  course: { id: string; slug: string };
  lesson: string;
  bookings: Record<Who, string | undefined>;
  comments: Record<Who, string | undefined>;
  outbox?: string;
  checkout?: string;
  payment?: string;
  simulated: Record<string, string | undefined>;
  /** A future start for the pages that take a slot in their query. */
  start: Date;
}

async function first<T>(query: Knex.QueryBuilder): Promise<T | undefined> {
  return (await query.first()) as T | undefined;
}

/**
 * Real ids from the demo data for the signed-in users: the mentor's skills, the
 * course the student follows, the student's checkout, each one's booking and comment.
 */
export async function loadIds(knex: Knex, now: Date, usernames: { student: string; mentor: string }): Promise<Ids> {
  const user = async (username: string) => (await first<{ id: string }>(knex('users').select('id').where({ username })))?.id;
  const student = await user(usernames.student);
  const mentor = await user(usernames.mentor);
  const skill = await first<{ id: string; durations: number[] }>(knex('skills').select('id', 'durations').where({ mentorId: mentor, status: 'published', mode: 'one_on_one' }));
  const groupSkill = await first<{ id: string }>(knex('skills').select('id').where({ mentorId: mentor, status: 'published', mode: 'group' }));
  const course = await first<{ id: string; slug: string }>(knex('courses').join('enrollments', 'enrollments.courseId', 'courses.id').select('courses.id', 'courses.slug').where({ published: true, userId: student }).orderBy('slug'));
  if (!skill || !course) throw new Error('page-routes: the mentor has no skill or the student follows no course');
  const lesson = await first<{ id: string }>(knex('lessons').join('courseModules', 'courseModules.id', 'lessons.moduleId').select('lessons.id').where('courseModules.courseId', course.id).orderBy(['courseModules.position', 'lessons.position']));
  if (!lesson) throw new Error('page-routes: the course has no lesson');
  const booking = async (where: Record<string, unknown>) => (await first<{ id: string }>(knex('bookings').select('id').where(where).orderBy('startsAt', 'desc')))?.id;
  const comment = async (userId?: string) => (await first<{ id: string }>(knex('lessonComments').select('id').where({ lessonId: lesson.id, ...(userId ? { userId } : {}) }).whereNull('deletedAt')))?.id;
  const anyBooking = await booking({});
  const anyComment = await comment();
  const outbox = await first<{ id: string }>(knex('mailOutbox').select('id'));
  const checkout = await first<{ id: string }>(knex('checkouts').select('id').where({ userId: student }));
  const payment = await first<{ id: string }>(knex('payments').select('id'));
  const simulated: Record<string, string | undefined> = {};
  for (const kind of ['checkout.session', 'billing_portal.session', 'account_link']) {
    simulated[kind] = (await first<{ id: string }>(knex('simulatedProviderObjects').select('id').where({ kind })))?.id;
  }
  return {
    skill: { id: skill.id, duration: skill.durations[0]! }, groupSkill: groupSkill?.id, course, lesson: lesson.id,
    bookings: { visitor: anyBooking, student: await booking({ studentId: student }), mentor: await booking({ mentorId: mentor }), admin: anyBooking },
    comments: { visitor: anyComment, student: await comment(student), mentor: await comment(mentor), admin: anyComment },
    outbox: outbox?.id === undefined ? undefined : String(outbox.id), checkout: checkout?.id, payment: payment?.id, simulated,
    start: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 7, 10)),
  };
}

/**
 * The URL of `route` for `who`, or undefined when the demo data has nothing to put in
 * it. Parameters are read from the path's prefix: `/skills/:id` is a skill, etc.
 */
export function concreteUrl(route: string, who: Who, ids: Ids, mentorUsername: string, resetToken: string): string | undefined {
  const values: Record<string, string | undefined> = {};
  let query = '';
  // Withdrawing asks first only for a group session (seats to end).
  if (route === '/skills/:id/cancellation') values.id = ids.groupSkill;
  else if (route.startsWith('/skills/:id')) values.id = ids.skill.id;
  else if (route.startsWith('/bookings/:id')) values.id = ids.bookings[who];
  else if (route.startsWith('/admin/courses/:id')) values.id = ids.course.id;
  else if (route.startsWith('/checkouts/:id')) values.id = ids.checkout;
  else if (route.startsWith('/admin/payments/:id')) values.id = ids.payment;
  else if (route.startsWith('/dev/outbox/:id')) values.id = ids.outbox;
  else if (route.startsWith('/simulated-provider/checkout/')) values.id = ids.simulated['checkout.session'];
  else if (route.startsWith('/simulated-provider/portal/')) values.id = ids.simulated['billing_portal.session'];
  else if (route.startsWith('/simulated-provider/onboarding/')) values.id = ids.simulated.account_link;
  values.slug = ids.course.slug;
  values.lessonId = ids.lesson;
  values.commentId = ids.comments[who];
  values.username = mentorUsername;
  values.token = resetToken;
  // Step 2 and the series form show a picked slot, given in the query.
  if (route === '/skills/:id/book/details' || route === '/skills/:id/series') query = `?start=${encodeURIComponent(ids.start.toISOString())}&duration=${ids.skill.duration}`;
  let missing = false;
  const url = route.replace(/:(\w+)/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) missing = true;
    return value ?? '';
  });
  return missing || url.includes('*') ? undefined : url + query;
}
