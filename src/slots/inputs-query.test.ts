import { afterAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/helpers/app.ts';
import { mentorWithSkill } from '../../test/helpers/marketplace.ts';
import { DEFAULT_SETTINGS } from '../availability/model.ts';
import { querySlotInputs } from './inputs-query.ts';

const t = await createTestApp();
afterAll(() => t.close());

const HOUR = 3_600_000;
const now = new Date(Date.UTC(2031, 2, 3, 8)); // a Monday, far from the clock of other files
const at = (hours: number) => new Date(now.getTime() + hours * HOUR);
const span = (i: { start: Date; end: Date }) => `${i.start.toISOString()}/${i.end.toISOString()}`;

const paris = await mentorWithSkill(t, 'mentor:iq-paris', { settings: { windowDays: 7, bufferMinutes: 15, minNoticeMinutes: 60 } });
const other = await mentorWithSkill(t, 'mentor:iq-other');
const student = await t.user('student:iq-student');
const rival = await t.user('student:iq-rival');
const mentor = { id: paris.mentorId, timezone: 'Europe/Paris' };

async function booking(m: { mentorId: string; skillId: string }, studentId: string, startsAt: Date, status = 'confirmed') {
  const [row] = await t.deps.knex('bookings').insert({
    skillId: m.skillId, mentorId: m.mentorId, studentId, kind: 'one_on_one', startsAt, endsAt: new Date(startsAt.getTime() + HOUR),
    durationMinutes: 60, status, subject: 'Inputs', priceCents: 0,
  }).returning('id');
  return (row as { id: string }).id;
}

const moved = await booking(paris, student.id, at(24));
await booking(paris, rival.id, at(48));
await booking(paris, rival.id, at(24 * 30)); // past the window and its margin
await booking(other, student.id, at(72)); // the student's, with someone else
await t.deps.knex('rescheduleProposals').insert({ bookingId: moved, proposedBy: 'mentor', startsAt: at(26), endsAt: at(27), expiresAt: at(12) });
await t.deps.knex('slotHolds').insert([
  { mentorId: paris.mentorId, studentId: student.id, skillId: paris.skillId, startsAt: at(5), endsAt: at(6), expiresAt: at(0.1) },
  { mentorId: paris.mentorId, studentId: rival.id, skillId: paris.skillId, startsAt: at(7), endsAt: at(8), expiresAt: at(0.1) },
]);
await t.deps.knex('availabilityOverrides').insert([
  { mentorId: paris.mentorId, date: '2031-03-09', kind: 'blocked' }, // in the 7-day window
  { mentorId: paris.mentorId, date: '2031-03-20', kind: 'extra', startTime: '10:00', endTime: '12:00' }, // only in a longer one
]);

describe('the slot inputs in one statement', () => {
  it("reads the mentor's settings, rules, overrides in the window, claims and other students' holds; the viewer's own claims are theirs", async () => {
    const inputs = await querySlotInputs(t.deps.knex, { mentor, viewer: student.id, now });
    expect(inputs.settings).toEqual({ minNoticeMinutes: 60, windowDays: 7, bufferMinutes: 15, requiresApproval: true, seriesWindowDays: expect.any(Number) });
    expect(inputs.rules).toHaveLength(5);
    expect(inputs.rules[0]).toEqual({ weekday: 1, start: '09:00', end: '17:00', active: true });
    expect(inputs.overrides).toEqual([{ date: '2031-03-09', kind: 'blocked', start: undefined, end: undefined }]);
    expect(inputs.busy.map(span).sort()).toEqual([span({ start: at(24), end: at(25) }), span({ start: at(26), end: at(27) }), span({ start: at(48), end: at(49) })].sort());
    expect(inputs.held.map(span)).toEqual([span({ start: at(7), end: at(8) })]);
    expect(inputs.mine.map(span).sort()).toEqual([span({ start: at(24), end: at(25) }), span({ start: at(26), end: at(27) }), span({ start: at(72), end: at(73) })].sort());
  });

  it('leaves out a moved booking and its proposal, on both sides', async () => {
    const inputs = await querySlotInputs(t.deps.knex, { mentor, viewer: student.id, ignoreBooking: moved, now });
    expect(inputs.busy.map(span)).toEqual([span({ start: at(48), end: at(49) })]);
    expect(inputs.mine.map(span)).toEqual([span({ start: at(72), end: at(73) })]);
  });

  it('without a viewer: every live hold is held, nothing is mine; the mentor as viewer has no "mine" either', async () => {
    const anonymous = await querySlotInputs(t.deps.knex, { mentor, now });
    expect(anonymous.held).toHaveLength(2);
    expect(anonymous.mine).toEqual([]);
    expect((await querySlotInputs(t.deps.knex, { mentor, viewer: mentor.id, now })).mine).toEqual([]);
    // An hour later both holds have expired.
    expect((await querySlotInputs(t.deps.knex, { mentor, now: at(1) })).held).toEqual([]);
  });

  it("a longer window (a series) reaches further overrides and claims; a mentor without settings gets the defaults", async () => {
    const series = await querySlotInputs(t.deps.knex, { mentor, windowDays: 35, now });
    expect(series.settings.windowDays).toBe(35);
    expect(series.overrides.map((o) => o.date)).toEqual(['2031-03-09', '2031-03-20']);
    expect(series.busy).toHaveLength(4);
    const plain = await querySlotInputs(t.deps.knex, { mentor: { id: other.mentorId, timezone: 'Europe/Paris' }, now });
    expect(plain.settings).toEqual(DEFAULT_SETTINGS);
  });
});
