// Idempotency-Key for the API's creating requests. One statement claims a key: the
// first request inserts the row and runs; any other request with the same key (at the
// same moment or a day later) waits for that row's answer and gets it replayed, so 20
// parallel POSTs with one key make one booking. The same key with another body is a
// client bug: 422. A failed first try (an error, a refusal) frees the key for a retry.
// The claim is a lease the running request renews: if its instance dies, the lease runs
// out in seconds and the client's retry (through another instance) takes the key over.
// Waiting is shorter than the request timeout, so a waiter answers 409 with Retry-After
// rather than being cut off with a 503.
import crypto from 'node:crypto';
import type { Knex } from 'knex';
import type { Clock } from '../clock.ts';
import { AppError } from '../errors.ts';

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60_000;
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

export class IdempotencyKeyReusedError extends AppError {
  readonly status = 422;
  readonly code = 'idempotency_key_reused';
  constructor() {
    super('api.idempotency.reused');
  }
}

export class IdempotencyKeyInvalidError extends AppError {
  readonly status = 400;
  readonly code = 'idempotency_key_invalid';
  constructor() {
    super('api.idempotency.invalid');
  }
}

export class IdempotencyInProgressError extends AppError {
  readonly status = 409;
  readonly code = 'idempotency_in_progress';
  readonly retryAfterSeconds = 1;
  constructor() {
    super('api.idempotency.inProgress');
  }
}

export interface StoredAnswer { status: number; body: unknown; headers: Record<string, string> }

export type Claim =
  | { kind: 'first'; finish(answer: StoredAnswer): Promise<void>; release(): Promise<void> }
  | { kind: 'replay'; answer: StoredAnswer };

/** Same method, path and JSON body (keys in any order) → the same hash. */
export function requestHash(method: string, path: string, body: unknown): string {
  const canonical = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(canonical);
    if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])]));
    return v;
  };
  return crypto.createHash('sha256').update(`${method} ${path}\n${JSON.stringify(canonical(body ?? null))}`).digest('hex');
}

export function idempotencyStore(deps: { knex: Knex; clock: Clock; waitMs?: number; pollMs?: number; leaseMs?: number }) {
  const { knex, clock } = deps;
  const waitMs = deps.waitMs ?? 10_000; // composition.ts: two thirds of REQUEST_TIMEOUT_MS
  const pollMs = deps.pollMs ?? 50;
  const leaseSeconds = (deps.leaseMs ?? 5_000) / 1000;

  // Database time for leases: instances' clocks may disagree, and the test clock stands still.
  async function take(scope: string, key: string, hash: string, owner: string, now: Date): Promise<boolean> {
    const expired = new Date(now.getTime() - IDEMPOTENCY_TTL_MS);
    const { rows } = await knex.raw<{ rows: { key: string }[] }>(
      `insert into idempotency_keys (scope, key, request_hash, created_at, owner, lease_until)
         values (?, ?, ?, ?, ?, clock_timestamp() + make_interval(secs => ?))
       on conflict (scope, key) do update set request_hash = excluded.request_hash, status = null, response = null,
           created_at = excluded.created_at, owner = excluded.owner, lease_until = excluded.lease_until
         where idempotency_keys.created_at < ?
            or (idempotency_keys.status is null and idempotency_keys.request_hash = excluded.request_hash
                and coalesce(idempotency_keys.lease_until, '-infinity') < clock_timestamp())
       returning key`,
      [scope, key, hash, now, owner, leaseSeconds, expired],
    );
    return rows.length > 0;
  }

  function held(scope: string, key: string, owner: string): Claim {
    const mine = () => knex('idempotency_keys').where({ scope, key, owner });
    const renew = setInterval(() => {
      mine().whereNull('status').update({ leaseUntil: knex.raw('clock_timestamp() + make_interval(secs => ?)', [leaseSeconds]) })
        .catch(() => undefined); // a missed renewal only shortens the lease; the next one or the answer follows
    }, (leaseSeconds * 1000) / 3);
    renew.unref();
    return {
      kind: 'first',
      async finish(answer) {
        clearInterval(renew);
        // Taken over meanwhile (this instance stalled past its lease): the new owner's answer stands.
        await mine().update({ status: answer.status, response: JSON.stringify({ body: answer.body, headers: answer.headers }), leaseUntil: null });
      },
      async release() {
        clearInterval(renew);
        await mine().whereNull('status').del();
      },
    };
  }

  async function claim(scope: string, key: string, hash: string): Promise<Claim> {
    if (!KEY_PATTERN.test(key)) throw new IdempotencyKeyInvalidError();
    const now = clock.now();
    const owner = crypto.randomUUID();
    const deadline = Date.now() + waitMs;
    for (;;) {
      if (await take(scope, key, hash, owner, now)) return held(scope, key, owner);
      const row = await knex('idempotency_keys').where({ scope, key }).first() as { requestHash: string; status: number | null; response: { body: unknown; headers: Record<string, string> } | null } | undefined;
      if (!row) continue; // released meanwhile: try to claim it again
      if (row.requestHash !== hash) throw new IdempotencyKeyReusedError();
      if (row.status !== null && row.response) return { kind: 'replay', answer: { status: row.status, body: row.response.body, headers: row.response.headers } };
      if (Date.now() > deadline) throw new IdempotencyInProgressError();
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  /** Keys older than a day are dead weight; called from the periodic cleanup. */
  async function prune(): Promise<number> {
    return knex('idempotency_keys').where('created_at', '<', new Date(clock.now().getTime() - IDEMPOTENCY_TTL_MS)).del();
  }

  return { claim, prune };
}

export type IdempotencyStore = ReturnType<typeof idempotencyStore>;
