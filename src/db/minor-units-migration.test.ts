// The migration to integer cents meets databases that already hold numeric prices:
// every amount must come through exact, and the range checks keep their meaning.
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/helpers/app.ts';
import { mentorWithSkill } from '../../test/helpers/marketplace.ts';
import { down, up } from '../../migrations/20261201110000_store_prices_in_minor_units.ts';

const t = await createTestApp();
const knex = t.deps.knex;
const ids: Record<string, string> = {};

beforeAll(async () => {
  const m = await mentorWithSkill(t, 'mentor:numeric');
  const student = await t.user('student:oldprice');
  await down(knex);
  await knex('skills').where({ id: m.skillId }).update({ price: '25.50' });
  await knex('users').where({ id: m.mentorId }).update({ hourlyRate: '37.5' });
  const [booking] = await knex('bookings').insert({
    skillId: m.skillId, mentorId: m.mentorId, studentId: student.id, kind: 'one_on_one', startsAt: '2026-12-07T09:00Z', endsAt: '2026-12-07T10:30Z',
    durationMinutes: 90, status: 'confirmed', subject: 'Old data', price: '38.25',
  }).returning('id');
  const [course] = await knex('courses').insert({ slug: 'numeric-course', title: 'Numeric course', price: '0.29' }).returning('id');
  Object.assign(ids, { skill: m.skillId, mentor: m.mentorId, booking: (booking as { id: string }).id, course: (course as { id: string }).id });
  await up(knex);
});

describe('storing prices in minor units', () => {
  it('turns every numeric amount into exact integer cents', async () => {
    expect((await knex('skills').where({ id: ids.skill }).first()).priceCents).toBe(2550);
    expect((await knex('bookings').where({ id: ids.booking }).first()).priceCents).toBe(3825);
    expect((await knex('courses').where({ id: ids.course }).first()).priceCents).toBe(29);
    expect((await knex('users').where({ id: ids.mentor }).first()).hourlyRateCents).toBe(3750);
    const types = await knex('information_schema.columns').whereIn('columnName', ['price_cents', 'hourly_rate_cents']).select('tableName', 'dataType', 'isNullable');
    expect(types.map((c) => `${c.tableName}:${c.dataType}:${c.isNullable}`).sort()).toEqual([
      'bookings:integer:NO', 'courses:integer:NO', 'skills:integer:NO', 'users:integer:YES',
    ]);
  });

  it('keeps the range checks, now in cents, and a free course by default', async () => {
    await expect(knex('skills').where({ id: ids.skill }).update({ priceCents: 1_000_001 })).rejects.toMatchObject({ constraint: 'skills_price_check' });
    await expect(knex('skills').where({ id: ids.skill }).update({ priceCents: -1 })).rejects.toMatchObject({ constraint: 'skills_price_check' });
    await knex('skills').where({ id: ids.skill }).update({ priceCents: 1_000_000 });
    await expect(knex('courses').where({ id: ids.course }).update({ priceCents: 10_000_001 })).rejects.toMatchObject({ constraint: 'courses_price_check' });
    await expect(knex('users').where({ id: ids.mentor }).update({ hourlyRateCents: -1 })).rejects.toMatchObject({ constraint: 'users_hourly_rate_check' });
    const [free] = await knex('courses').insert({ slug: 'default-course', title: 'Default course' }).returning('priceCents');
    expect((free as { priceCents: number }).priceCents).toBe(0);
  });

  it('goes back down to the same numeric amounts, and up again', async () => {
    await down(knex);
    expect((await knex('bookings').where({ id: ids.booking }).first()).price).toBe('38.25');
    expect((await knex('courses').where({ id: ids.course }).first()).price).toBe('0.29');
    expect((await knex('users').where({ id: ids.mentor }).first()).hourlyRate).toBe('37.50');
    await expect(knex('skills').where({ id: ids.skill }).update({ price: '10000.01' })).rejects.toMatchObject({ constraint: 'skills_price_check' });
    await up(knex);
    expect((await knex('bookings').where({ id: ids.booking }).first()).priceCents).toBe(3825);
  });
});
