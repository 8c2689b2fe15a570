// One PostgreSQL cluster for the whole run and a migrated template database; every
// test file clones the template into a database of its own (test/helpers/db.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { createKnex } from '../src/db/knex.ts';
import { startEmbeddedPostgres, type EmbeddedCluster } from '../src/db/embedded-postgres.ts';
import { migrateLatest } from '../src/db/migrate.ts';

// Under the system temp folder: as root, PostgreSQL runs as its own user, which
// cannot enter a checkout that lives in a private home folder.
const DATA_DIR = path.join(os.tmpdir(), 'leboncours-test');
const PORT = Number(process.env.TEST_PG_PORT ?? 5544);
export const TEMPLATE = 'app_template';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
  }
}

let cluster: EmbeddedCluster | undefined;

/** A test cluster orphaned by a killed run is ours to stop: nothing else uses it. */
function stopOrphan() {
  const pidFile = path.join(DATA_DIR, 'pg', 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  try {
    process.kill(pid, 'SIGINT');
  } catch {
    return;
  }
  for (let i = 0; i < 50; i++) {
    try {
      process.kill(pid, 0);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    } catch {
      return;
    }
  }
}

export default async function setup(project: TestProject) {
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    stopOrphan();
    cluster = await startEmbeddedPostgres({ dataDir: DATA_DIR, port: PORT, fast: true });
    adminUrl = cluster.connectionString('postgres');
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const leftovers = await admin.query(`select datname from pg_database where datname = $1 or datname like 't\\_%'`, [TEMPLATE]);
  for (const row of leftovers.rows as { datname: string }[]) await admin.query(`drop database if exists "${row.datname}" with (force)`);
  await admin.query(`create database ${TEMPLATE}`);
  await admin.end();

  const knex = createKnex(adminUrl.replace(/\/[^/]*$/, `/${TEMPLATE}`), 2);
  await migrateLatest(knex);
  await knex.destroy();

  project.provide('pgAdminUrl', adminUrl);
  return async () => {
    await cluster?.stop();
  };
}
