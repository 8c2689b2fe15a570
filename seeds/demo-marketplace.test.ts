import { describe, expect, it } from 'vitest';
import { createTestApp } from '../test/helpers/app.ts';
import { seedDemoOnce } from './demo.ts';
import { seedDemoBookingsOnce } from './demo-bookings.ts';
import { seedDemoSkillsOnce } from './demo-skills.ts';

const t = await createTestApp();

describe('demo marketplace data', () => {
  it('gives every mentor hours and skills, and bookings in every status, once', async () => {
    await seedDemoOnce(t.deps);
    const now = t.deps.clock.now();
    expect(await seedDemoSkillsOnce(t.deps.knex, now)).toBeGreaterThan(20);
    const loaded = await seedDemoBookingsOnce(t.deps.knex, now);
    expect(loaded?.bookings).toBeGreaterThan(200);

    const mentorsWithoutRules = await t.deps.knex('users').where({ role: 'mentor' })
      .whereNotExists(t.deps.knex('availabilityRules').whereRaw('availability_rules.mentor_id = users.id')).count({ n: '*' }).first();
    expect(Number(mentorsWithoutRules!.n)).toBe(0);
    const statuses = (await t.deps.knex('bookings').distinct('status')).map((r: { status: string }) => r.status).sort();
    expect(statuses).toEqual(['cancelled', 'completed', 'confirmed', 'expired', 'no_show', 'pending', 'rejected']);
    expect(await t.deps.knex('bookings').where('startsAt', '>', now).first()).toBeDefined();
    expect(await t.deps.knex('bookings').where('startsAt', '<', now).first()).toBeDefined();
    // The seat counter of each group session matches its live bookings.
    const drift = await t.deps.knex.raw(`
      select s.id from skills s
      where s.mode = 'group' and s.seats_taken <> (select count(*) from bookings b where b.skill_id = s.id and b.status in ('pending', 'confirmed'))`);
    expect(drift.rows).toEqual([]);
    // Pending requests have a deadline; every booking has a history.
    expect(await t.deps.knex('bookings').where({ status: 'pending' }).whereNull('expiresAt').first()).toBeUndefined();
    expect(await t.deps.knex('bookings').whereNotExists(t.deps.knex('bookingEvents').whereRaw('booking_events.booking_id = bookings.id')).first()).toBeUndefined();

    expect(await seedDemoSkillsOnce(t.deps.knex, now)).toBeUndefined();
    expect(await seedDemoBookingsOnce(t.deps.knex, now)).toBeUndefined();
  });
});
