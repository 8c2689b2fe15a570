// Loads req.user once per request: the shadow admin from the session, or the
// signed-in user's row (active accounts only; a disabled or deleted one ends the session).
import type { RequestHandler } from 'express';
import type { Knex } from 'knex';
import { ADMIN_ID } from '../lib/current-user.ts';
import { User } from './model.ts';

declare module '../lib/current-user.ts' {
  interface CurrentUser {
    /** The users row, for pages that edit it (absent for the shadow admin). */
    record?: User;
  }
}

export function loadCurrentUser(knex: Knex, admin: { email: string } | undefined): RequestHandler {
  return async (req, res, next) => {
    const s = req.session;
    if (s?.admin && admin) {
      req.user = { id: ADMIN_ID, role: 'admin', username: 'admin', displayName: 'Admin', email: admin.email, locale: 'fr', timezone: 'Europe/Paris', avatarKey: null };
    } else if (s?.userId) {
      const record = await User.query(knex).findById(s.userId).modify('active');
      if (record) {
        req.user = {
          id: record.id, role: record.role, username: record.username, displayName: record.displayName,
          email: record.email, locale: record.locale, timezone: record.timezone, avatarKey: record.avatarKey, record,
        };
      } else {
        // Deleted or disabled since sign-in: the session is worthless now.
        delete s.userId;
      }
    }
    res.locals.user = req.user;
    next();
  };
}
