// The grid section's load generator, run in a worker thread by grid.ts (so that it does
// not share the event loop of the apps under test). A closed loop: `connections`
// keep-alive sockets, each sending its next request as soon as the previous answer has
// been read in full. Every latency is kept, timed with process.hrtime: at 1 to 10
// connections answers take a few milliseconds, and autocannon keeps whole milliseconds
// and reports no p95.
//
// Warm-up requests carry `x-bench-run: <run>-warmup`, measured ones `x-bench-run: <run>`:
// the handler timer in grid.ts records only the latter.
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

export interface ClientJob {
  url: string;
  run: string;
  headers: Record<string, string>;
  connections: number;
  warmupSeconds: number;
  seconds: number;
}

export interface ClientResult {
  /** Measured requests only, in completion order. */
  latenciesMs: number[];
  /** From the first measured request sent to the last answer read. */
  seconds: number;
  statusCounts: Record<string, number>;
  errors: number;
  bytes: number;
}

async function loop(job: ClientJob, agent: http.Agent, run: string, seconds: number): Promise<ClientResult> {
  const target = new URL(job.url);
  const headers = { ...job.headers, 'x-bench-run': run };
  const latenciesMs: number[] = [];
  const statusCounts: Record<string, number> = {};
  let errors = 0;
  let bytes = 0;
  const once = () =>
    new Promise<void>((resolve) => {
      const t0 = process.hrtime.bigint();
      const req = http.request(target, { agent, headers }, (res) => {
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
        });
        res.on('end', () => {
          latenciesMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
          const code = String(res.statusCode);
          statusCounts[code] = (statusCounts[code] ?? 0) + 1;
          resolve();
        });
        res.on('error', () => {
          errors++;
          resolve();
        });
      });
      req.on('error', () => {
        errors++;
        // A refused connection must not spin: the run reports the errors, not a busy loop.
        setTimeout(resolve, 50);
      });
      req.end();
    });
  const started = performance.now();
  const end = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: job.connections }, async () => {
      while (performance.now() < end) await once();
    }),
  );
  return { latenciesMs, seconds: (performance.now() - started) / 1000, statusCounts, errors, bytes };
}

export async function runClient(job: ClientJob): Promise<ClientResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.connections });
  try {
    if (job.warmupSeconds > 0) await loop(job, agent, `${job.run}-warmup`, job.warmupSeconds);
    return await loop(job, agent, job.run, job.seconds);
  } finally {
    agent.destroy();
  }
}

// In the worker: one job at a time, for as long as grid.ts keeps the worker.
if (parentPort && (workerData as { gridClient?: boolean } | undefined)?.gridClient) {
  const port = parentPort;
  port.on('message', (message: { id: number; job: ClientJob }) => {
    runClient(message.job).then(
      (result) => port.postMessage({ id: message.id, result }),
      (error: unknown) => port.postMessage({ id: message.id, error: error instanceof Error ? error.stack ?? error.message : String(error) }),
    );
  });
}
