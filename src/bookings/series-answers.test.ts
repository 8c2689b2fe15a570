import { describe, expect, it } from 'vitest';
import { FixedClock } from '../lib/clock.ts';
import { createTestApp } from '../../test/helpers/app.ts';
import { mentorWithSkill } from '../../test/helpers/marketplace.ts';
import { payAndReturn } from '../../test/helpers/payments.ts';
import { confirmSeries, previewSeries } from '../../test/helpers/series.ts';

// Sunday 22 November 2026, 10:00 UTC; Mondays 10:00 in Paris are 09:00 UTC.
const clock = new FixedClock(new Date('2026-11-22T10:00:00Z'));
const t = await createTestApp({ overrides: { clock } });
type Agent = Awaited<ReturnType<typeof t.signIn>>;
const FIRST = '2026-11-23T09:00:00.000Z';

async function post(agent: Agent, path: string, body: Record<string, string> = {}) {
  const token = await t.csrf(agent, '/');
  return agent.post(path).type('form').send({ _csrf: token, ...body });
}

/** A student's series of `weeks` free weeks from FIRST: its bookings, in order. */
async function bookSeries(student: Agent, studentFixture: string, skillId: string, weeks = 4) {
  const form = { start: FIRST, weeks };
  const { expected } = await previewSeries(t, student, skillId, form);
  expect(expected.split(',')).toHaveLength(weeks);
  const res = await confirmSeries(t, student, skillId, form, expected);
  expect(res.status).toBe(303);
  return occurrences(studentFixture);
}

async function occurrences(studentFixture: string) {
  return t.deps.knex('bookings').where({ studentId: (await t.user(studentFixture)).id }).whereNotNull('seriesId').orderBy('startsAt');
}

const notices = async (fixture: string, kind: string) => t.deps.knex('notifications').where({ userId: (await t.user(fixture)).id, kind });

