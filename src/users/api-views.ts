// How people look in the public API. The signed-in account (GET /me, the user of a
// token pair): every field the profile page shows. A mentor to others: what their
// public profile page shows and nothing else (no email, phone, locale or sign-in dates).
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

export const MentorView = z.object({
  id: z.uuid(),
  username: z.string(),
  displayName: z.string(),
  headline: z.string().nullable(),
  bio: z.string().nullable(),
  jobTitle: z.string().nullable(),
  company: z.string().nullable(),
  city: z.string().nullable(),
  country: z.string().nullable().openapi({ description: 'ISO 3166-1 alpha-2' }),
  languages: z.array(z.string()).openapi({ description: 'ISO 639-1 codes' }),
  experienceLevel: z.enum(['beginner', 'intermediate', 'expert']).nullable(),
  timezone: z.string().openapi({ description: 'IANA zone the mentor works in' }),
  linkedinUrl: z.string().nullable(),
  websiteUrl: z.string().nullable(),
  rating: z.object({ average: z.number().nullable(), count: z.number().int() }),
  memberSince: z.iso.datetime(),
}).openapi('Mentor');

export function mentorView(m: User): z.infer<typeof MentorView> {
  return {
    id: m.id, username: m.username, displayName: m.displayName, headline: m.headline, bio: m.bio, jobTitle: m.jobTitle, company: m.company,
    city: m.city, country: m.country, languages: m.languages ?? [], experienceLevel: m.experienceLevel, timezone: m.timezone,
    linkedinUrl: m.linkedinUrl, websiteUrl: m.websiteUrl,
    rating: { average: m.ratingCount > 0 ? Number(m.ratingAverage) : null, count: m.ratingCount }, memberSince: m.createdAt.toISOString(),
  };
}
