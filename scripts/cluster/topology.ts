// The cluster itself: a PostgreSQL 15 primary with a streaming replica (pg_basebackup -R
// over a physical slot), PgBouncer in transaction mode in front of the primary, and
// HAProxy in front of the app instances. All on loopback, on the ports of this test,
// as the postgres user where the server refuses root (PostgreSQL, PgBouncer).
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { run, sleep, type Processes } from './processes.ts';

export const PG_BIN = '/usr/lib/postgresql/15/bin';
export const PORTS = { haproxy: 4300, pgbouncer: 4310, apps: [4321, 4322, 4323], primary: 5601, replica: 5602 } as const;
export const DB = 'leboncours';
export const url = (port: number) => `postgresql://postgres@127.0.0.1:${port}/${DB}`;

const asPostgres = (command: string, args: string[]) => ['-u', 'postgres', '--', command, ...args];

export async function waitForPostgres(port: number, database = 'postgres', timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new pg.Client({ connectionString: `postgresql://postgres@127.0.0.1:${port}/${database}`, connectionTimeoutMillis: 1000 });
    try {
      await client.connect();
      await client.query('select 1');
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`PostgreSQL on ${port} did not come up: ${(error as Error).message}`);
      await sleep(150);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

export async function sql<T extends pg.QueryResultRow = pg.QueryResultRow>(port: number, text: string, params: unknown[] = [], database = DB): Promise<T[]> {
  const client = new pg.Client({ connectionString: `postgresql://postgres@127.0.0.1:${port}/${database}` });
  await client.connect();
  try {
    return (await client.query<T>(text, params)).rows;
  } finally {
    await client.end();
  }
}

export async function startDatabases(procs: Processes, dir: string): Promise<void> {
  const primary = path.join(dir, 'primary');
  const replica = path.join(dir, 'replica');
  run('runuser', asPostgres(`${PG_BIN}/initdb`, ['-D', primary, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8', '-N']));
  // Test settings: durability off (fsync) is fine for a throwaway cluster, never for a real one.
  fs.appendFileSync(path.join(primary, 'postgresql.conf'), [
    `listen_addresses = '127.0.0.1'`, `unix_socket_directories = '${dir}'`, 'max_connections = 300',
    'wal_level = replica', 'max_wal_senders = 5', 'max_replication_slots = 5', 'hot_standby = on', 'hot_standby_feedback = on',
    'fsync = off', 'synchronous_commit = off', 'full_page_writes = off',
    // Proof that catalogue reads reach the replica: its own statement counters.
    `shared_preload_libraries = 'pg_stat_statements'`, 'pg_stat_statements.track = all', '',
  ].join('\n'));
  procs.start('postgres-primary', 'runuser', asPostgres(`${PG_BIN}/postgres`, ['-D', primary, '-p', String(PORTS.primary)]));
  await waitForPostgres(PORTS.primary);
  await sql(PORTS.primary, 'create role replicator with replication login', [], 'postgres');
  await sql(PORTS.primary, `select pg_create_physical_replication_slot('replica1')`, [], 'postgres');
  await sql(PORTS.primary, `create database ${DB}`, [], 'postgres');
  await sql(PORTS.primary, 'create extension pg_stat_statements');

  run('runuser', asPostgres(`${PG_BIN}/pg_basebackup`, ['-h', '127.0.0.1', '-p', String(PORTS.primary), '-U', 'replicator', '-D', replica, '-R', '-S', 'replica1', '-X', 'stream', '-c', 'fast']));
  procs.start('postgres-replica', 'runuser', asPostgres(`${PG_BIN}/postgres`, ['-D', replica, '-p', String(PORTS.replica)]));
  await waitForPostgres(PORTS.replica);
  const [standby] = await sql<{ recovery: boolean }>(PORTS.replica, 'select pg_is_in_recovery() as recovery', [], 'postgres');
  if (!standby?.recovery) throw new Error('the replica is not in recovery: pg_basebackup -R did not make a standby');
}

export async function startPgBouncer(procs: Processes, dir: string): Promise<void> {
  const ini = path.join(dir, 'pgbouncer.ini');
  fs.writeFileSync(path.join(dir, 'userlist.txt'), '"postgres" ""\n');
  fs.writeFileSync(ini, [
    '[databases]', `${DB} = host=127.0.0.1 port=${PORTS.primary} dbname=${DB}`, '',
    '[pgbouncer]', 'listen_addr = 127.0.0.1', `listen_port = ${PORTS.pgbouncer}`, `unix_socket_dir = ${dir}`,
    // Trust on loopback: the test's own throwaway cluster; a real one uses scram-sha-256 and an auth_query.
    'auth_type = trust', `auth_file = ${path.join(dir, 'userlist.txt')}`, 'admin_users = postgres',
    'pool_mode = transaction', 'max_client_conn = 1000', 'default_pool_size = 40', 'reserve_pool_size = 5',
    'ignore_startup_parameters = extra_float_digits,options', 'server_reset_query =', '',
  ].join('\n'));
  run('chown', ['postgres:postgres', ini, path.join(dir, 'userlist.txt')]);
  procs.start('pgbouncer', 'runuser', asPostgres('/usr/sbin/pgbouncer', [ini]));
  await waitForPostgres(PORTS.pgbouncer, DB);
}

export function haproxyConfig(dir: string): string {
  return [
    'global', '  maxconn 4000', `  stats socket ${path.join(dir, 'haproxy.sock')} mode 600 level admin`, '',
    'defaults', '  mode http', '  timeout connect 1s', '  timeout client 30s',
    // Above the app's 15 s request timeout (an idempotent POST waits at most 10 s for the first request with its key).
    '  timeout server 20s', '  timeout check 2s',
    '  retries 3', '  option redispatch 1',
    '  retry-on conn-failure empty-response response-timeout', '',
    'frontend web', `  bind 127.0.0.1:${PORTS.haproxy}`, '  option forwardfor',
    // In production the balancer terminates TLS and says so; here there is no TLS, but the
    // production cookies (__Host-, Secure) are only issued over "https", and Chromium keeps
    // Secure cookies from http://localhost (a secure context).
    '  http-request set-header X-Forwarded-Proto https', '  default_backend app', '',
    'backend app', '  balance roundrobin',
    // A request that reached an instance may have run there. conn-failure retries are safe for
    // any method (nothing was sent); the others are kept for GET/HEAD and for requests that carry
    // an Idempotency-Key, which the API replays instead of running twice.
    '  http-request disable-l7-retry if !METH_GET !{ req.hdr(idempotency-key) -m found }',
    '  option httpchk GET /readyz', '  http-check expect status 200',
    '  default-server inter 1s fastinter 250ms downinter 1s fall 2 rise 2 observe layer4 error-limit 1 on-error fastinter',
    '  http-response set-header X-Served-By %[srv_name]',
    ...PORTS.apps.map((port, i) => `  server app${i + 1} 127.0.0.1:${port} check`), '',
  ].join('\n');
}

export async function startHaproxy(procs: Processes, dir: string): Promise<void> {
  const cfg = path.join(dir, 'haproxy.cfg');
  fs.writeFileSync(cfg, haproxyConfig(dir));
  run('/usr/sbin/haproxy', ['-c', '-q', '-f', cfg]);
  const haproxy = procs.start('haproxy', '/usr/sbin/haproxy', ['-db', '-f', cfg]);
  for (let i = 0; !fs.existsSync(path.join(dir, 'haproxy.sock')); i++) {
    if (i > 100 || haproxy.child.exitCode !== null) throw new Error(`HAProxy did not start: ${fs.readFileSync(haproxy.log, 'utf8')}`);
    await sleep(50);
  }
}
