// Profiles: edits scoped to the signed-in user, avatar files through the storage
// port, and the public mentor page.
import crypto from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import type { Knex } from 'knex';
import type { Logger } from '../lib/logger.ts';
import type { Storage } from '../lib/storage.ts';
import { User } from './model.ts';
import type { ProfileInput } from './schemas.ts';

export const AVATAR_MAX_BYTES = 2 * 1024 * 1024;
const AVATAR_TYPES: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp' };

export class AvatarRejectedError extends Error {
  constructor(readonly reason: 'type' | 'tooLarge' | 'missing') {
    super(`avatar rejected: ${reason}`);
  }
}

export function usersService(deps: { knex: Knex; storage: Storage; logger: Logger }) {
  const { knex, storage, logger } = deps;

  async function updateProfile(userId: string, role: User['role'], input: Partial<ProfileInput>): Promise<User> {
    const common = {
      displayName: input.displayName, bio: input.bio ?? null, jobTitle: input.jobTitle ?? null, company: input.company ?? null,
      city: input.city ?? null, country: input.country ?? null, linkedinUrl: input.linkedinUrl ?? null, websiteUrl: input.websiteUrl ?? null,
      experienceLevel: input.experienceLevel ?? null, phone: input.phone ?? null, timezone: input.timezone, locale: input.locale,
    };
    const mentorOnly = role === 'mentor'
      ? { headline: input.headline ?? null, hourlyRate: input.hourlyRate ?? null, currency: input.currency ?? 'EUR', languages: input.languages ?? [] }
      : {};
    return User.query(knex).patchAndFetchById(userId, { ...common, ...mentorOnly } as Partial<User>);
  }

  /** Checks the bytes (never the file name or the browser's type), stores, swaps. */
  async function replaceAvatar(userId: string, file: { buffer: Buffer; size: number } | undefined): Promise<string> {
    if (!file || file.size === 0) throw new AvatarRejectedError('missing');
    if (file.size > AVATAR_MAX_BYTES) throw new AvatarRejectedError('tooLarge');
    const detected = await fileTypeFromBuffer(file.buffer);
    const ext = detected && AVATAR_TYPES[detected.mime];
    if (!ext) throw new AvatarRejectedError('type');
    const key = `avatars/${crypto.randomUUID()}.${ext}`;
    await storage.put(key, file.buffer);
    const previous = await knex.transaction(async (trx) => {
      const row = await User.query(trx).findById(userId).select('avatarKey').forUpdate();
      await User.query(trx).findById(userId).patch({ avatarKey: key } as Partial<User>);
      return row?.avatarKey;
    });
    if (previous) await storage.delete(previous).catch((err: unknown) => logger.warn({ err }, 'old avatar not deleted'));
    return key;
  }

  async function removeAvatar(userId: string): Promise<void> {
    const row = await User.query(knex).findById(userId).select('avatarKey');
    await User.query(knex).findById(userId).patch({ avatarKey: null } as Partial<User>);
    if (row?.avatarKey) await storage.delete(row.avatarKey).catch((err: unknown) => logger.warn({ err }, 'avatar not deleted'));
  }

  async function findPublicMentor(username: string): Promise<User | undefined> {
    return User.query(knex).modify('active').modify('mentors').where('username', username).first();
  }

  return { updateProfile, replaceAvatar, removeAvatar, findPublicMentor };
}
