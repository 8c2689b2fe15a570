// Refresh tokens of the API: 32 random bytes handed out once, kept only as a SHA-256.
// Rotation: a refresh marks the presented token used and issues the next one of its
// family, under a row lock, so two parallel refreshes with one token give one success.
// A used or revoked token shown again means a copy is in someone else's hands: the
// whole family is revoked, the newest token (maybe the thief's, maybe the owner's) too.
import crypto from 'node:crypto';
import type { Knex } from 'knex';
import type { Clock } from '../lib/clock.ts';
import { AppError } from '../lib/errors.ts';
import { User } from '../users/model.ts';

export type RefreshRefusal = 'reused' | 'expired' | 'invalid';

export class RefreshTokenError extends AppError {
  readonly status = 401;
  readonly code: string;
  constructor(readonly reason: RefreshRefusal) {
    super(`api.auth.refresh.${reason}`);
    this.code = `refresh_token_${reason}`;
  }
}

interface RefreshRow { id: string; userId: string; familyId: string; expiresAt: Date; usedAt: Date | null; revokedAt: Date | null }

const sha256 = (value: string) => crypto.createHash('sha256').update(value).digest('hex');
const DAY_MS = 24 * 60 * 60_000;

export function refreshTokens(deps: { knex: Knex; clock: Clock; days: number }) {
  const { knex, clock, days } = deps;

  async function insert(trx: Knex, userId: string, familyId: string, userAgent: string | undefined) {
    const token = crypto.randomBytes(32).toString('base64url');
    const expiresAt = new Date(clock.now().getTime() + days * DAY_MS);
    await trx('refresh_tokens').insert({ userId, familyId, tokenHash: sha256(token), expiresAt, createdAt: clock.now(), userAgent: userAgent?.slice(0, 300) ?? null });
    return { refreshToken: token, refreshExpiresAt: expiresAt };
  }

  /** A new family: one login. */
  async function start(userId: string, userAgent?: string) {
    return insert(knex, userId, crypto.randomUUID(), userAgent);
  }

  const revokeFamily = (trx: Knex, familyId: string) =>
    trx('refresh_tokens').where({ familyId }).whereNull('revokedAt').update({ revokedAt: clock.now() });

  /** The next token of the family, and the active account it belongs to; throws RefreshTokenError. */
  async function rotate(token: string, userAgent?: string): Promise<{ user: User; refreshToken: string; refreshExpiresAt: Date }> {
    // A refusal that revokes must commit its revocation: the transaction returns it, then it is thrown.
    type Outcome = { refused: RefreshRefusal } | { user: User; refreshToken: string; refreshExpiresAt: Date };
    const outcome = await knex.transaction(async (trx): Promise<Outcome> => {
      const row = await trx('refresh_tokens').where({ tokenHash: sha256(token) }).forUpdate().first() as RefreshRow | undefined;
      if (!row) return { refused: 'invalid' };
      if (row.usedAt || row.revokedAt) {
        await revokeFamily(trx, row.familyId);
        return { refused: 'reused' };
      }
      if (row.expiresAt.getTime() <= clock.now().getTime()) return { refused: 'expired' };
      const user = await User.query(trx).findById(row.userId).modify('active');
      if (!user) {
        await revokeFamily(trx, row.familyId);
        return { refused: 'invalid' };
      }
      await trx('refresh_tokens').where({ id: row.id }).update({ usedAt: clock.now() });
      return { user, ...(await insert(trx, row.userId, row.familyId, userAgent)) };
    });
    if ('refused' in outcome) throw new RefreshTokenError(outcome.refused);
    return outcome;
  }

  /** Logout: the token's whole family stops working. Unknown tokens are ignored (a second logout is no error). */
  async function revoke(token: string): Promise<void> {
    const row = await knex('refresh_tokens').where({ tokenHash: sha256(token) }).first('familyId') as { familyId: string } | undefined;
    if (row) await revokeFamily(knex, row.familyId);
  }

  /** Tokens past their expiry are worth nothing, used or not; for a periodic cleanup. */
  async function prune(): Promise<number> {
    return knex('refresh_tokens').where('expiresAt', '<', clock.now()).del();
  }

  return { start, rotate, revoke, prune };
}

export type RefreshTokens = ReturnType<typeof refreshTokens>;
