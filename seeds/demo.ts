// Demo data loaded once by `npm start` (when SEED_DEMO is on): about twenty mentors
// and forty students, all with the password DEMO_PASSWORD. It never runs twice
// (app_meta.demo_seeded) and never runs over a database that already has users.
import fs from 'node:fs';
import type { Knex } from 'knex';
import type { Deps } from '../src/composition.ts';
import { storeImageVariants } from '../src/lib/images.ts';
import type { Storage } from '../src/lib/storage.ts';
import { DEMO_MENTORS, DEMO_STUDENTS, type DemoPerson, type DemoPlace } from './demo-people.ts';
import { portraitFile } from './media/make-portraits.ts';
import { fromRoot } from '../src/lib/project-root.ts';

export const DEMO_PASSWORD = 'leboncours-demo';

const META_KEY = 'demo_seeded';
// Two app instances starting together queue on this lock; the second then sees the marker.
const LOCK_NAME = 'leboncours:demo-seed';
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

const TIMEZONES: Record<DemoPlace, string> = {
  FR: 'Europe/Paris',
  BE: 'Europe/Brussels',
  SN: 'Africa/Dakar',
  CI: 'Africa/Abidjan',
  CM: 'Africa/Douala',
  CA: 'America/Toronto', // Montréal, Québec, Sherbrooke and Ottawa all follow Eastern time
};

const CANADIAN_AREA_CODES: Record<string, string> = { Montréal: '514', Québec: '418', Sherbrooke: '819', Ottawa: '613' };

/** Lowercase ASCII for emails, usernames and URL slugs: "N'Guessan" → "nguessan", "Ngo Bikoko" → "ngobikoko". */
function slugPart(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '');
}

function digits(seed: number, length: number): string {
  return String((seed * 2_654_435_761 + 97) % 10 ** length).padStart(length, '0');
}

// Mobile numbers in each country's format (French ones in the 06 39 98 range ARCEP
// keeps for fiction, Canadian ones in the 555-01xx fiction range).
function phoneFor(person: DemoPerson, n: number): string | null {
  if (n % 3 === 2) return null; // not everyone gives a phone number
  switch (person.country) {
    case 'FR': return `+3363998${digits(n, 4)}`;
    case 'BE': return `+32470${digits(n, 6)}`;
    case 'SN': return `+22177${digits(n, 7)}`;
    case 'CI': return `+22507${digits(n, 8)}`;
    case 'CM': return `+2376${digits(n, 8)}`;
    case 'CA': return `+1${CANADIAN_AREA_CODES[person.city] ?? '514'}55501${digits(n, 2)}`;
  }
}

function toRow(person: DemoPerson, n: number, daysAgo: number, passwordHash: string, now: number) {
  const first = slugPart(person.firstName);
  const last = slugPart(person.lastName);
  const slug = `${first}-${last}`;
  const createdAt = new Date(now - daysAgo * DAY_MS - ((n * 137) % 600) * MINUTE_MS);
  // Most people came back recently; every fourth one never logged in after signing up.
  const loginDaysAgo = Math.min((n * 5) % 30, daysAgo - 1);
  const lastLoginAt = n % 4 === 3 ? null : new Date(now - loginDaysAgo * DAY_MS - ((n * 53) % 480 + 30) * MINUTE_MS);
  return {
    email: person.email ?? `${first}.${last}@example.com`,
    username: person.username ?? `${first}.${last}`,
    passwordHash,
    displayName: `${person.firstName} ${person.lastName}`,
    bio: person.bio,
    avatarKey: null,
    jobTitle: person.jobTitle,
    company: person.company,
    city: person.city,
    country: person.country,
    linkedinUrl: person.linkedin ? `https://www.linkedin.com/in/${slug}` : null,
    websiteUrl: person.website ? `https://${slug}.example.com` : null,
    experienceLevel: person.experienceLevel,
    phone: phoneFor(person, n),
    timezone: TIMEZONES[person.country],
    locale: person.locale,
    languages: person.languages,
    currency: 'EUR',
    lastLoginAt,
    createdAt,
    updatedAt: createdAt,
  };
}

export function buildDemoRows(passwordHash: string, now: Date) {
  const t = now.getTime();
  // Mentors joined first (about six months ago onwards), students kept arriving since.
  const mentors = DEMO_MENTORS.map((m, i) => ({
    ...toRow(m, i, 182 - i * 6, passwordHash, t),
    role: 'mentor' as const,
    headline: m.headline,
    hourlyRateCents: m.hourlyRateCents,
  }));
  const students = DEMO_STUDENTS.map((s, i) => ({
    ...toRow(s, DEMO_MENTORS.length + i, 176 - i * 4, passwordHash, t),
    role: 'student' as const,
    headline: null,
    hourlyRateCents: null,
  }));
  return { mentors, students };
}

/**
 * Each mentor's generated portrait (seeds/media/portraits/), stored like an uploaded
 * avatar: every width, through the storage port. Students keep their initial.
 */
async function storePortraits(storage: Storage): Promise<(string | null)[]> {
  return Promise.all(DEMO_MENTORS.map(async (m) => {
    const file = fromRoot('seeds', 'media', 'portraits', portraitFile(m));
    if (!fs.existsSync(file)) return null;
    const buffer = fs.readFileSync(file);
    return storeImageVariants(storage, 'avatars', { buffer, size: buffer.length });
  }));
}

async function isMarked(db: Knex | Knex.Transaction): Promise<boolean> {
  return Boolean(await db('app_meta').where({ key: META_KEY }).first('key'));
}

async function hasUsers(db: Knex | Knex.Transaction): Promise<boolean> {
  return Boolean(await db('users').first(db.raw('1 as found')));
}

async function markSkipped(db: Knex | Knex.Transaction, now: Date): Promise<void> {
  await db('app_meta')
    .insert({ key: META_KEY, value: { skipped: 'users already present' }, updatedAt: now })
    .onConflict('key')
    .ignore();
}

/** Loads demo users once; returns counts, or undefined when skipped. Never runs over real data. */
export async function seedDemoOnce(deps: Deps): Promise<{ mentors: number; students: number } | undefined> {
  const { knex, clock } = deps;
  // Cheap checks first so a normal restart never pays for an argon2 hash.
  if (await isMarked(knex)) return undefined;
  if (await hasUsers(knex)) {
    await markSkipped(knex, clock.now());
    return undefined;
  }

  const passwordHash = await deps.passwords.hash(DEMO_PASSWORD); // once, shared by every demo account

  return knex.transaction(async (trx) => {
    await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [LOCK_NAME]);
    // Checked again under the lock: another instance may have seeded, or a user signed up.
    if (await isMarked(trx)) return undefined;
    const now = clock.now();
    if (await hasUsers(trx)) {
      await markSkipped(trx, now);
      return undefined;
    }
    const { mentors, students } = buildDemoRows(passwordHash, now);
    const portraits = await storePortraits(deps.storage);
    await trx('users').insert(mentors.map((m, i) => ({ ...m, avatarKey: portraits[i] ?? null })));
    await trx('users').insert(students);
    await trx('app_meta').insert({
      key: META_KEY,
      value: { at: now.toISOString(), mentors: mentors.length, students: students.length },
      updatedAt: now,
    });
    return { mentors: mentors.length, students: students.length };
  });
}
