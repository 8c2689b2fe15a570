// The hand-kept request histogram must read exactly like prom-client's own Histogram.
import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { RequestHistogram } from './request-histogram.ts';

describe('RequestHistogram', () => {
  it('writes the same exposition text as prom-client for the same observations', async () => {
    const bounds = [0.001, 0.01, 0.1, 1];
    const ours = new Registry();
    const theirs = new Registry();
    const fast = new RequestHistogram('http_request_duration_seconds', 'Request time.', bounds).register(ours);
    const reference = new Histogram({ name: 'http_request_duration_seconds', help: 'Request time.', labelNames: ['method', 'route', 'status_code'], buckets: bounds, registers: [theirs] });
    const samples: [string, string, number, number][] = [
      ['GET', '/skills/:id', 200, 0.0004], ['GET', '/skills/:id', 200, 0.001], ['GET', '/skills/:id', 200, 0.05],
      ['POST', '/bookings/:id/confirmation', 303, 2.5], ['GET', 'static', 304, 0.0001], ['GET', '/skills/:id', 404, 0.1],
      ['GET', 'route "with" \\ quotes', 500, 0.3],
    ];
    for (const [method, route, status, seconds] of samples) {
      fast.observe(method, route, status, seconds);
      reference.observe({ method, route, status_code: String(status) }, seconds);
    }
    expect(await ours.metrics()).toBe(await theirs.metrics());
    fast.reset();
    expect(await ours.metrics()).not.toContain('_bucket');
  });
});
