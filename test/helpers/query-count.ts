// Counts the database round trips a piece of work makes on every pool of the app:
// knex's (each statement, BEGIN and COMMIT included) and the session store's own pg
// pool (connect-pg-simple calls pool.query once per store call). A round trip is what
// waits on the network, so a statement batch sent at once counts one.
import type { Deps } from '../../src/composition.ts';

export interface CountedQuery {
  pool: 'knex' | 'session';
  sql: string;
}

type Pools = Pick<Deps, 'knex' | 'pool'>;

/** The statements, one per line with their pool, for an assertion's message when a count regresses. */
export const readable = (queries: CountedQuery[], width = 160) =>
  queries.map((q) => `${q.pool}: ${q.sql.replace(/\s+/g, ' ').slice(0, width)}`).join('\n');

/** The round trips `work` made, in order, with their statements (readable when a count regresses). */
export async function captureQueries(deps: Pools, work: () => Promise<unknown>): Promise<CountedQuery[]> {
  const seen: CountedQuery[] = [];
  const onKnex = (q: { sql: string }) => seen.push({ pool: 'knex', sql: q.sql });
  deps.knex.on('query', onKnex);
  // The session store's statements are only visible at pool.query: wrapped on the instance
  // for the length of the work (the prototype's method stays untouched).
  const pool = deps.pool as unknown as { query: (...args: unknown[]) => unknown };
  const original = pool.query;
  pool.query = function (this: unknown, ...args: unknown[]) {
    const text = args[0];
    seen.push({ pool: 'session', sql: typeof text === 'string' ? text : String((text as { text?: string }).text) });
    return original.apply(this, args);
  };
  try {
    await work();
  } finally {
    deps.knex.off('query', onKnex);
    pool.query = original;
  }
  return seen;
}

export interface QueryCount<T> {
  /** Statements through knex/Objection, in order. */
  app: string[];
  /** Session store calls on the session pool. */
  sessions: number;
  total: number;
  /** What the work returned. */
  result: T;
}

/** Runs `fn` and counts the queries sent meanwhile, per pool. */
export async function countQueries<T>(deps: Pools, fn: () => Promise<T>): Promise<QueryCount<T>> {
  let result!: T;
  const seen = await captureQueries(deps, async () => {
    result = await fn();
  });
  const app = seen.filter((q) => q.pool === 'knex').map((q) => q.sql);
  return { app, sessions: seen.length - app.length, total: seen.length, result };
}
