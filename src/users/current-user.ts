// Loads req.user once per request: the shadow admin from the session, or the
// signed-in user's row (active accounts only; a disabled or deleted one ends the session).
// The header's columns (never the password hash or the profile's long text) and the
// bell's unread count come with the session itself, in the store's one statement; a
// request whose session was not read that way makes one query of its own.
import type { RequestHandler } from 'express';
import type { Knex } from 'knex';
import { ADMIN_ID, type CurrentUser } from '../lib/current-user.ts';
import { isPartialRequest } from '../lib/htmx.ts';
import { snakeCaseMappers } from 'objection';
import { existingSession, sessionCompanion, type SessionCompanion } from '../lib/session.ts';
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

type HeaderRow = UserSummary & { unread?: number };

const columns = snakeCaseMappers();

/** The header's row of the user `id` names (active accounts only), and the bell's count if asked. */
function headerQuery(knex: Knex, id: string | Knex.Raw, withUnread: boolean) {
  const query = knex('users').where('id', id).whereNull('disabledAt').first(...HEADER_COLUMNS);
  if (withUnread) query.select({ unread: unreadCountOf(knex, knex.ref('users.id')) });
  return query;
}

/**
 * The header's row and the bell's count, read by the session store in the session's
 * own statement (the session's userId names the user): see loadCurrentUser.
 */
export function viewerCompanion(knex: Knex): SessionCompanion {
  const id = knex.raw(`case when s.sess->>'userId' ~* '^[0-9a-f-]{36}$' then (s.sess->>'userId')::uuid end`);
  return `(select row_to_json(v) from (${headerQuery(knex, id, true).toQuery()}) v)`;
}

/** The row read with the session, if it was; null when no active user has the session's id. */
function companionRow(req: Parameters<RequestHandler>[0], userId: string): HeaderRow | null | undefined {
  const companion = sessionCompanion(req);
  if (companion === undefined) return undefined;
  if (companion === null) return null;
  const row = columns.parse(companion as Record<string, unknown>) as HeaderRow;
  return row.id === userId ? row : undefined;
}

export function loadCurrentUser(knex: Knex, admin: { email: string } | undefined): RequestHandler {
  return async (req, res, next) => {
    const s = existingSession(req);
    if (s?.admin && admin) {
      req.user = { id: ADMIN_ID, role: 'admin', username: 'admin', displayName: 'Admin', email: admin.email, locale: 'fr', timezone: 'Europe/Paris', avatarKey: null };
    } else if (s?.userId) {
      // Only full pages show the bell; the htmx fragments and form posts do not need the count.
      const withUnread = req.method === 'GET' && !isPartialRequest(req);
      let row = companionRow(req, s.userId);
      if (row === undefined) {
        // Not read with the session (a store without the companion): a query of its own.
        row = ((await headerQuery(knex, s.userId, withUnread)) as HeaderRow | undefined) ?? null;
      }
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
