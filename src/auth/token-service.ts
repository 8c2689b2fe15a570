// Access tokens of the API: short-lived JWTs (EdDSA, 15 minutes by default) naming the
// account and its role. A request with one is that account, as long as the account is
// still active (read on each request, as the session's user is).
import type { Knex } from 'knex';
import type * as Jose from 'jose';
import type { ApiConfig } from '../config.ts';
import type { Clock } from '../lib/clock.ts';
import type { CurrentUser } from '../lib/current-user.ts';
import { UnauthorizedError } from '../lib/errors.ts';
import { lazy } from '../lib/lazy.ts';
import { User } from '../users/model.ts';
import { refreshTokens } from './refresh-tokens.ts';
import type { TokenKeys } from './token-keys.ts';

export const AUDIENCE = 'leboncours-api';

// Loaded on the first API token, not at start-up (~35 ms): most processes serve pages only.
const loadJose: () => Promise<typeof Jose> = lazy(() => import('jose'));

export function tokenService(deps: { knex: Knex; clock: Clock; keys: TokenKeys; config: ApiConfig }) {
  const { knex, clock, keys, config } = deps;
  const refresh = refreshTokens({ knex, clock, days: config.refreshTokenDays });

  async function issueAccess(user: { id: string; role: CurrentUser['role'] }): Promise<{ accessToken: string; expiresIn: number }> {
    const now = Math.floor(clock.now().getTime() / 1000);
    const { SignJWT } = await loadJose();
    const accessToken = await new SignJWT({ role: user.role })
      .setProtectedHeader({ alg: 'EdDSA', kid: keys.kid, typ: 'at+jwt' })
      .setIssuer(config.issuer)
      .setAudience(AUDIENCE)
      .setSubject(user.id)
      .setIssuedAt(now)
      .setExpirationTime(now + config.accessTokenSeconds)
      .sign(keys.privateKey);
    return { accessToken, expiresIn: config.accessTokenSeconds };
  }

  /** The account an access token names; 401 when it is not ours, expired, or the account is gone. */
  async function authenticate(token: string): Promise<CurrentUser> {
    let subject: string | undefined;
    const { errors, jwtVerify } = await loadJose();
    try {
      const { payload } = await jwtVerify(token, keys.publicKey, {
        issuer: config.issuer, audience: AUDIENCE, algorithms: ['EdDSA'], typ: 'at+jwt', currentDate: clock.now(),
      });
      subject = payload.sub;
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw new UnauthorizedError('api.token.expired');
      throw new UnauthorizedError('api.token.invalid');
    }
    const record = subject && /^[0-9a-f-]{36}$/i.test(subject) ? await User.query(knex).findById(subject).modify('active') : undefined;
    if (!record) throw new UnauthorizedError('api.token.invalid');
    return {
      id: record.id, role: record.role, username: record.username, displayName: record.displayName,
      email: record.email, locale: record.locale, timezone: record.timezone, avatarKey: record.avatarKey,
    };
  }

  /** What a login or a refresh hands out: an access token and the refresh token that renews it. */
  async function pair(user: { id: string; role: CurrentUser['role'] }, refreshToken: { refreshToken: string; refreshExpiresAt: Date }) {
    return { tokenType: 'Bearer' as const, ...(await issueAccess(user)), refreshToken: refreshToken.refreshToken, refreshExpiresAt: refreshToken.refreshExpiresAt.toISOString() };
  }

  /** A login: a new refresh-token family. */
  async function issuePair(user: { id: string; role: CurrentUser['role'] }, userAgent?: string) {
    return pair(user, await refresh.start(user.id, userAgent));
  }

  /** Rotation: the presented token is spent, the next one of its family comes back with a fresh access token. */
  async function refreshPair(token: string, userAgent?: string) {
    const next = await refresh.rotate(token, userAgent);
    return { user: next.user, tokens: await pair(next.user, next) };
  }

  return { issueAccess, authenticate, issuePair, refreshPair, revokeRefresh: refresh.revoke, pruneRefresh: refresh.prune, jwks: () => keys.jwks() };
}

export type TokenService = ReturnType<typeof tokenService>;
