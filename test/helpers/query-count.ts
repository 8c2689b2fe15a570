// Counts the database round trips a piece of work makes on every pool of the app:
// knex's (each statement, BEGIN and COMMIT included) and the session store's pg pool.
// A round trip is what waits on the network, so a statement batch sent at once counts one.
import type { Deps } from '../../src/composition.ts';

export interface CountedQuery {
  pool: 'knex' | 'session';
  sql: string;
}

/** The round trips `work` made, and their statements (readable when a count regresses). */
export async function captureQueries(deps: Pick<Deps, 'knex' | 'pool'>, work: () => Promise<unknown>): Promise<CountedQuery[]> {
  const seen: CountedQuery[] = [];
  const onKnex = (q: { sql: string }) => seen.push({ pool: 'knex', sql: q.sql });
  deps.knex.on('query', onKnex);
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

export async function countQueries(deps: Pick<Deps, 'knex' | 'pool'>, work: () => Promise<unknown>): Promise<number> {
  return (await captureQueries(deps, work)).length;
}
