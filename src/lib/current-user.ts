// Who is making the request. The shadow admin (no users row) comes from the environment
// and has no users row, so it can never be edited or deleted away; its id is the nil
// UUID so that uuid-typed scoped queries simply match nothing for it.
import type { RequestHandler } from 'express';
import type { Knex } from 'knex';
import { User, type Role } from '../users/model.ts';

export const ADMIN_ID = '00000000-0000-0000-0000-000000000000';

export interface CurrentUser {
  id: string;
  role: Role | 'admin';
  username: string;
  displayName: string;
  email: string;
  locale: 'fr' | 'en';
  timezone: string;
  avatarKey: string | null;
  record?: User;
}

declare module 'express-serve-static-core' {
  interface Request {
    user?: CurrentUser;
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
