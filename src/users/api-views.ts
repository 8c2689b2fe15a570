// How a mentor looks in the public API: what their public profile page shows, and
// nothing else (no email, phone, locale or sign-in dates).
import { z } from '../lib/api/openapi.ts';
import type { User } from './model.ts';

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
