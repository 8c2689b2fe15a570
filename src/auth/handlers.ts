import type { Request, RequestHandler, Response } from 'express';
import type { Deps } from '../composition.ts';
import { isTimeZone } from '../i18n/format.ts';
import type { Locale } from '../i18n/index.ts';
import { CredentialsError, TooManyRequestsError } from '../lib/errors.ts';
import { wantsJson } from '../lib/htmx.ts';
import { render } from '../lib/render.ts';
import { destroySession, regenerate, saveSession, sessionCookieName } from '../lib/session.ts';
import { parseForm } from '../lib/validation.ts';
import { safeNextPath } from '../lib/next-path.ts';
import { LoginLimitError } from './errors.ts';
import { loginThrottle } from './rate-limits.ts';
import { forgotSchema, loginSchema, registerSchema, resetSchema } from './schemas.ts';
import { accountKey } from './service.ts';
import { setFlash } from '../lib/flash.ts';

const REGISTER = { view: 'auth/register' };
const LOGIN = { view: 'auth/login' };

export function authHandlers(deps: Deps) {
  const { auth } = deps.services;
  const throttle = loginThrottle(deps);

  /** A fresh session id at every sign-in defeats session fixation. */
  async function signIn(req: Request, credentials: { userId?: string; admin?: boolean }) {
    await regenerate(req);
    const now = deps.clock.now().getTime();
    Object.assign(req.session, credentials, { createdAt: now, lastSeenAt: now });
    await saveSession(req);
  }

  const registerForm: RequestHandler = (req, res) => {
    if (req.user) return res.redirect(303, '/profile');
    const role = req.query.role === 'mentor' ? 'mentor' : 'student';
    render(req, res, 'auth/register', { values: { role, next: safeNextPath(req.query.next) } });
  };

  const register: RequestHandler = async (req, res) => {
    const input = parseForm(req, res, registerSchema, REGISTER);
    const tz = req.cookies?.tz as unknown;
    const user = await auth.register({
      ...input,
      locale: res.locals.locale as Locale,
      timezone: isTimeZone(tz) ? tz : deps.config.defaultTimezone,
    });
    await signIn(req, { userId: user.id });
    setFlash(req, { kind: 'success', key: 'auth.welcomeFlash' });
    // Back where the visitor was going (a slot picked before having an account), by the login's rule.
    res.redirect(303, safeNextPath(input.next) ?? '/profile');
  };

  const loginForm: RequestHandler = (req, res) => {
    const next = safeNextPath(req.query.next);
    if (req.user) return res.redirect(303, next ?? '/');
    render(req, res, 'auth/login', { values: { next } });
  };

  /** Past the limit, a person gets the form back with the wait; a JSON caller the typed 429. */
  async function consumeAttempt(req: Request, res: Response, account: string, values: Record<string, unknown>) {
    try {
      await throttle.consume(req, account);
    } catch (error) {
      if (!(error instanceof TooManyRequestsError) || wantsJson(req)) throw error;
      const seconds = error.retryAfterSeconds;
      const wait = seconds <= 60
        ? res.locals.t('auth.limit.waitSeconds', { count: seconds })
        : res.locals.t('auth.limit.waitMinutes', { count: Math.ceil(seconds / 60) });
      res.set('Retry-After', String(seconds));
      throw new LoginLimitError({ _form: wait }, { ...LOGIN, locals: {}, values });
    }
  }

  const login: RequestHandler = async (req, res) => {
    const input = parseForm(req, res, loginSchema, LOGIN);
    const account = await auth.findAccount(input.identifier);
    const values = { identifier: input.identifier, next: safeNextPath(input.next) };
    // Counted before the password is checked, so parallel guesses cannot outrun the limit.
    await consumeAttempt(req, res, accountKey(account), values);
    const credentials = await auth.verifyPassword(account, input.password);
    if (!credentials) {
      // One message whatever was wrong (unknown account or wrong password).
      throw new CredentialsError({ _form: res.locals.t('auth.badCredentials') }, { ...LOGIN, locals: {}, values });
    }
    await throttle.refund(req, accountKey(account));
    await signIn(req, credentials.kind === 'admin' ? { admin: true } : { userId: credentials.user.id });
    if (credentials.kind === 'user') res.cookie('lang', credentials.user.locale, { maxAge: 365 * 24 * 3600 * 1000, sameSite: 'lax', httpOnly: true });
    res.redirect(303, safeNextPath(input.next) ?? (credentials.kind === 'admin' ? '/admin' : '/'));
  };

  const logout: RequestHandler = async (req, res) => {
    if (req.session) await destroySession(req);
    res.clearCookie(sessionCookieName(deps.config), { path: '/' });
    res.redirect(303, '/');
  };

  const forgotForm: RequestHandler = (req, res) => {
    render(req, res, 'auth/forgot', { values: {} });
  };

  const requestReset: RequestHandler = async (req, res) => {
    const input = parseForm(req, res, forgotSchema, { view: 'auth/forgot' });
    await auth.requestPasswordReset(input.email);
    render(req, res, 'auth/forgot-sent', { title: res.locals.t('auth.forgotTitle'), email: input.email });
  };

  const tokenOf = (req: Request) => String(req.params.token ?? '').slice(0, 100);

  const invalidReset = (req: Request, res: Response) =>
    render(req, res, 'auth/reset-invalid', { title: res.locals.t('auth.resetTitle') }, { status: 410 });

  const resetForm: RequestHandler = async (req, res) => {
    const token = tokenOf(req);
    if (!(await auth.isResetTokenValid(token))) return invalidReset(req, res);
    render(req, res, 'auth/reset', { token, values: {} });
  };

  const reset: RequestHandler = async (req, res) => {
    const token = tokenOf(req);
    const input = parseForm(req, res, resetSchema, { view: 'auth/reset', locals: { token } });
    const user = await auth.resetPassword(token, input.password);
    if (!user) return invalidReset(req, res);
    // Every session of this user is gone, this browser's included: sign in afresh.
    await signIn(req, { userId: user.id });
    setFlash(req, { kind: 'success', key: 'auth.resetDone' });
    res.redirect(303, '/profile');
  };

  return { registerForm, register, loginForm, login, logout, forgotForm, requestReset, resetForm, reset };
}
