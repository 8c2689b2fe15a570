// A throwaway PostgreSQL for the bench, like test/global-setup.ts: one folder per run
// under the system temp folder (PostgreSQL, as root, runs as a user that cannot enter
// a private home folder), a free port, and fsync/synchronous_commit/full_page_writes
// off: durability is irrelevant for a cluster deleted at the end of the run.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { startEmbeddedPostgres, type EmbeddedCluster } from '../src/db/embedded-postgres.ts';
import { createKnex, ensureDatabase } from '../src/db/knex.ts';
import { migrateLatest } from '../src/db/migrate.ts';
import { migrateJobs } from '../src/lib/jobs.ts';

const PREFIX = 'leboncours-bench-';
export const FAST_FLAGS = 'fsync=off, synchronous_commit=off, full_page_writes=off';

export interface BenchDatabase {
  dir: string;
  url: string;
  cluster: EmbeddedCluster;
  migrations: string[];
  /** Another database in the same cluster, migrated like the first; returns its URL. */
  addDatabase(name: string): Promise<string>;
  /** Stops PostgreSQL and removes the folder; safe to call twice. */
  stop(): Promise<void>;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const commandLine = (pid: number) => {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return undefined;
  }
};
const OWNER_FILE = 'owner-cmdline';

/**
 * Folders left by killed bench runs: stop their postgres and remove them. The folder
 * is named after the owner's pid; pids get reused, so the owner's command line is
 * kept too, and a live pid with another command line does not count as the owner.
 */
function removeStaleClusters(): void {
  for (const name of fs.readdirSync(os.tmpdir())) {
    const owner = Number(name.slice(PREFIX.length));
    if (!name.startsWith(PREFIX) || !Number.isInteger(owner)) continue;
    const dir = path.join(os.tmpdir(), name);
    const recorded = fs.existsSync(path.join(dir, OWNER_FILE)) ? fs.readFileSync(path.join(dir, OWNER_FILE), 'utf8') : undefined;
    if (alive(owner) && (recorded === undefined || recorded === commandLine(owner))) continue;
    const pidFile = path.join(dir, 'pg', 'postmaster.pid');
    const postmaster = fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]) : 0;
    if (postmaster && alive(postmaster)) process.kill(postmaster, 'SIGQUIT');
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function migrated(cluster: EmbeddedCluster, name: string): Promise<{ url: string; migrations: string[] }> {
  await ensureDatabase(cluster.connectionString('postgres'), name);
  const url = cluster.connectionString(name);
  const knex = createKnex(url, 2);
  const migrations = await migrateLatest(knex).finally(() => knex.destroy());
  await migrateJobs(url, pino({ level: 'silent' }));
  return { url, migrations };
}

export async function startBenchDatabase(name = 'bench'): Promise<BenchDatabase> {
  removeStaleClusters();
  const dir = path.join(os.tmpdir(), `${PREFIX}${process.pid}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, OWNER_FILE), commandLine(process.pid) ?? '');
  const cluster = await startEmbeddedPostgres({ dataDir: dir, port: await freePort(), fast: true });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await cluster.stop().catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const addDatabase = async (database: string) => (await migrated(cluster, database)).url;
  try {
    const { url, migrations } = await migrated(cluster, name);
    return { dir, url, cluster, migrations, addDatabase, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
