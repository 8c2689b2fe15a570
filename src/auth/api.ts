// Accounts and tokens in the public API (/api/v1, tag Auth): the same registration,
// credential check and login throttle as the pages, then a token pair instead of a
// session cookie.
import type { Deps } from '../composition.ts';
import { isTimeZone } from '../i18n/format.ts';
import type { Locale } from '../i18n/index.ts';
import type { ApiBuilder } from '../lib/api/operation.ts';
import { z } from '../lib/api/openapi.ts';
import { UnauthorizedError } from '../lib/errors.ts';
import { Me, meView } from '../users/api-views.ts';
import { loginThrottle, registerRateLimit } from './rate-limits.ts';
import { loginSchema, registerSchema } from './schemas.ts';
import { accountKey } from './service.ts';

export const TokenPair = z.object({
  tokenType: z.literal('Bearer'),
  accessToken: z.string().openapi({ description: 'A JWT (EdDSA) for the Authorization header; verify it with /.well-known/jwks.json' }),
  expiresIn: z.number().int().openapi({ description: 'Seconds the access token lives' }),
  refreshToken: z.string().openapi({ description: 'Spent by its first use: POST /auth/refresh returns the next one' }),
  refreshExpiresAt: z.iso.datetime(),
  user: Me,
}).openapi('TokenPair');

const Jwks = z.object({
  keys: z.array(z.object({ kty: z.string(), crv: z.string(), x: z.string(), kid: z.string(), alg: z.string(), use: z.string() })),
}).openapi('Jwks');

const RefreshBody = z.object({ refreshToken: z.string().min(1).max(200) });

export function authApi(deps: Deps, api: ApiBuilder): void {
  const { auth, tokens } = deps.services;
  const throttle = loginThrottle(deps);
  const appUrl = deps.config.appUrl;

  // One sign-up budget per address for the page and the API alike.
  api.router.post('/auth/register', registerRateLimit(deps));
  api.operation({
    method: 'post', path: '/auth/register', operationId: 'register', tags: ['Auth'], access: 'public',
    summary: 'Create an account and get tokens',
    description: 'A taken username or an email that cannot be used is a 422 naming that field (the same words as the sign-up page).',
    body: registerSchema.omit({ next: true }).extend({
      locale: z.enum(['fr', 'en']).optional().openapi({ description: 'Default: the request language' }),
      timezone: z.string().max(64).refine(isTimeZone, { error: 'users.timezoneInvalid' }).optional().openapi({ description: 'IANA zone; default: the site\'s' }),
    }),
    responses: { 201: { description: 'The account, signed in', schema: TokenPair } },
    async handler({ body, req, res }) {
      const user = await auth.register({
        ...body, locale: body.locale ?? (res.locals.locale as Locale), timezone: body.timezone ?? deps.config.defaultTimezone,
      });
      return { status: 201, body: { ...(await tokens.issuePair(user, req.get('user-agent'))), user: meView(user, appUrl) } };
    },
  });

  api.operation({
    method: 'post', path: '/auth/login', operationId: 'login', tags: ['Auth'], access: 'public',
    summary: 'Exchange credentials for tokens',
    description: 'The login limit of the pages applies (per address and per account): past it, a 429 with Retry-After.',
    body: loginSchema.omit({ next: true }),
    responses: { 200: { description: 'Signed in', schema: TokenPair } },
    errors: [401],
    async handler({ body, req }) {
      const account = await auth.findAccount(body.identifier);
      // Counted before the password is checked, so parallel guesses cannot outrun the limit.
      await throttle.consume(req, accountKey(account));
      const credentials = await auth.verifyPassword(account, body.password);
      // The shadow admin has no users row (its id is the nil UUID): a token naming it
      // would match no account, so it is refused exactly like wrong credentials.
      if (!credentials || credentials.kind !== 'user') throw new UnauthorizedError('auth.badCredentials');
      await throttle.refund(req, accountKey(account));
      const { user } = credentials;
      return { body: { ...(await tokens.issuePair(user, req.get('user-agent'))), user: meView(user, appUrl) } };
    },
  });

  api.operation({
    method: 'post', path: '/auth/refresh', operationId: 'refreshTokens', tags: ['Auth'], access: 'public',
    summary: 'Spend a refresh token for a new token pair',
    description: 'Each refresh token works once. Showing a spent one again revokes every token of its login (`refresh_token_reused`).',
    body: RefreshBody,
    responses: { 200: { description: 'The next pair', schema: TokenPair } },
    errors: [401],
    async handler({ body, req }) {
      const { user, tokens: pair } = await tokens.refreshPair(body.refreshToken, req.get('user-agent'));
      return { body: { ...pair, user: meView(user, appUrl) } };
    },
  });

  api.operation({
    method: 'post', path: '/auth/logout', operationId: 'logout', tags: ['Auth'], access: 'public',
    summary: 'Revoke a refresh token and its whole login',
    description: 'Always 204, also for a token already revoked. Access tokens already issued live out their few minutes.',
    body: RefreshBody,
    responses: { 204: { description: 'Revoked' } },
    async handler({ body }) {
      await tokens.revokeRefresh(body.refreshToken);
      return { status: 204 };
    },
  });

  api.operation({
    method: 'get', path: '/.well-known/jwks.json', operationId: 'getJwks', tags: ['Auth'], access: 'public',
    summary: 'The public keys that sign access tokens',
    responses: { 200: { description: 'A JSON Web Key Set', schema: Jwks } },
    cacheControl: 'public, max-age=3600',
    async handler() {
      return { body: await tokens.jwks() };
    },
  });
}
