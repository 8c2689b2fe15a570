// Language and time zone of the viewer: the user's settings when signed in, else the
// `lang` cookie set by the switcher, else Accept-Language; the zone from the `tz`
// cookie written by public/js/app.js, else the configured default.
import type { RequestHandler } from 'express';
import { formatters } from '../i18n/format.ts';
import { ownZone } from './viewer-zone.ts';
import { isLocale, LOCALES, translator, type Locale } from '../i18n/index.ts';

export function localeFromRequest(req: Parameters<RequestHandler>[0]): Locale {
  if (req.user && isLocale(req.user.locale) && req.user.role !== 'admin') return req.user.locale;
  const cookie = req.cookies?.lang as unknown;
  if (isLocale(cookie)) return cookie;
  const accepted = req.acceptsLanguages(...LOCALES);
  return isLocale(accepted) ? accepted : 'fr';
}

export function localeContext(defaultTimeZone: string): RequestHandler {
  return (req, res, next) => {
    const locale = localeFromRequest(req);
    const timeZone = ownZone(req) ?? defaultTimeZone;
    res.locals.locale = locale;
    res.locals.t = translator(locale);
    res.locals.fmt = formatters(locale, timeZone);
    res.locals.currentPath = req.originalUrl;
    next();
  };
}
