// The signed-in account in the public API (/api/v1/me, tag Auth): the profile page's
// fields, read and edited through the same service and the same form rules.
import type { Deps } from '../composition.ts';
import type { Translate } from '../i18n/index.ts';
import type { ApiBuilder } from '../lib/api/operation.ts';
import { z } from '../lib/api/openapi.ts';
import type { CurrentUser } from '../lib/current-user.ts';
import { NotFoundError, ValidationError } from '../lib/errors.ts';
import { centsToInput } from '../lib/money.ts';
import { fieldErrors } from '../lib/validation.ts';
import { Me, meView } from './api-views.ts';
import { meAvatarApi } from './me-avatar-api.ts';
import { CURRENCIES, LANGUAGE_CODES } from './countries.ts';
import type { User } from './model.ts';
import { mentorProfileSchema, profileSchema } from './schemas.ts';

const clearable = (max: number) => z.string().max(max).nullable().optional().openapi({ description: 'null (or "") clears it' });

/** The JSON shape of a partial edit; the profile form's own schema then checks the result. */
const MePatch = z.object({
  displayName: z.string().max(80).optional(),
  bio: clearable(2000),
  jobTitle: clearable(100),
  company: clearable(100),
  city: clearable(100),
  country: clearable(2),
  linkedinUrl: clearable(300),
  websiteUrl: clearable(300),
  experienceLevel: z.enum(['beginner', 'intermediate', 'expert']).nullable().optional(),
  phone: clearable(30),
  timezone: z.string().max(64).optional(),
  locale: z.enum(['fr', 'en']).optional(),
  headline: clearable(120).openapi({ description: 'Mentors only (ignored for students)' }),
  hourlyRate: z.object({ amount: z.number().int().min(0).max(100_000_000), currency: z.enum(CURRENCIES) }).nullable().optional()
    .openapi({ description: 'Mentors only: minor units' }),
  languages: z.array(z.enum(LANGUAGE_CODES)).max(10).optional().openapi({ description: 'Mentors only' }),
}).openapi('MePatch');

type Patch = z.infer<typeof MePatch>;

/** The profile form as it would be submitted: the stored values, with the patch typed over them. */
function asForm(record: User, patch: Patch): Record<string, unknown> {
  const stored: Record<string, unknown> = {
    displayName: record.displayName, bio: record.bio, jobTitle: record.jobTitle, company: record.company, city: record.city,
    country: record.country, linkedinUrl: record.linkedinUrl, websiteUrl: record.websiteUrl, experienceLevel: record.experienceLevel,
    phone: record.phone, timezone: record.timezone, locale: record.locale, headline: record.headline,
    hourlyRate: record.hourlyRateCents === null ? null : centsToInput(record.hourlyRateCents, 'en'), currency: record.currency,
    languages: record.languages ?? [],
  };
  const { hourlyRate, ...rest } = patch;
  const merged = { ...stored, ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) };
  if (hourlyRate !== undefined) Object.assign(merged, hourlyRate === null ? { hourlyRate: null } : { hourlyRate: centsToInput(hourlyRate.amount, 'en'), currency: hourlyRate.currency });
  // The form's empty field means "none": null becomes that.
  return Object.fromEntries(Object.entries(merged).map(([k, v]) => [k, v === null ? '' : v]));
}

export function meApi(deps: Deps, api: ApiBuilder): void {
  const { users } = deps.services;
  const appUrl = deps.config.appUrl;
  const own = async (user: CurrentUser | undefined) => {
    const record = user && (await users.findOwn(user.id));
    if (!record) throw new NotFoundError();
    return record;
  };

  api.operation({
    method: 'get', path: '/me', operationId: 'getMe', tags: ['Auth'], access: ['student', 'mentor'],
    summary: 'The signed-in account',
    responses: { 200: { description: 'The profile', schema: Me } },
    async handler({ user }) {
      return { body: meView(await own(user), appUrl) };
    },
  });

  api.operation({
    method: 'patch', path: '/me', operationId: 'updateMe', tags: ['Auth'], access: ['student', 'mentor'],
    summary: 'Edit some fields of the profile',
    description: 'Fields left out keep their value. The profile page\'s rules apply, with its messages (422 `errors[]` per field).',
    body: MePatch,
    responses: { 200: { description: 'The profile after the edit', schema: Me } },
    async handler({ user, body, res }) {
      const record = await own(user);
      const schema = record.role === 'mentor' ? mentorProfileSchema : profileSchema;
      const parsed = schema.safeParse(asForm(record, body));
      if (!parsed.success) throw new ValidationError(fieldErrors(parsed.error, res.locals.t as Translate));
      return { body: meView(await users.updateProfile(record.id, record.role, parsed.data), appUrl) };
    },
  });

  meAvatarApi(deps, api, own);
}
