// Access tokens of the API: short-lived JWTs (EdDSA, 15 minutes by default) naming the
// account and its role. A request with one is that account, as long as the account is
// still active (read on each request, as the session's user is).
import type { Knex } from 'knex';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import type { ApiConfig } from '../config.ts';
import type { Clock } from '../lib/clock.ts';
import type { CurrentUser } from '../lib/current-user.ts';
import { UnauthorizedError } from '../lib/errors.ts';
import { User } from '../users/model.ts';
import type { TokenKeys } from './token-keys.ts';

export const AUDIENCE = 'leboncours-api';

export function tokenService(deps: { knex: Knex; clock: Clock; keys: TokenKeys; config: ApiConfig }) {
  const { knex, clock, keys, config } = deps;

  async function issueAccess(user: { id: string; role: CurrentUser['role'] }): Promise<{ accessToken: string; expiresIn: number }> {
    const now = Math.floor(clock.now().getTime() / 1000);
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
    try {
      const { payload } = await jwtVerify(token, keys.publicKey, {
        issuer: config.issuer, audience: AUDIENCE, algorithms: ['EdDSA'], typ: 'at+jwt', currentDate: clock.now(),
      });
      subject = payload.sub;
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw new UnauthorizedError('api.token.expired');
      throw new UnauthorizedError('api.token.invalid');
    }
    const record = subject && /^[0-9a-f-]{36}$/i.test(subject) ? await User.query(knex).findById(subject).modify('active') : undefined;
    if (!record) throw new UnauthorizedError('api.token.invalid');
    return {
      id: record.id, role: record.role, username: record.username, displayName: record.displayName,
      email: record.email, locale: record.locale, timezone: record.timezone, avatarKey: record.avatarKey,
    };
  }

  return { issueAccess, authenticate, jwks: () => keys.jwks() };
}

export type TokenService = ReturnType<typeof tokenService>;
