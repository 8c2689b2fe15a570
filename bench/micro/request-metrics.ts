// What the request histogram adds to each request, measured alone (no HTTP, no database):
// the route label, the child lookup and the observation, plus the scope of the request
// in AsyncLocalStorage. Usage: node --import tsx bench/micro/request-metrics.ts
import { AsyncLocalStorage } from 'node:async_hooks';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import knexPkg from 'knex';
import pg from 'pg';
import { systemClock } from '../../src/lib/clock.ts';
import { createMetrics } from '../../src/observability/metrics.ts';

const knex = knexPkg({ client: 'pg', connection: 'postgres://nobody@127.0.0.1:1/none', pool: { min: 0, max: 1 } });
const metrics = createMetrics({ knex, sessionPool: new pg.Pool({ max: 1 }), clock: systemClock });

// Requests as Express leaves them: a route matched under a mount path (through the setter),
// a static file, an unmatched one.
function request(url: string, route?: string, mount = ''): IncomingMessage {
  const req = new IncomingMessage(new Socket()) as IncomingMessage & { baseUrl: string; originalUrl: string; route?: unknown };
  req.method = 'GET';
  req.url = url;
  req.originalUrl = url;
  req.baseUrl = mount;
  if (route) req.route = { path: route };
  return req;
}
const requests = [
  request('/skills/1', '/skills/:id'), request('/api/v1/bookings/2', '/bookings/:id', '/api/v1'),
  request('/css/app.abc.css'), request('/nope'), request('/', '/'),
];
const statuses = [200, 200, 304, 404, 200];

function perCall(label: string, n: number, fn: (i: number) => void): number {
  for (let i = 0; i < 50_000; i++) fn(i); // warm up: children made, code optimised
  const started = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn(i);
  const ns = Number(process.hrtime.bigint() - started) / n;
  console.log(`${label}: ${(ns / 1000).toFixed(3)} µs per request`);
  return ns;
}

// On Node 20 the first AsyncLocalStorage.run turns promise hooks on for the whole process:
// the async chain is timed in two fresh processes, one that never uses a scope.
if (process.argv[2] === 'chain') {
  await chain(process.argv[3] === 'scoped');
} else {
  const N = 2_000_000;
  perCall('observeRequest (route label + series lookup + bucket)', N, (i) => metrics.observeRequest(requests[i % 5]!, statuses[i % 5]!, 3.2));
  const als = new AsyncLocalStorage<{ reqId: string }>();
  perCall('AsyncLocalStorage.run (sync part)', N, (i) => als.run({ reqId: String(i) }, () => undefined));
  for (const mode of ['bare', 'scoped']) {
    process.stdout.write(execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), 'chain', mode]));
  }
}
await knex.destroy();

/** A request's async shape, 50 awaits (middlewares, queries), with or without a scope around it. */
async function chain(scoped: boolean) {
  const als = new AsyncLocalStorage<{ reqId: string }>();
  const work = async () => { for (let i = 0; i < 50; i++) await Promise.resolve(); };
  const once = scoped ? () => als.run({ reqId: 'x' }, work) : work;
  const n = 100_000;
  for (let i = 0; i < 10_000; i++) await once();
  const started = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await once();
  console.log(`50 awaits ${scoped ? 'inside a scope' : 'no scope ever'}: ${(Number(process.hrtime.bigint() - started) / n / 1000).toFixed(2)} µs per request`);
}
