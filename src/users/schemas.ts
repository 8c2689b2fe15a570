import { z } from 'zod';
import { isTimeZone } from '../i18n/format.ts';
import { moneyField } from '../lib/money.ts';
import { COUNTRY_CODES, CURRENCIES, LANGUAGE_CODES } from './countries.ts';

// Empty inputs mean "not given": stored as null, never as ''.
const optionalText = (max: number) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim() : v), z.string().max(max).optional());

const httpsUrl = z.url({ protocol: /^https?$/, hostname: z.regexes.domain, error: 'validation.url' }).max(300);
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim() : v), schema.optional());

export const profileSchema = z.object({
  displayName: z.string().trim().min(2).max(80),
  bio: optionalText(2000),
  jobTitle: optionalText(100),
  company: optionalText(100),
  city: optionalText(100),
  country: optional(z.enum(COUNTRY_CODES, { error: 'validation.choice' })),
  linkedinUrl: optional(httpsUrl.refine((u) => URL.canParse(u) && /(^|\.)linkedin\.com$/i.test(new URL(u).hostname), { error: 'users.linkedinHost' })),
  websiteUrl: optional(httpsUrl),
  experienceLevel: optional(z.enum(['beginner', 'intermediate', 'expert'])),
  phone: optional(z.string().regex(/^\+?[0-9][0-9 ().-]{5,22}$/, { error: 'users.phoneFormat' })),
  timezone: z.string().refine(isTimeZone, { error: 'users.timezoneInvalid' }),
  locale: z.enum(['fr', 'en']),
});

export const mentorProfileSchema = profileSchema.extend({
  headline: optionalText(120),
  // Typed in the currency's units ("37,50"), kept in cents.
  hourlyRate: optional(moneyField({ max: 1_000_000, error: 'users.rateFormat' })),
  currency: z.enum(CURRENCIES),
  // Checkbox groups arrive as a string (one ticked) or an array (several).
  languages: z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.enum(LANGUAGE_CODES)).max(10)),
});

export type ProfileInput = z.infer<typeof mentorProfileSchema>;
