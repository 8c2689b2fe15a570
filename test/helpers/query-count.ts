// Counts the database round trips a piece of work makes, on every pool the app
// holds: knex's (pages, services) and the session store's own pg pool. Listeners
// only, nothing is wrapped: knex emits `query` per statement sent, and the session
// pool emits `acquire` once per query (connect-pg-simple checks a client out per call).
import type { Knex } from 'knex';
import type pg from 'pg';

export interface QueryCount {
  /** Statements through knex/Objection, in order (BEGIN/COMMIT included when knex sends them). */
  app: string[];
  /** Session store calls (connect-pg-simple) on the separate session pool. */
  sessions: number;
  total: number;
}

interface Pools {
  knex: Knex;
  pool: pg.Pool;
}

/** Runs `fn` and counts the queries sent meanwhile; the work's own result comes back with the count. */
export async function countQueries<T>(deps: Pools, fn: () => Promise<T>): Promise<QueryCount & { result: T }> {
  const app: string[] = [];
  let sessions = 0;
  const onQuery = (q: { sql: string }) => { app.push(q.sql); };
  const onAcquire = () => { sessions += 1; };
  deps.knex.on('query', onQuery);
  deps.pool.on('acquire', onAcquire);
  try {
    const result = await fn();
    return { app, sessions, total: app.length + sessions, result };
  } finally {
    deps.knex.removeListener('query', onQuery);
    deps.pool.removeListener('acquire', onAcquire);
  }
}
