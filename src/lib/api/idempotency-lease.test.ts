// The claim on a key as a lease: a claimer that stops renewing (its instance died) loses
// the key within the lease; one that keeps renewing keeps it however long it runs; a late
// finish of a taken-over claimer cannot overwrite the new owner's answer.
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../../../test/helpers/app.ts';
import { IdempotencyInProgressError, IdempotencyKeyReusedError, idempotencyStore } from './idempotency.ts';

const t = await createTestApp();
const store = idempotencyStore({ knex: t.deps.knex, clock: t.deps.clock, leaseMs: 300, waitMs: 2_000, pollMs: 20 });
const answer = (id: string) => ({ status: 201, body: { id }, headers: {} });

/** A row as a killed instance leaves it: claimed, no answer, its lease renewed for the last time now. */
async function deadClaim(scope: string, key: string, hash: string): Promise<void> {
  await t.deps.knex('idempotency_keys').insert({
    scope, key, requestHash: hash, createdAt: t.deps.clock.now(), owner: crypto.randomUUID(),
    leaseUntil: t.deps.knex.raw("clock_timestamp() + interval '300 milliseconds'"),
  });
}

describe('an idempotency claim is a lease', () => {
  it('a retry takes over the key of a claimer that died, within the lease, and its answer is the one replayed', async () => {
    await deadClaim('lease:dead', 'k1', 'h1');
    const started = Date.now();
    const claim = await store.claim('lease:dead', 'k1', 'h1');
    const waited = Date.now() - started;
    expect(claim.kind).toBe('first');
    expect(waited).toBeGreaterThanOrEqual(200);
    expect(waited).toBeLessThan(1_500);
    if (claim.kind !== 'first') return;
    await claim.finish(answer('b-1'));
    const replay = await store.claim('lease:dead', 'k1', 'h1');
    expect(replay).toEqual({ kind: 'replay', answer: answer('b-1') });
  });

  it('another body on a dead claimer\'s key is still refused, not taken over', async () => {
    await deadClaim('lease:other', 'k1', 'h1');
    await new Promise((r) => setTimeout(r, 400));
    await expect(store.claim('lease:other', 'k1', 'h2')).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
  });

  it('a live claimer keeps the key past its lease: the waiter gives up with 409 and a Retry-After, then gets the answer', async () => {
    const first = await store.claim('lease:live', 'k1', 'h1');
    expect(first.kind).toBe('first');
    if (first.kind !== 'first') return;
    const waiter = idempotencyStore({ knex: t.deps.knex, clock: t.deps.clock, leaseMs: 300, waitMs: 1_200, pollMs: 20 });
    const refused = await waiter.claim('lease:live', 'k1', 'h1').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(IdempotencyInProgressError);
    expect((refused as IdempotencyInProgressError).status).toBe(409);
    expect((refused as IdempotencyInProgressError).retryAfterSeconds).toBe(1);
    await first.finish(answer('live-1'));
    expect(await waiter.claim('lease:live', 'k1', 'h1')).toEqual({ kind: 'replay', answer: answer('live-1') });
  });

  it('a claimer taken over after stalling finishes without touching the new owner\'s row', async () => {
    // A long lease, so no renewal of its own comes during the test.
    const slow = idempotencyStore({ knex: t.deps.knex, clock: t.deps.clock, leaseMs: 60_000 });
    const stalled = await slow.claim('lease:stall', 'k1', 'h1');
    if (stalled.kind !== 'first') throw new Error('expected the first claim');
    // Then its event loop stalled past the lease: no renewal came in time.
    await t.deps.knex('idempotency_keys').where({ scope: 'lease:stall' }).update({ leaseUntil: new Date(0) });
    const taker = await store.claim('lease:stall', 'k1', 'h1');
    if (taker.kind !== 'first') throw new Error('expected a takeover');
    await taker.finish(answer('new-owner'));
    await stalled.finish(answer('late'));
    await stalled.release();
    expect(await store.claim('lease:stall', 'k1', 'h1')).toEqual({ kind: 'replay', answer: answer('new-owner') });
  });

  it('a released key (the first try failed) is free at once for the retry', async () => {
    const first = await store.claim('lease:release', 'k1', 'h1');
    if (first.kind !== 'first') throw new Error('expected the first claim');
    await first.release();
    const started = Date.now();
    expect((await store.claim('lease:release', 'k1', 'h1')).kind).toBe('first');
    expect(Date.now() - started).toBeLessThan(200);
  });
});
