// Profiles: edits scoped to the signed-in user, avatar files through the storage
// port, and the public mentor page.
import type { Knex } from 'knex';
import type { Logger } from '../lib/logger.ts';
import type { Storage } from '../lib/storage.ts';
import { deleteImage, storeImage } from '../lib/images.ts';
import { keysetPage, type KeysetPage } from '../lib/keyset.ts';
import { User } from './model.ts';
import type { ProfileInput } from './schemas.ts';

export { IMAGE_MAX_BYTES as AVATAR_MAX_BYTES, ImageRejectedError as AvatarRejectedError } from '../lib/images.ts';

/**
 * What anyone may read about a mentor (the profile page, the API's Mentor): never the
 * password hash, email, phone or payment ids that users.* would carry along.
 */
const PUBLIC_MENTOR_COLUMNS = [
  'id', 'role', 'username', 'displayName', 'headline', 'bio', 'jobTitle', 'company', 'city', 'country', 'languages',
  'experienceLevel', 'timezone', 'linkedinUrl', 'websiteUrl', 'avatarKey', 'ratingAverage', 'ratingCount', 'createdAt',
].map((c) => `users.${c}`);

export function usersService(deps: { knex: Knex; storage: Storage; logger: Logger }) {
  const { knex, storage, logger } = deps;

  async function updateProfile(userId: string, role: User['role'], input: Partial<ProfileInput>): Promise<User> {
    const common = {
      displayName: input.displayName, bio: input.bio ?? null, jobTitle: input.jobTitle ?? null, company: input.company ?? null,
      city: input.city ?? null, country: input.country ?? null, linkedinUrl: input.linkedinUrl ?? null, websiteUrl: input.websiteUrl ?? null,
      experienceLevel: input.experienceLevel ?? null, phone: input.phone ?? null, timezone: input.timezone, locale: input.locale,
    };
    const mentorOnly = role === 'mentor'
      ? { headline: input.headline ?? null, hourlyRateCents: input.hourlyRate ?? null, currency: input.currency ?? 'EUR', languages: input.languages ?? [] }
      : {};
    return User.query(knex).patchAndFetchById(userId, { ...common, ...mentorOnly } as Partial<User>);
  }

  /** Checks the bytes (never the file name or the browser's type), stores, swaps. */
  async function replaceAvatar(userId: string, file: { buffer: Buffer; size: number } | undefined): Promise<string> {
    const key = await storeImage(storage, 'avatars', file);
    const previous = await knex.transaction(async (trx) => {
      const row = await User.query(trx).findById(userId).select('avatarKey').forUpdate();
      await User.query(trx).findById(userId).patch({ avatarKey: key } as Partial<User>);
      return row?.avatarKey;
    });
    if (previous) await deleteImage(storage, previous).catch((err: unknown) => logger.warn({ err }, 'old avatar not deleted'));
    return key;
  }

  async function removeAvatar(userId: string): Promise<void> {
    const row = await User.query(knex).findById(userId).select('avatarKey');
    await User.query(knex).findById(userId).patch({ avatarKey: null } as Partial<User>);
    if (row?.avatarKey) await deleteImage(storage, row.avatarKey).catch((err: unknown) => logger.warn({ err }, 'avatar not deleted'));
  }

  /** The signed-in account's own row (the API's /me); undefined once disabled. */
  async function findOwn(userId: string): Promise<User | undefined> {
    return User.query(knex).findById(userId).modify('active');
  }

  async function findPublicMentor(username: string): Promise<User | undefined> {
    return User.query(knex).modify('active').modify('mentors').where('username', username).first().select(PUBLIC_MENTOR_COLUMNS);
  }

  async function findPublicMentorById(id: string): Promise<User | undefined> {
    return User.query(knex).modify('active').modify('mentors').findById(id).select(PUBLIC_MENTOR_COLUMNS);
  }

  /** Active mentors, newest first, by cursor; `q` matches the name, username or headline, accents ignored. */
  async function listPublicMentors(input: { q?: string }, page: { limit: number; cursor?: string }): Promise<KeysetPage<User>> {
    const query = User.query(knex).modify('active').modify('mentors').select(PUBLIC_MENTOR_COLUMNS);
    const q = input.q?.trim();
    if (q) {
      const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      query.whereRaw("immutable_unaccent(lower(users.display_name || ' ' || users.username || ' ' || coalesce(users.headline, ''))) like immutable_unaccent(lower(?))", [like]);
    }
    return keysetPage(query, { name: 'newest', expr: 'users.created_at', dir: 'desc', type: 'timestamptz', id: 'users.id' }, page);
  }

  return { updateProfile, replaceAvatar, removeAvatar, findOwn, findPublicMentor, findPublicMentorById, listPublicMentors };
}
