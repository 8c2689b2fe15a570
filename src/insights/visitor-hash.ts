// Daily unique visitors without knowing who they are: a visitor is the HMAC of their
// address and user agent under the salt of the current UTC day. The same browser on one
// day gives one value; the next day's salt gives an unrelated one, and once a salt is
// deleted (insights-prune-salts) nothing can link a stored value back to an address.
import { createHmac, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { Clock } from '../lib/clock.ts';

/** The stored width of a visitor (insight_events.visitor): 128 bits never collide at our scale. */
export const VISITOR_BYTES = 16;
const SALT_BYTES = 32;
/** Today's and yesterday's salts stay: an event near midnight, and the rollup of yesterday, need them. */
const KEPT_DAYS = 2;

/** 'YYYY-MM-DD' of the UTC day: salts are per UTC day, whatever the viewer's zone. */
export const utcDay = (at: Date): string => at.toISOString().slice(0, 10);

export function visitorHash(salt: Buffer, address: string, userAgent: string): Buffer {
  return createHmac('sha256', salt).update(`${address}\n${userAgent}`).digest().subarray(0, VISITOR_BYTES);
}

export interface VisitorSalts {
  /** The day's salt: the cached Buffer itself when known (no await on the hot path), else its first lookup. */
  saltFor(day: string): Buffer | Promise<Buffer>;
  /** Deletes the salts of the days before yesterday; returns how many. */
  prune(): Promise<number>;
}

export function visitorSalts(deps: { knex: Knex; clock: Clock }): VisitorSalts {
  const known = new Map<string, Buffer>();
  const loading = new Map<string, Promise<Buffer>>();

  // Insert-or-read in one statement, so every instance of the app ends up with the salt
  // that won, and the first request of the day costs one round trip. The CTE's select
  // does not see the row its own insert wrote, hence the union of both.
  async function attempt(day: string): Promise<Buffer | undefined> {
    const { rows } = await deps.knex.raw<{ rows: { salt: Buffer }[] }>(
      `with created as (insert into insight_salts (day, salt) values (?::date, ?) on conflict (day) do nothing returning salt)
       select salt from created union all select salt from insight_salts where day = ?::date limit 1`,
      [day, randomBytes(SALT_BYTES), day],
    );
    return rows[0]?.salt;
  }

  async function load(day: string): Promise<Buffer> {
    // Another instance inserting the same day at the same moment: our insert waits for it and
    // does nothing, but the statement's snapshot predates its commit. The next statement sees it.
    const salt = (await attempt(day)) ?? (await attempt(day));
    if (!salt) throw new Error(`no insight salt for ${day}`);
    return salt;
  }

  return {
    saltFor(day) {
      const salt = known.get(day);
      if (salt) return salt;
      let pending = loading.get(day);
      if (!pending) {
        pending = load(day).then(
          (loaded) => {
            known.set(day, loaded);
            // Only the newest days are ever asked for: forget the rest.
            for (const old of known.keys()) if (known.size > KEPT_DAYS) known.delete(old);
            return loaded;
          },
        ).finally(() => loading.delete(day));
        loading.set(day, pending);
      }
      return pending;
    },
    async prune() {
      const today = new Date(`${utcDay(deps.clock.now())}T00:00:00Z`);
      const oldestKept = utcDay(new Date(today.getTime() - (KEPT_DAYS - 1) * 86_400_000));
      const deleted = await deps.knex('insight_salts').where('day', '<', oldestKept).del();
      for (const day of known.keys()) if (day < oldestKept) known.delete(day);
      return deleted;
    },
  };
}
