// express-rate-limit store over one PostgreSQL table, so every app instance shares
// the counters. Chosen over @acpr/rate-limit-postgresql, which runs un-awaited
// migrations in its constructor and pins an old pg: one atomic upsert is all we need.
import type { Knex } from 'knex';
import type { ClientRateLimitInfo, Options, Store } from 'express-rate-limit';
import type { Clock } from './clock.ts';

export class PostgresRateLimitStore implements Store {
  windowMs = 60_000;
  prefix: string;
  localKeys = false;

  constructor(
    private readonly knex: Knex,
    private readonly clock: Clock,
    prefix: string,
  ) {
    this.prefix = prefix;
  }

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  private key(key: string): string {
    return `${this.prefix}:${key}`;
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const row = await this.knex('rate_limits').where({ key: this.key(key) }).where('reset_at', '>', this.clock.now()).first();
    return row ? { totalHits: row.hits, resetTime: new Date(row.resetAt) } : undefined;
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    const now = this.clock.now();
    const resetAt = new Date(now.getTime() + this.windowMs);
    // One statement: a fresh window starts when the old one has passed.
    const { rows } = await this.knex.raw<{ rows: { hits: number; reset_at: Date }[] }>(
      `insert into rate_limits (key, hits, reset_at) values (?, 1, ?)
       on conflict (key) do update set
         hits = case when rate_limits.reset_at <= ? then 1 else rate_limits.hits + 1 end,
         reset_at = case when rate_limits.reset_at <= ? then excluded.reset_at else rate_limits.reset_at end
       returning hits, reset_at`,
      [this.key(key), resetAt, now, now],
    );
    const row = rows[0]!;
    return { totalHits: row.hits, resetTime: new Date(row.reset_at) };
  }

  async decrement(key: string): Promise<void> {
    await this.knex('rate_limits').where({ key: this.key(key) }).where('hits', '>', 0).decrement('hits', 1);
  }

  async resetKey(key: string): Promise<void> {
    await this.knex('rate_limits').where({ key: this.key(key) }).del();
  }

  /** Expired windows are dead weight; called from the periodic cleanup. */
  async prune(): Promise<number> {
    return this.knex('rate_limits').where('reset_at', '<=', this.clock.now()).del();
  }
}
