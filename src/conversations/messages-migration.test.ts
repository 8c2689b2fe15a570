// The migration that creates conversations meets bookings made before them: each old
// "message to the mentor" becomes its booking's first message, and down gives them back.
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/helpers/app.ts';
import { mentorWithSkill } from '../../test/helpers/marketplace.ts';
import { down, up } from '../../migrations/20261201154000_create_booking_messages.ts';

const t = await createTestApp();
const knex = t.deps.knex;

describe('migration 20261201154000_create_booking_messages', () => {
  it('copies each non-blank bookings.message as a first message by the student, and down drops only the new tables', async () => {
    await down(knex);
    const m = await mentorWithSkill(t, 'mentor:oldtimer');
    const s = await t.user('student:oldstudent');
    const row = (start: string, message: string | null) => ({
      skillId: m.skillId, mentorId: m.mentorId, studentId: s.id, kind: 'one_on_one', startsAt: new Date(start), endsAt: new Date(new Date(start).getTime() + 3_600_000),
      durationMinutes: 60, status: 'confirmed', subject: 'Old data', priceCents: 0, message, createdAt: new Date('2026-11-01T09:00:00Z'),
    });
    const [withNote, blank, none] = await knex('bookings').insert([row('2026-12-20T09:00Z', '  Bring the laptop  '), row('2026-12-21T09:00Z', '   '), row('2026-12-22T09:00Z', null)]).returning('id');
    await up(knex);
    const copied = await knex('bookingMessages').orderBy('id');
    expect(copied).toHaveLength(1);
    expect(copied[0]).toMatchObject({ bookingId: withNote.id, authorId: s.id, authorRole: 'student', body: 'Bring the laptop' });
    expect(new Date(copied[0].createdAt).toISOString()).toBe('2026-11-01T09:00:00.000Z');
    expect(await knex('bookingMessages').whereIn('bookingId', [blank.id, none.id])).toHaveLength(0);
    await down(knex);
    expect((await knex('bookings').where({ id: withNote.id }).first()).message).toBe('  Bring the laptop  ');
    await up(knex);
  });
});
