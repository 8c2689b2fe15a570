import { describe, expect, it } from 'vitest';
import { FixedClock } from '../src/lib/clock.ts';
import { centsToInput } from '../src/lib/money.ts';
import { mentorProfileSchema, profileSchema } from '../src/users/schemas.ts';
import { createTestApp } from '../test/helpers/app.ts';
import { DEMO_PASSWORD, seedDemoOnce } from './demo.ts';

const NOW = new Date('2026-11-22T10:00:00Z');
// Each app has a database of its own: one seeded fresh, one that already has a user.
const fresh = await createTestApp({ overrides: { clock: new FixedClock(NOW) } });
const occupied = await createTestApp();

interface Row {
  role: 'mentor' | 'student';
  username: string;
  email: string;
  passwordHash: string;
  createdAt: Date;
  lastLoginAt: Date | null;
  [key: string]: unknown;
}

const countByRole = async (knex: typeof fresh.deps.knex) =>
  Object.fromEntries(((await knex('users').select('role').count({ n: '*' }).groupBy('role')) as { role: string; n: number }[]).map((r) => [r.role, Number(r.n)]));

/** A stored row seen as the profile form would submit it (null → empty field). */
function asForm(row: Row): Record<string, unknown> {
  const keys = ['displayName', 'bio', 'jobTitle', 'company', 'city', 'country', 'linkedinUrl', 'websiteUrl', 'experienceLevel', 'phone', 'timezone', 'locale', 'headline', 'currency', 'languages'];
  const cents = row.hourlyRateCents as number | null;
  return { ...Object.fromEntries(keys.map((k) => [k, row[k] ?? ''])), hourlyRate: cents === null ? '' : centsToInput(cents, 'en') };
}

describe('seedDemoOnce', () => {
  it('loads about twenty mentors and forty students with the demo password, once', async () => {
    const result = await seedDemoOnce(fresh.deps);
    expect(result).toEqual({ mentors: 20, students: 40 });
    expect(await countByRole(fresh.deps.knex)).toEqual({ mentor: 20, student: 40 });

    const rows = (await fresh.deps.knex('users').select()) as Row[];
    // One hash shared by every account, and it is the demo password's.
    expect(new Set(rows.map((r) => r.passwordHash)).size).toBe(1);
    expect(await fresh.deps.passwords.verify(rows[0]!.passwordHash, DEMO_PASSWORD)).toBe(true);
    expect(await fresh.deps.passwords.verify(rows[0]!.passwordHash, 'not-the-demo-password')).toBe(false);

    // The marker says when and how much.
    const marker = await fresh.deps.knex('app_meta').where({ key: 'demo_seeded' }).first();
    expect(marker.value).toEqual({ at: NOW.toISOString(), mentors: 20, students: 40 });

    // Sign-ups lie in the past and logins come after them.
    for (const r of rows) {
      expect(r.createdAt.getTime()).toBeLessThan(NOW.getTime());
      if (r.lastLoginAt) expect(r.lastLoginAt.getTime()).toBeGreaterThan(r.createdAt.getTime());
    }
  });

  it('stores profiles the profile form itself would accept', async () => {
    const rows = (await fresh.deps.knex('users').select()) as Row[];
    expect(rows).toHaveLength(60);
    const invalid = rows
      .map((r) => ({ r, result: (r.role === 'mentor' ? mentorProfileSchema : profileSchema).safeParse(asForm(r)) }))
      .filter(({ result }) => !result.success)
      .map(({ r, result }) => `${r.username}: ${JSON.stringify(result.error?.issues.map((i) => [i.path.join('.'), i.message]))}`);
    expect(invalid).toEqual([]);
  });

  it('lets the README accounts sign in with the demo password and shows the mentor page', async () => {
    for (const identifier of ['alice', 'bob@example.com']) {
      const agent = fresh.agent();
      const token = await fresh.csrf(agent);
      const res = await agent.post('/login').type('form').send({ _csrf: token, identifier, password: DEMO_PASSWORD });
      expect(res.status, identifier).toBe(303);
    }
    const page = await fresh.agent().get('/mentors/alice');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Alice Martin');
  });

  it('does nothing the second time', async () => {
    const before = await countByRole(fresh.deps.knex);
    expect(before).toEqual({ mentor: 20, student: 40 });
    expect(await seedDemoOnce(fresh.deps)).toBeUndefined();
    expect(await countByRole(fresh.deps.knex)).toEqual(before);
    // Not even after the demo users are gone: the marker is what counts.
    await fresh.deps.knex('users').del();
    expect(await seedDemoOnce(fresh.deps)).toBeUndefined();
    expect(await countByRole(fresh.deps.knex)).toEqual({});
  });

  it('never runs over a database that already has a user, and remembers it skipped', async () => {
    await occupied.user('student:real');
    expect(await seedDemoOnce(occupied.deps)).toBeUndefined();
    expect(await countByRole(occupied.deps.knex)).toEqual({ student: 1 });
    const marker = await occupied.deps.knex('app_meta').where({ key: 'demo_seeded' }).first();
    expect(marker.value).toEqual({ skipped: 'users already present' });
    // The real user leaving does not make it seed later either.
    await occupied.deps.knex('users').del();
    expect(await seedDemoOnce(occupied.deps)).toBeUndefined();
    expect(await countByRole(occupied.deps.knex)).toEqual({});
  });
});
