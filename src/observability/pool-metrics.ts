// Connection pools, read when Prometheus scrapes (a gauge costs nothing between scrapes),
// and the time queries wait for a connection, from tarn's acquire events: the first sign
// that the pool, not the database, is what requests wait for.
import type { Knex } from 'knex';
import type pg from 'pg';
import { Gauge, Histogram, type Registry } from 'prom-client';

interface TarnPool {
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
  on(event: 'acquireRequest', fn: (id: number) => void): void;
  on(event: 'acquireSuccess' | 'acquireFail', fn: (id: number) => void): void;
}

const poolOf = (knex: Knex) => (knex.client as { pool?: TarnPool }).pool;

/** `main` is knex's pool (every query), `sessions` the session store's pg.Pool. */
export function registerPoolMetrics(registry: Registry, knex: Knex, sessions: pg.Pool): void {
  const registers = [registry];
  const read = (gauge: Gauge<'pool'>, main: (p: TarnPool) => number, session: (p: pg.Pool) => number) => {
    const pool = poolOf(knex);
    if (pool) gauge.set({ pool: 'main' }, main(pool));
    gauge.set({ pool: 'sessions' }, session(sessions));
  };
  new Gauge({
    name: 'db_pool_connections_used', help: 'Connections lent out to a query or transaction now.', labelNames: ['pool'], registers,
    collect() { read(this, (p) => p.numUsed(), (p) => p.totalCount - p.idleCount); },
  });
  new Gauge({
    name: 'db_pool_connections_free', help: 'Open connections waiting idle in the pool.', labelNames: ['pool'], registers,
    collect() { read(this, (p) => p.numFree(), (p) => p.idleCount); },
  });
  new Gauge({
    name: 'db_pool_pending_acquires', help: 'Queries waiting for a connection now.', labelNames: ['pool'], registers,
    collect() { read(this, (p) => p.numPendingAcquires(), (p) => p.waitingCount); },
  });

  const wait = new Histogram({
    name: 'db_pool_acquire_wait_seconds', help: 'Time a query of the main pool waited for a connection.', registers,
    buckets: [0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  });
  const pool = poolOf(knex);
  if (!pool) return;
  const asked = new Map<number, number>();
  pool.on('acquireRequest', (id) => asked.set(id, performance.now()));
  pool.on('acquireSuccess', (id) => {
    const at = asked.get(id);
    if (at === undefined) return;
    asked.delete(id);
    wait.observe((performance.now() - at) / 1000);
  });
  // A timed-out acquire never succeeds: forget it so the map cannot grow.
  pool.on('acquireFail', (id) => asked.delete(id));
}
