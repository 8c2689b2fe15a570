// Loads req.user once per request: the shadow admin from the session, or the
// signed-in user's row (active accounts only; a disabled or deleted one ends the session).
// One round trip: the header's columns (never the password hash or the profile's long
// text) and, for full pages, the bell's unread count as a subquery.
import type { RequestHandler } from 'express';
import type { Knex } from 'knex';
import { ADMIN_ID, type CurrentUser } from '../lib/current-user.ts';
import { isPartialRequest } from '../lib/htmx.ts';
import { existingSession } from '../lib/session.ts';
import { unreadCountOf } from '../notifications/service.ts';
import type { User } from './model.ts';

const HEADER_COLUMNS = ['id', 'role', 'username', 'displayName', 'email', 'locale', 'timezone', 'avatarKey'] as const;

export type UserSummary = Pick<User, (typeof HEADER_COLUMNS)[number]>;

declare module '../lib/current-user.ts' {
  interface CurrentUser {
    /**
     * Set when the user has a users row (never for the shadow admin): its header
     * columns only. Pages that edit the profile load the whole row themselves.
     */
    record?: UserSummary;
  }
}

export function loadCurrentUser(knex: Knex, admin: { email: string } | undefined): RequestHandler {
  return async (req, res, next) => {
    const s = existingSession(req);
    if (s?.admin && admin) {
      req.user = { id: ADMIN_ID, role: 'admin', username: 'admin', displayName: 'Admin', email: admin.email, locale: 'fr', timezone: 'Europe/Paris', avatarKey: null };
    } else if (s?.userId) {
      // Only full pages show the bell; the htmx fragments and form posts do not need the count.
      const withUnread = req.method === 'GET' && !isPartialRequest(req);
      const query = knex('users').where('id', s.userId).whereNull('disabledAt').first(...HEADER_COLUMNS);
      if (withUnread) query.select({ unread: unreadCountOf(knex, s.userId) });
      const row = (await query) as (UserSummary & { unread?: number }) | undefined;
      if (row) {
        const { unread, ...record } = row;
        req.user = { ...record, record } satisfies CurrentUser;
        if (withUnread) res.locals.unread = Number(unread ?? 0);
      } else {
        // Deleted or disabled since sign-in: the session is worthless now.
        delete s.userId;
      }
    }
    res.locals.user = req.user;
    next();
  };
}
