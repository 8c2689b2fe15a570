// Which database a catalogue read may use. A streaming replica (DATABASE_READ_URL)
// takes the anonymous catalogue pages; a background probe measures its lag once a
// second, so a request never waits for that check and /readyz reads it for free.
// A replica that is unreachable or further behind than READ_REPLICA_MAX_LAG_SECONDS
// is skipped: reads go back to the primary, the instance stays in the load balancer.
import type { Knex } from 'knex';
import type { Logger } from '../lib/logger.ts';
import { createKnex } from './knex.ts';

export interface ReplicaStatus {
  /** The last probe reached the replica. */
  ok: boolean;
  /** Seconds of commits on the primary the replica has not replayed yet; null when unknown. */
  lagSeconds: number | null;
  /** Reads go to it now (reachable and within the lag bound). */
  serving: boolean;
}

export interface ReadRouting {
  /** The replica's knex, or undefined when none is configured. */
  replica: Knex | undefined;
  /** undefined: no replica configured. */
  status(): ReplicaStatus | undefined;
  /** True when a read that tolerates staleness may use the replica right now. */
  replicaServing(): boolean;
  /** Resolves after the first probe (tests, start-up logs). */
  ready: Promise<void>;
  close(): Promise<void>;
}

// Caught up (everything received is replayed) means no lag, however long ago the primary
// last committed: pg_last_xact_replay_timestamp() alone would call an idle primary "lag".
// Not a standby at all (pg_is_in_recovery() false): a plain copy, nothing to replay.
const LAG_SQL = `select case
    when not pg_is_in_recovery() then 0
    when pg_last_wal_receive_lsn() is not null and pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() then 0
    else extract(epoch from now() - pg_last_xact_replay_timestamp())
  end as lag`;

export function createReadRouting(options: { replicaUrl: string | undefined; maxLagSeconds: number; poolMax: number; logger: Logger; probeMs?: number }): ReadRouting {
  if (!options.replicaUrl) {
    return { replica: undefined, status: () => undefined, replicaServing: () => false, ready: Promise.resolve(), close: async () => undefined };
  }
  // A direct connection to the replica (no PgBouncer there): session settings are safe.
  const replica = createKnex(options.replicaUrl, options.poolMax);
  const probeMs = options.probeMs ?? 1000;
  let state: ReplicaStatus = { ok: false, lagSeconds: null, serving: false };
  let closed = false;

  const probe = async () => {
    let next: ReplicaStatus;
    try {
      const { rows } = await replica.raw<{ rows: { lag: string | number | null }[] }>(LAG_SQL).timeout(Math.max(200, probeMs), { cancel: false });
      const raw = rows[0]?.lag;
      const lag = raw === null || raw === undefined ? null : Math.max(0, Number(raw));
      next = { ok: true, lagSeconds: lag, serving: lag !== null && lag <= options.maxLagSeconds };
    } catch {
      next = { ok: false, lagSeconds: null, serving: false };
    }
    if (next.serving !== state.serving && !closed) {
      options.logger.warn({ replica: next }, next.serving ? 'read replica serves catalogue reads again' : 'read replica skipped: catalogue reads go to the primary');
    }
    state = next;
  };

  const ready = probe();
  const timer = setInterval(() => void probe(), probeMs);
  timer.unref();
  return {
    replica,
    status: () => state,
    replicaServing: () => state.serving,
    ready,
    async close() {
      closed = true;
      clearInterval(timer);
      await replica.destroy();
    },
  };
}
