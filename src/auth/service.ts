// Accounts: registration, credential checks (users and the shadow admin), password
// reset. Dependencies come in as arguments (habit 8).
import crypto from 'node:crypto';
import type { Knex } from 'knex';
import type { Config } from '../config.ts';
import type { Clock } from '../lib/clock.ts';
import type { Jobs } from '../lib/jobs.ts';
import { FieldRuleError, PG, pgCode, pgConstraint } from '../lib/errors.ts';
import type { Logger } from '../lib/logger.ts';
import type { Mailer } from '../lib/mailer.ts';
import type { Passwords } from '../lib/passwords.ts';
import { User } from '../users/model.ts';
import type { RegisterInput } from './schemas.ts';

export const RESET_TTL_MS = 60 * 60 * 1000;
export const PASSWORD_RESET_TASK = 'password-reset-mail';

export type Credentials = { kind: 'user'; user: User } | { kind: 'admin' };
export type Account = Credentials | { kind: 'unknown'; identifier: string };

/** The login-throttling key of an account: its id, never what was typed. */
export function accountKey(account: Account): string {
  if (account.kind === 'admin') return 'admin';
  return account.kind === 'user' ? `user:${account.user.id}` : `unknown:${account.identifier}`;
}

/** The email or the username belongs to someone already (shown beside that field). */
export class DuplicateAccountError extends FieldRuleError {
  readonly code = 'duplicate_account';
  constructor(field: 'email' | 'username') {
    super(field, field === 'email' ? 'auth.emailUnavailable' : 'auth.usernameTaken');
  }
}

const sha256 = (value: string) => crypto.createHash('sha256').update(value).digest('hex');

export interface AuthServiceDeps {
  knex: Knex;
  passwords: Passwords;
  clock: Clock;
  mailer: Mailer;
  jobs: Jobs;
  logger: Logger;
  config: Pick<Config, 'admin' | 'appUrl'>;
}

export function authService(deps: AuthServiceDeps) {
  const { knex, passwords, clock, mailer, jobs, logger, config } = deps;
  // Verifying against a real hash when the account does not exist keeps the answer
  // time the same, so timing does not reveal which emails have accounts.
  const dummyHash = passwords.hash(crypto.randomBytes(16).toString('hex'));

  async function register(input: RegisterInput & { locale: 'fr' | 'en'; timezone: string }): Promise<User> {
    const passwordHash = await passwords.hash(input.password);
    let user: User;
    try {
      user = await User.query(knex).insertAndFetch({
        role: input.role, displayName: input.displayName, email: input.email, username: input.username,
        passwordHash, locale: input.locale, timezone: input.timezone,
      });
    } catch (error) {
      if (pgCode(error) === PG.uniqueViolation) throw new DuplicateAccountError(pgConstraint(error)?.includes('email') ? 'email' : 'username');
      throw error;
    }
    // Mail goes out after the row is committed; a mail failure never undoes an account.
    mailer.send('welcome', { email: user.email, locale: user.locale, name: user.displayName }, { name: user.displayName, role: user.role })
      .catch((err: unknown) => logger.error({ err }, 'welcome mail failed'));
    return user;
  }

  /**
   * Who an identifier names, before any password is checked: the login limit counts
   * attempts against the account itself, so `name` and `name@example.com` share one
   * counter, and an unknown identifier gets a counter of its own (limited alike).
   */
  async function findAccount(identifier: string): Promise<Account> {
    const id = identifier.trim().toLowerCase().slice(0, 254);
    if (config.admin && id === config.admin.email) return { kind: 'admin' };
    const user = await User.query(knex).where((q) => q.where('email', id).orWhere('username', id)).first();
    return user ? { kind: 'user', user } : { kind: 'unknown', identifier: id };
  }

  async function verifyPassword(account: Account, password: string): Promise<Credentials | undefined> {
    if (account.kind === 'admin') {
      return config.admin && (await passwords.verify(config.admin.passwordHash, password)) ? { kind: 'admin' } : undefined;
    }
    if (account.kind === 'unknown' || account.user.disabledAt) {
      await passwords.verify(await dummyHash, password);
      return undefined;
    }
    const { user } = account;
    if (!(await passwords.verify(user.passwordHash, password))) return undefined;
    await User.query(knex).findById(user.id).patch({ lastLoginAt: clock.now() } as Partial<User>);
    return { kind: 'user', user };
  }

  /**
   * Always succeeds from the caller's view, in the same time whether or not the email
   * has an account: the request only queues a job, the same one in both cases. The
   * lookup, the token and the mail (a slow SMTP round trip) happen in the worker.
   */
  async function requestPasswordReset(email: string): Promise<void> {
    await jobs.add(knex, PASSWORD_RESET_TASK, { email }, { maxAttempts: 5 });
  }

  /** The job: a link for an active account, nothing for an unknown email. A failed mail retries with a fresh link. */
  async function sendPasswordReset(email: string): Promise<void> {
    const user = await User.query(knex).where('email', email).whereNull('disabledAt').first();
    if (!user) return;
    const token = crypto.randomBytes(32).toString('base64url');
    await knex.transaction(async (trx) => {
      // Only the newest link works: older unused ones are withdrawn.
      await trx('password_resets').where({ userId: user.id }).whereNull('usedAt').del();
      await trx('password_resets').insert({ userId: user.id, tokenHash: sha256(token), expiresAt: new Date(clock.now().getTime() + RESET_TTL_MS) });
    });
    await mailer.send('password-reset', { email: user.email, locale: user.locale, name: user.displayName }, { name: user.displayName, url: `${config.appUrl}/password-resets/${token}` });
  }

  async function findValidReset(token: string, trx: Knex = knex, lock = false): Promise<{ id: string; userId: string } | undefined> {
    const query = trx('password_resets').where({ tokenHash: sha256(token) }).whereNull('usedAt').where('expiresAt', '>', clock.now());
    if (lock) query.forUpdate();
    return query.first('id', 'userId');
  }

  async function isResetTokenValid(token: string): Promise<boolean> {
    return Boolean(await findValidReset(token));
  }

  /** Sets the new password, burns the token and ends every session of the user. */
  async function resetPassword(token: string, newPassword: string): Promise<User | undefined> {
    const passwordHash = await passwords.hash(newPassword);
    return knex.transaction(async (trx) => {
      const reset = await findValidReset(token, trx, true);
      if (!reset) return undefined;
      await trx('password_resets').where({ id: reset.id }).update({ usedAt: clock.now() });
      const user = await User.query(trx).patchAndFetchById(reset.userId, { passwordHash } as Partial<User>);
      await trx('sessions').whereRaw(`sess->>'userId' = ?`, [reset.userId]).del();
      return user;
    });
  }

  return { register, findAccount, verifyPassword, requestPasswordReset, sendPasswordReset, isResetTokenValid, resetPassword };
}

export type AuthService = ReturnType<typeof authService>;
