import type { Request, RequestHandler, Response } from 'express';
import type { Deps } from '../composition.ts';
import { namedTimeZones } from '../i18n/format.ts';
import { isLocale, type Locale, type Translate } from '../i18n/index.ts';
import { ForbiddenError } from '../lib/errors.ts';
import { besideField } from '../lib/form-errors.ts';
import { currentUser } from '../lib/guards.ts';
import { centsToInput } from '../lib/money.ts';
import { safeNextPath } from '../lib/next-path.ts';
import { render } from '../lib/render.ts';
import { parseForm } from '../lib/validation.ts';
import { countryOptions, CURRENCIES, LANGUAGE_CODES, languageName } from './countries.ts';
import { User } from './model.ts';
import { mentorProfileSchema, profileSchema } from './schemas.ts';
import { AvatarRejectedError } from './service.ts';
import { setFlash } from '../lib/flash.ts';


export function usersHandlers(deps: Deps) {
  const users = deps.services.users;

  /**
   * Everything the profile page needs besides values and errors, for its first render and
   * for every re-render of a refused form: the sections other features own (reminders,
   * calendar feed) come with it.
   */
  async function formLocals(res: Response, record: User) {
    const locale = res.locals.locale as Locale;
    const t = res.locals.t as Translate;
    const [reminderForm, calendarFeed] = await Promise.all([
      deps.services.reminders.profileForm(record.id),
      deps.services.calendarFeeds.forUser(record.id),
    ]);
    return {
      ...reminderForm,
      calendarFeed,
      title: t('users.editTitle'),
      account: record,
      countries: [{ value: '', label: t('users.noCountry') }, ...countryOptions(locale)],
      languages: LANGUAGE_CODES.map((code) => ({ value: code, label: languageName(code, locale) })),
      currencies: CURRENCIES.map((c) => ({ value: c, label: c })),
      timeZones: namedTimeZones(),
      levels: [{ value: '', label: t('users.levelUnset') }, ...(['beginner', 'intermediate', 'expert'] as const).map((l) => ({ value: l, label: t(`users.level.${l}`) }))],
    };
  }

  /** The whole row, read here only: every other page gets by with the header's columns. */
  const ownRecord = async (req: Request): Promise<User> => {
    const user = currentUser(req);
    const record = user.record && (await users.findOwn(user.id));
    if (!record) throw new ForbiddenError('users.adminHasNoProfile');
    return record;
  };

  /** The stored profile as the form shows it: the rate in the viewer's notation. */
  const valuesOf = (res: Response, record: User) =>
    ({ ...record, hourlyRate: record.hourlyRateCents === null ? '' : centsToInput(record.hourlyRateCents, res.locals.locale as Locale) });

  const editForm: RequestHandler = async (req, res) => {
    const record = await ownRecord(req);
    render(req, res, 'users/edit', { ...(await formLocals(res, record)), values: valuesOf(res, record) });
  };

  const update: RequestHandler = async (req, res) => {
    const record = await ownRecord(req);
    const schema = record.role === 'mentor' ? mentorProfileSchema : profileSchema;
    const input = parseForm(req, res, schema, { view: 'users/edit', locals: await formLocals(res, record) });
    const updated = await users.updateProfile(record.id, record.role, input);
    res.cookie('lang', updated.locale, { maxAge: 365 * 24 * 3600 * 1000, sameSite: 'lax', httpOnly: true });
    setFlash(req, { kind: 'success', key: 'users.saved' });
    res.redirect(303, '/profile');
  };

  const uploadAvatar: RequestHandler = async (req, res) => {
    const record = await ownRecord(req);
    const form = async () => ({ view: 'users/edit', locals: await formLocals(res, record), values: valuesOf(res, record) });
    await besideField(res, form, async () => {
      if (req.uploadError === 'tooLarge') throw new AvatarRejectedError('tooLarge');
      await users.replaceAvatar(record.id, req.file);
    }, 'avatar');
    setFlash(req, { kind: 'success', key: 'users.avatarSaved' });
    res.redirect(303, '/profile');
  };

  const deleteAvatar: RequestHandler = async (req, res) => {
    await users.removeAvatar((await ownRecord(req)).id);
    setFlash(req, { kind: 'success', key: 'users.avatarRemoved' });
    res.redirect(303, '/profile');
  };

  // The language switcher works without JavaScript: a cookie for everyone, and the
  // user's setting too when signed in, so mail goes out in the same language.
  const setLocale: RequestHandler = async (req, res) => {
    const locale = (req.body as { locale?: unknown }).locale;
    if (isLocale(locale)) {
      res.cookie('lang', locale, { maxAge: 365 * 24 * 3600 * 1000, sameSite: 'lax', httpOnly: true, path: '/' });
      if (req.user && req.user.role !== 'admin') await User.query(deps.knex).findById(req.user.id).patch({ locale });
    }
    res.redirect(303, safeNextPath((req.body as { next?: unknown }).next) ?? '/');
  };

  /** The visitors' switch (a GET form on cacheable pages): the cookie only, never the account. */
  const chooseLocale: RequestHandler = (req, res) => {
    const { locale, next } = req.query as { locale?: unknown; next?: unknown };
    if (isLocale(locale)) res.cookie('lang', locale, { maxAge: 365 * 24 * 3600 * 1000, sameSite: 'lax', httpOnly: true, path: '/' });
    res.redirect(303, safeNextPath(next) ?? '/');
  };

  return { editForm, update, uploadAvatar, deleteAvatar, setLocale, chooseLocale };
}
