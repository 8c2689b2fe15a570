// One PostgreSQL cluster for the whole run and a migrated template database; every
// test file clones the template into a database of its own (test/helpers/db.ts).
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { createKnex } from '../src/db/knex.ts';
import { startEmbeddedPostgres, type EmbeddedCluster } from '../src/db/embedded-postgres.ts';
import { migrateLatest } from '../src/db/migrate.ts';
import { migrateJobs } from '../src/lib/jobs.ts';
import pino from 'pino';

// Under the system temp folder: as root, PostgreSQL runs as its own user, which
// cannot enter a checkout that lives in a private home folder.
const PREFIX = 'leboncours-test-';
// Under the system temp folder (as root, PostgreSQL runs as its own user, which
// cannot enter a checkout inside a private home folder), one folder per run so that
// concurrent runs never share a cluster.
const DATA_DIR = path.join(os.tmpdir(), `${PREFIX}${process.pid}`);
export const TEMPLATE = 'app_template';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
  }
}

let cluster: EmbeddedCluster | undefined;

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Clusters left by killed runs: stop their postgres and remove their folder. */
function removeStaleClusters() {
  for (const name of fs.readdirSync(os.tmpdir())) {
    const owner = Number(name.slice(PREFIX.length));
    if (!name.startsWith(PREFIX) || !Number.isInteger(owner) || alive(owner)) continue;
    const dir = path.join(os.tmpdir(), name);
    const pidFile = path.join(dir, 'pg', 'postmaster.pid');
    const postmaster = fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]) : 0;
    if (postmaster && alive(postmaster)) process.kill(postmaster, 'SIGQUIT');
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

interface SharedCluster { ready: Promise<{ adminUrl: string; stop(): Promise<void> }>; users: number }
// The unit/HTTP project and the browser project each run this setup, in one process:
// they share one cluster and one template (kept on globalThis, which both module
// instances see); the last teardown stops it.
const shared = globalThis as { __lbcTestCluster?: SharedCluster };

async function prepare(): Promise<{ adminUrl: string; stop(): Promise<void> }> {
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    removeStaleClusters();
    cluster = await startEmbeddedPostgres({ dataDir: DATA_DIR, port: await freePort(), fast: true });
    adminUrl = cluster.connectionString('postgres');
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const leftovers = await admin.query(`select datname from pg_database where datname = $1 or datname like 't\\_%'`, [TEMPLATE]);
  for (const row of leftovers.rows as { datname: string }[]) await admin.query(`drop database if exists "${row.datname}" with (force)`);
  await admin.query(`create database ${TEMPLATE}`);
  await admin.end();

  const templateUrl = adminUrl.replace(/\/[^/]*$/, `/${TEMPLATE}`);
  const knex = createKnex(templateUrl, 2);
  await migrateLatest(knex);
  await knex.destroy();
  await migrateJobs(templateUrl, pino({ level: 'silent' }));
  const started = cluster;
  return {
    adminUrl,
    async stop() {
      await started?.stop();
      fs.rmSync(DATA_DIR, { recursive: true, force: true });
    },
  };
}

export default async function setup(project: TestProject) {
  const mine = (shared.__lbcTestCluster ??= { ready: prepare(), users: 0 });
  mine.users++;
  project.provide('pgAdminUrl', (await mine.ready).adminUrl);
  return async () => {
    if (--mine.users > 0) return;
    delete shared.__lbcTestCluster;
    await (await mine.ready).stop();
  };
}
