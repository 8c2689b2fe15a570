// Resolves the database the app uses: DATABASE_URL when set, otherwise an embedded
// PostgreSQL in DATA_DIR/pg with a `leboncours` database.
import pg from 'pg';
import type { Config } from '../config.ts';
import { startEmbeddedPostgres, type EmbeddedCluster } from './embedded-postgres.ts';
import { ensureDatabase } from './knex.ts';

export class DatabaseUnreachableError extends Error {
  override name = 'DatabaseUnreachableError';
}

export interface DatabaseHandle {
  /** The primary as requests use it (through PgBouncer, when there is one). */
  url: string;
  /** The primary without a pooler between: LISTEN, graphile-worker, migrations. */
  directUrl: string;
  /** A streaming replica for catalogue reads; not checked here, a replica down only means reads stay on the primary. */
  readUrl?: string | undefined;
  embedded?: EmbeddedCluster;
}

async function checkReachable(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('select 1');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const safeUrl = url.replace(/\/\/[^@]*@/, '//***@');
    throw new DatabaseUnreachableError(`Cannot reach the database at ${safeUrl}: ${reason}. Check DATABASE_URL (and DATABASE_DIRECT_URL), or unset it to use the embedded PostgreSQL.`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function connectDatabase(config: Config, log: (line: string) => void): Promise<DatabaseHandle> {
  if (config.databaseUrl) {
    const directUrl = config.databaseDirectUrl ?? config.databaseUrl;
    await checkReachable(config.databaseUrl);
    if (directUrl !== config.databaseUrl) await checkReachable(directUrl);
    return { url: config.databaseUrl, directUrl, readUrl: config.databaseReadUrl };
  }
  const embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPgPort, log });
  await ensureDatabase(embedded.connectionString(), 'leboncours');
  const url = embedded.connectionString('leboncours');
  return { url, directUrl: url, embedded };
}
