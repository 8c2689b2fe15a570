// Three instances of the compiled build (what `npm start` runs in production), each with
// the three database addresses: PgBouncer for requests, the primary directly for what
// needs a session, the replica for anonymous catalogue reads.
import crypto from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import { sleep, tail, type Processes, type Started } from './processes.ts';
import { PORTS, url } from './topology.ts';

const secret = () => crypto.randomBytes(24).toString('hex');

export function appEnv(dir: string, port: number, seed: boolean): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH, HOME: process.env.HOME,
    NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1', APP_URL: `http://localhost:${PORTS.haproxy}`,
    DATABASE_URL: url(PORTS.pgbouncer), DATABASE_DIRECT_URL: url(PORTS.primary), DATABASE_READ_URL: url(PORTS.replica),
    TRUST_PROXY: 'true', RUN_WORKER: 'true', PAYMENTS_SIMULATED: 'true', SEED_DEMO: seed ? 'true' : 'false',
    DATA_DIR: path.join(dir, 'data'), UPLOAD_DIR: path.join(dir, 'uploads'), LOG_LEVEL: 'warn',
    // The load comes from one address and signs in forty students within seconds.
    LOGIN_MAX_ATTEMPTS: '100000', API_RATE_PER_IP: '1000000', API_RATE_PER_TOKEN: '1000000',
    ARGON2_MEMORY_KIB: '4096', ARGON2_TIME_COST: '1',
    // Every catalogue read reaches a database (the replica or the primary): what this test measures.
    PAGE_CACHE_SECONDS: '0',
  };
}

/** Shared by the instances: sessions signed on one are read on another. */
export function sharedSecrets(): NodeJS.ProcessEnv {
  return { SESSION_SECRET: secret(), CSRF_SECRET: secret(), SIGNING_SECRET: secret() };
}

export async function waitReady(port: number, instance: Started, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (instance.child.exitCode !== null) throw new Error(`${instance.name} exited (${instance.child.exitCode}):\n${tail(instance.log)}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      const body = (await res.json()) as { status: string; replica: { serving?: boolean } | string };
      if (res.status === 200 && body.status === 'ready') return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${instance.name} not ready within ${timeoutMs} ms:\n${tail(instance.log)}`);
    await sleep(250);
  }
}

export async function startApps(procs: Processes, dir: string, root: string): Promise<Started[]> {
  const secrets = sharedSecrets();
  const start = (i: number) => procs.start(`app${i + 1}`, process.execPath, ['dist/server.js'], { cwd: root, env: { ...appEnv(dir, PORTS.apps[i]!, i === 0), ...secrets } });
  // The first one migrates and seeds (over the direct URL); the others find both done.
  const first = start(0);
  await waitReady(PORTS.apps[0], first);
  const others = [start(1), start(2)];
  await Promise.all(others.map((app, i) => waitReady(PORTS.apps[i + 1]!, app)));
  return [first, ...others];
}

export interface ServerStat { name: string; status: string; retries: number; redispatches: number; errors: number }

/** HAProxy's own view, from its stats socket: which servers are UP, and how often it retried. */
export function haproxyStats(dir: string): Promise<ServerStat[]> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(path.join(dir, 'haproxy.sock'));
    let data = '';
    socket.on('data', (chunk) => (data += chunk.toString()));
    socket.on('error', reject);
    socket.on('end', () => {
      const [header, ...rows] = data.trim().split('\n');
      const cols = (header ?? '').replace(/^# /, '').split(',');
      const at = (row: string[], name: string) => row[cols.indexOf(name)] ?? '';
      resolve(rows.map((line) => line.split(',')).filter((r) => at(r, 'pxname') === 'app').map((r) => ({
        name: at(r, 'svname'), status: at(r, 'status'), retries: Number(at(r, 'wretr') || 0), redispatches: Number(at(r, 'wredis') || 0),
        errors: Number(at(r, 'eresp') || 0) + Number(at(r, 'econ') || 0),
      })));
    });
    socket.write('show stat\n');
  });
}
