import type { RequestHandler } from 'express';
import type { Deps } from '../composition.ts';
import { isLocale } from '../i18n/index.ts';
import { render } from '../lib/render.ts';
import { User } from '../users/model.ts';
import { safeNextPath } from '../auth/next-path.ts';

export function homeHandlers({ knex }: Deps) {
  const show: RequestHandler = async (req, res) => {
    // The skills catalogue replaces this mentor showcase when it lands.
    const mentors = await User.query(knex).modify('active').modify('mentors')
      .select('username', 'displayName', 'headline', 'city', 'hourlyRate', 'currency', 'avatarKey')
      .orderBy('createdAt', 'asc').limit(6);
    render(req, res, 'home/index', { title: res.locals.t('home.title'), mentors });
  };

  // The switcher works without JavaScript: a cookie for everyone, and the user's
  // setting too when signed in, so mail goes out in the same language.
  const setLocale: RequestHandler = async (req, res) => {
    const locale = (req.body as { locale?: unknown }).locale;
    if (isLocale(locale)) {
      res.cookie('lang', locale, { maxAge: 365 * 24 * 3600 * 1000, sameSite: 'lax', httpOnly: true, path: '/' });
      if (req.user && req.user.role !== 'admin') await User.query(knex).findById(req.user.id).patch({ locale });
    }
    res.redirect(303, safeNextPath((req.body as { next?: unknown }).next) ?? '/');
  };

  return { show, setLocale };
}
