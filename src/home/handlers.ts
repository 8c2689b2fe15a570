import type { RequestHandler } from 'express';
import type { Deps } from '../composition.ts';
import { isLocale } from '../i18n/index.ts';
import { pushCleanUrl, render } from '../lib/render.ts';
import { parseQuery } from '../lib/validation.ts';
import { User } from '../users/model.ts';
import { safeNextPath } from '../auth/next-path.ts';
import { skillsHandlers } from '../skills/handlers.ts';
import { searchSchema } from '../skills/schemas.ts';

export function homeHandlers(deps: Deps) {
  const { skills } = deps.services;
  const { searchLocals } = skillsHandlers(deps);

  // The landing page is the catalogue with a hero: searching from it stays on it.
  const show: RequestHandler = async (req, res) => {
    const input = parseQuery(req, res, searchSchema);
    const result = await skills.search(input);
    pushCleanUrl(req, res);
    render(req, res, 'skills/search', { title: res.locals.t('home.title'), hero: true, ...searchLocals(req, res), result, input }, { fragment: 'skills/_results' });
  };

  // The switcher works without JavaScript: a cookie for everyone, and the user's
  // setting too when signed in, so mail goes out in the same language.
  const setLocale: RequestHandler = async (req, res) => {
    const locale = (req.body as { locale?: unknown }).locale;
    if (isLocale(locale)) {
      res.cookie('lang', locale, { maxAge: 365 * 24 * 3600 * 1000, sameSite: 'lax', httpOnly: true, path: '/' });
      if (req.user && req.user.role !== 'admin') await User.query(deps.knex).findById(req.user.id).patch({ locale });
    }
    res.redirect(303, safeNextPath((req.body as { next?: unknown }).next) ?? '/');
  };

  return { show, setLocale };
}
