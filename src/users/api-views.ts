// How the signed-in account looks in the public API (GET /me, and the user of a
// token pair): every field the profile page shows. A public module, so the auth
// feature's operations answer with the same shape.
import { z } from '../lib/api/openapi.ts';
import type { User } from './model.ts';

const text = z.string().nullable();

export const Me = z.object({
  id: z.uuid(),
  role: z.enum(['student', 'mentor']),
  username: z.string(),
  displayName: z.string(),
  email: z.email(),
  bio: text,
  jobTitle: text,
  company: text,
  city: text,
  country: z.string().length(2).nullable().openapi({ description: 'ISO 3166-1 alpha-2' }),
  linkedinUrl: text,
  websiteUrl: text,
  experienceLevel: z.enum(['beginner', 'intermediate', 'expert']).nullable(),
  phone: text,
  timezone: z.string().openapi({ description: 'IANA time zone', example: 'Europe/Paris' }),
  locale: z.enum(['fr', 'en']),
  headline: text.openapi({ description: 'Mentors only' }),
  hourlyRate: z.object({ amount: z.number().int().openapi({ description: 'Minor units (cents)' }), currency: z.string().length(3) }).nullable()
    .openapi({ description: 'Mentors only' }),
  languages: z.array(z.string()).openapi({ description: 'Mentors only: ISO 639-1 codes' }),
  avatarUrl: z.url().nullable().openapi({ description: 'The largest variant of the profile photo' }),
  createdAt: z.iso.datetime(),
}).openapi('Me');

export function meView(user: User, appUrl: string): z.infer<typeof Me> {
  return {
    id: user.id, role: user.role, username: user.username, displayName: user.displayName, email: user.email,
    bio: user.bio, jobTitle: user.jobTitle, company: user.company, city: user.city, country: user.country,
    linkedinUrl: user.linkedinUrl, websiteUrl: user.websiteUrl, experienceLevel: user.experienceLevel, phone: user.phone,
    timezone: user.timezone, locale: user.locale, headline: user.headline,
    hourlyRate: user.hourlyRateCents === null ? null : { amount: user.hourlyRateCents, currency: user.currency },
    languages: user.languages ?? [],
    // Same address the pages use: avatars are public pictures under random, never reused names.
    avatarUrl: user.avatarKey ? `${appUrl.replace(/\/$/, '')}/media/${user.avatarKey}` : null,
    createdAt: user.createdAt.toISOString(),
  };
}
