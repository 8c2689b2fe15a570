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
  url: string;
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
    throw new DatabaseUnreachableError(`Cannot reach the database at ${safeUrl}: ${reason}. Check DATABASE_URL, or unset it to use the embedded PostgreSQL.`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function connectDatabase(config: Config, log: (line: string) => void): Promise<DatabaseHandle> {
  if (config.databaseUrl) {
    await checkReachable(config.databaseUrl);
    return { url: config.databaseUrl };
  }
  const embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPgPort, log });
  await ensureDatabase(embedded.connectionString(), 'leboncours');
  return { url: embedded.connectionString('leboncours'), embedded };
}
