import knexPkg, { type Knex } from 'knex';
import { knexSnakeCaseMappers } from 'objection';
import pg from 'pg';
import { prepareStatements } from './prepared-statements.ts';

// numeric stays a string so a decimal never passes through a float (money is integer cents);
// bigint counts come back as numbers because they never exceed 2^53 here.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
// A calendar date has no time zone: keep 'YYYY-MM-DD' rather than a Date at the
// server's local midnight, which would shift it a day west of Greenwich.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);

export interface KnexOptions {
  /**
   * Behind PgBouncer in transaction mode a session SET lands on whichever server
   * connection the next transaction gets, and stays there for other clients: only a
   * direct connection may carry session settings (migration 20261202130000 sets
   * random_page_cost on the database for the pooled case). The same holds for named
   * statements (db/prepared-statements.ts): only a direct connection prepares them.
   */
  pooled?: boolean;
}

export function createKnex(connectionString: string, poolMax = 10, options: KnexOptions = {}): Knex {
  return knexPkg({
    client: 'pg',
    connection: connectionString,
    pool: {
      min: 0,
      max: poolMax,
      // Our data is cached in memory or on SSD: at the default random_page_cost (4) the
      // planner hashed every user and skill to join a 100-row grid page (EXPLAIN in
      // bench/results: 2.3 ms → 0.3 ms with 1.1, the usual value for SSD storage).
      // Kept per connection as well because a test database cloned from a template
      // does not inherit the template's ALTER DATABASE settings.
      ...(options.pooled ? {} : {
        afterCreate: (conn: pg.Client, done: (err: Error | null, conn: unknown) => void) => {
          prepareStatements(conn);
          conn.query('set random_page_cost = 1.1', (err) => done(err, conn));
        },
      }),
    },
    ...knexSnakeCaseMappers(),
  });
}

export async function ensureDatabase(adminConnectionString: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminConnectionString });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`create database "${name.replace(/"/g, '')}"`);
  } finally {
    await client.end();
  }
}
