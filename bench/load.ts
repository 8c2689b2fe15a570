// One load run with autocannon's programmatic API. autocannon runs in a worker thread
// (`workers: 1`) so that generating load does not share the event loop of the app
// under test, which runs in this process's main thread.
import autocannon, { type RequestSpec, type Result } from 'autocannon';

export interface LoadSpec {
  url: string;
  connections: number;
  seconds: number;
  requests?: RequestSpec[];
  /** Sent with every request besides Accept-Language (a session cookie, htmx's headers). */
  headers?: Record<string, string>;
  /** Statuses that mean "worked" for this scenario (200 for pages, 303 for a booking). */
  expected: number[];
}

export interface LoadResult {
  seconds: number;
  requests: number;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Responses whose status is not in `expected`, plus errors and timeouts. */
  unexpected: number;
  statusCounts: Record<string, number>;
}

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const result: Result = await autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: spec.seconds,
    workers: 1,
    timeout: 30,
    headers: { 'accept-language': 'fr', ...spec.headers },
    requests: spec.requests,
  });
  const statusCounts = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, s]) => [code, s.count]));
  const requests = Object.values(statusCounts).reduce((a, b) => a + b, 0);
  const ok = spec.expected.reduce((sum, code) => sum + (statusCounts[code] ?? 0), 0);
  return {
    seconds: result.duration,
    requests,
    reqPerSec: requests / (result.duration || spec.seconds),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    unexpected: requests - ok + result.errors,
    statusCounts,
  };
}