describe('answering a weekly series', () => {
  it('the mentor declines one week, then accepts all the others at once, with one room for the series', async () => {
    const { skillId } = await mentorWithSkill(t, 'mentor:answerer');
    const student = await t.signIn('student:learner');
    const [w1, w2, w3, w4] = await bookSeries(student, 'student:learner', skillId);
    const mentor = await t.signIn('mentor:answerer');

    // Week by week: the usual booking buttons.
    expect((await post(mentor, `/bookings/${w2.id}/rejection`, { reason: 'Away that Monday' })).status).toBe(303);
    const page = await mentor.get(`/bookings/${w1.id}`);
    expect(page.text).toContain('Weekly series · 4 lessons');
    expect(page.text).toContain('Accept all 3 waiting weeks');

    const accepted = await post(mentor, `/booking-series/${w1.seriesId}/confirmation`, { back: w1.id });
    expect(accepted.status).toBe(303);
    expect(accepted.headers.location).toBe(`/bookings/${w1.id}`);
    const rows = await occurrences('student:learner');
    expect(rows.map((r) => r.status)).toEqual(['confirmed', 'rejected', 'confirmed', 'confirmed']);
    expect(new Set([rows[0].meetingUrl, rows[2].meetingUrl, rows[3].meetingUrl]).size).toBe(1);
    expect(rows[0].meetingUrl).toMatch(/^https:\/\//);
    // The student hears once for the whole answer.
    const told = await notices('student:learner', 'booking.series_confirmed');
    expect(told.map((n) => n.data.count)).toEqual([3]);
    expect(await notices('student:learner', 'booking.confirmed')).toHaveLength(0);
    // One mail each way, in the recipient's language (reminders of the confirmed weeks aside).
    await t.runJobs();
    const answerMails = (to: string) => t.mails.filter((m) => m.to === to && !m.subject.startsWith('Reminder'));
    expect(answerMails('answerer@example.test').map((m) => m.subject)).toEqual(['Weekly lessons requested by Learner Test']);
    expect(answerMails('learner@example.test').map((m) => m.subject)).toEqual([
      expect.stringMatching(/^Your request for .* was declined$/), expect.stringMatching(/^Confirmed: weekly .* from /),
    ]);
    // Nothing left to answer: a second "accept all" is refused, not repeated.
    expect((await post(mentor, `/booking-series/${w1.seriesId}/confirmation`, { back: w1.id })).status).toBe(409);
    // The student cannot answer for the mentor, nor another mentor.
    expect((await post(student, `/booking-series/${w1.seriesId}/confirmation`)).status).toBe(403);
    await mentorWithSkill(t, 'mentor:intruder');
    expect((await post(await t.signIn('mentor:intruder'), `/booking-series/${w1.seriesId}/confirmation`)).status).toBe(404);
    void w3; void w4;
  });

  it('the mentor declines the whole series with one reason, given beside the field when missing', async () => {
    const { skillId } = await mentorWithSkill(t, 'mentor:decliner');
    const student = await t.signIn('student:hopeful');
    const [w1] = await bookSeries(student, 'student:hopeful', skillId, 3);
    const mentor = await t.signIn('mentor:decliner');
    const noReason = await post(mentor, `/booking-series/${w1.seriesId}/rejection`, { back: w1.id, reason: '' });
    expect(noReason.status).toBe(422);
    expect(noReason.text).toContain('id="sr-reason-error"');
    expect((await occurrences('student:hopeful')).every((r) => r.status === 'pending')).toBe(true);
    expect((await post(mentor, `/booking-series/${w1.seriesId}/rejection`, { back: w1.id, reason: 'Fully booked this term' })).status).toBe(303);
    const rows = await occurrences('student:hopeful');
    expect(rows.map((r) => [r.status, r.rejectReason])).toEqual(Array(3).fill(['rejected', 'Fully booked this term']));
    expect((await notices('student:hopeful', 'booking.series_declined')).map((n) => n.data.count)).toEqual([3]);
  });

  it('cancels one week the usual way, or this week and the following in one go', async () => {
    const { skillId } = await mentorWithSkill(t, 'mentor:instant', { settings: { requiresApproval: false } });
    const student = await t.signIn('student:quitter');
    const rows = await bookSeries(student, 'student:quitter', skillId, 4);
    // Instant booking: confirmed at once, each side told once.
    expect(rows.map((r) => r.status)).toEqual(Array(4).fill('confirmed'));
    expect(await notices('student:quitter', 'booking.series_confirmed')).toHaveLength(1);
    expect((await notices('mentor:instant', 'booking.series_booked')).map((n) => n.data.count)).toEqual([4]);
    const [w1, w2, w3] = rows;

    expect((await post(student, `/bookings/${w1.id}/cancellation`, { reason: 'Ill that day' })).status).toBe(303);
    const page = await student.get(`/bookings/${w2.id}`);
    expect(page.text).toContain('Cancel this week and the 2 following');
    const noReason = await post(student, `/bookings/${w3.id}/following-cancellation`, { reason: '' });
    expect(noReason.status).toBe(422);
    expect(noReason.text).toContain('id="sc-reason-error"');
    expect((await post(student, `/bookings/${w3.id}/following-cancellation`, { reason: 'Moving abroad' })).status).toBe(303);

    const after = await occurrences('student:quitter');
    expect(after.map((r) => r.status)).toEqual(['cancelled', 'confirmed', 'cancelled', 'cancelled']);
    expect(after.map((r) => r.cancelReason)).toEqual(['Ill that day', null, 'Moving abroad', 'Moving abroad']);
    // The mentor hears once for the two weeks.
    expect((await notices('mentor:instant', 'booking.series_cancelled')).map((n) => [n.data.count, n.data.reason])).toEqual([[2, 'Moving abroad']]);
    // An ended week is not cancelled twice.
    expect((await post(student, `/bookings/${w3.id}/following-cancellation`, { reason: 'Again' })).status).toBe(409);
  });
});

describe('the mentor ending a series', () => {
  it('"this and the following" cancels the agreed weeks and declines the waiting ones, with one reason', async () => {
    const { skillId } = await mentorWithSkill(t, 'mentor:leaving');
    const student = await t.signIn('student:left');
    const [w1, w2, w3] = await bookSeries(student, 'student:left', skillId, 3);
    const mentor = await t.signIn('mentor:leaving');
    // Only waiting weeks: the mentor declines them, there is no second way to do it.
    expect((await mentor.get(`/bookings/${w1.id}`)).text).not.toContain('Cancel this week and the');
    expect((await post(mentor, `/bookings/${w1.id}/confirmation`)).status).toBe(303);
    expect((await post(mentor, `/bookings/${w2.id}/confirmation`)).status).toBe(303);
    expect((await mentor.get(`/bookings/${w2.id}`)).text).toContain('Cancel this week and the next one');
    expect((await post(mentor, `/bookings/${w2.id}/following-cancellation`, { reason: 'Changing jobs' })).status).toBe(303);
    const rows = await occurrences('student:left');
    expect(rows.map((r) => [r.status, r.cancelledBy, r.cancelReason ?? r.rejectReason])).toEqual([
      ['confirmed', null, null], ['cancelled', 'mentor', 'Changing jobs'], ['rejected', null, 'Changing jobs'],
    ]);
    expect((await notices('student:left', 'booking.series_cancelled')).map((n) => [n.data.count, n.data.by])).toEqual([[2, 'mentor']]);
    void w3;
  });
});

describe('a weekly series of a priced skill', () => {
  async function buyPack(mentorFixture: string, studentFixture: string, sessions: number) {
    const m = await mentorWithSkill(t, mentorFixture, { payable: true, skill: { priceCents: 4000, durations: [60] } });
    const mentor = await t.signIn(mentorFixture);
    expect((await post(mentor, `/skills/${m.skillId}/packages`, { sessions: String(sessions), durationMinutes: '60', discountPercent: '10' })).status).toBe(303);
    const pack = await t.deps.knex('sessionPackages').where({ skillId: m.skillId }).first();
    const student = await t.signIn(studentFixture);
    const started = await post(student, `/packages/${pack.id}/purchases`);
    expect(started.status).toBe(303);
    expect((await payAndReturn(t, student, started.headers.location!)).status).toBe(303);
    return { ...m, student, purchase: await t.deps.knex('packagePurchases').where({ packageId: pack.id }).first() };
  }

  it('is paid with one package credit per week, taken with the bookings; without enough credits nothing is booked', async () => {
    const noPack = await mentorWithSkill(t, 'mentor:pricey', { payable: true, skill: { priceCents: 4000, durations: [60] } });
    const broke = await t.signIn('student:broke');
    const shown = await previewSeries(t, broke, noPack.skillId, { start: FIRST, weeks: 3 });
    expect(shown.res.text).toContain('This series needs 3 pack credits and you have 0.');
    expect(shown.res.text).toContain(`href="/skills/${noPack.skillId}">See the packs`);
    expect(shown.res.text).not.toContain('Book the 3 free weeks');
    const forced = await confirmSeries(t, broke, noPack.skillId, { start: FIRST, weeks: 3 }, shown.expected);
    expect(forced.status).toBe(422);
    expect(await occurrences('student:broke')).toHaveLength(0);

    const { skillId, student, purchase } = await buyPack('mentor:packer', 'student:packed', 5);
    const tooMany = await previewSeries(t, student, skillId, { start: FIRST, weeks: 6 });
    expect(tooMany.res.text).toContain('This series needs 6 pack credits and you have 5.');
    expect((await confirmSeries(t, student, skillId, { start: FIRST, weeks: 6 }, tooMany.expected)).status).toBe(422);
    expect((await t.deps.knex('packagePurchases').where({ id: purchase.id }).first()).creditsUsed).toBe(0);

    const rows = await bookSeries(student, 'student:packed', skillId, 3);
    expect(rows.map((r) => [r.packagePurchaseId, r.priceCents])).toEqual(Array(3).fill([purchase.id, 4000]));
    expect((await t.deps.knex('packagePurchases').where({ id: purchase.id }).first()).creditsUsed).toBe(3);
    // The last two credits, wanted by two series at once: one gets them, the other is told why.
    const token = await t.csrf(student, '/');
    const tuesday = { start: '2026-11-24T09:00:00.000Z', weeks: 2 };
    const wednesday = { start: '2026-11-25T09:00:00.000Z', weeks: 2 };
    const raced = await Promise.all([tuesday, wednesday].map(async (f) => confirmSeries(t, student, skillId, f, (await previewSeries(t, student, skillId, f)).expected, token)));
    expect(raced.map((r) => r.status).sort()).toEqual([303, 422]);
    expect(raced.find((r) => r.status === 422)!.text).toContain('This series needs 2 pack credits and you have 0.');
    expect((await t.deps.knex('packagePurchases').where({ id: purchase.id }).first()).creditsUsed).toBe(5);
    expect(await occurrences('student:packed')).toHaveLength(5);
    // No checkout was opened for any week.
    expect(await t.deps.knex('checkouts').where({ userId: (await t.user('student:packed')).id, purpose: 'booking' })).toHaveLength(0);
  });
});
