// Where Prometheus reads the metrics. Never public: on the app's port only with
// METRICS_TOKEN (as a bearer token), and/or on a listener of its own (METRICS_PORT), which
// a network policy or firewall keeps to the monitoring network.
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestHandler } from 'express';
import type { Registry } from 'prom-client';

const digest = (value: string) => crypto.createHash('sha256').update(value).digest();

/** Compared in constant time: both sides are hashed first, so neither length nor content leaks. */
export function tokenMatches(header: string | undefined, token: string): boolean {
  const match = header ? /^Bearer +(\S+) *$/i.exec(header) : null;
  return Boolean(match) && crypto.timingSafeEqual(digest(match![1]!), digest(token));
}

async function scrape(registry: Registry): Promise<{ body: string; type: string }> {
  return { body: await registry.metrics(), type: registry.contentType };
}

/** GET /metrics on the app: without a token configured it is not there at all (the app's 404). */
export function metricsRoute(registry: Registry, token: string | undefined): RequestHandler {
  return async (req, res, next) => {
    if (!token) return next();
    if (!tokenMatches(req.headers.authorization, token)) {
      const code = req.headers.authorization ? 'metrics_token_invalid' : 'metrics_token_missing';
      res.status(401).set('WWW-Authenticate', 'Bearer realm="metrics"').json({ error: { code, message: 'GET /metrics needs Authorization: Bearer <METRICS_TOKEN>.', requestId: req.id } });
      return;
    }
    const { body, type } = await scrape(registry);
    res.status(200).set({ 'Content-Type': type, 'Cache-Control': 'no-store' }).send(body);
  };
}

/** The separate listener of METRICS_PORT: /metrics only, no token (the port is the boundary). */
export async function startMetricsServer(registry: Registry, host: string, port: number): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'GET' || path !== '/metrics') {
      res.writeHead(404, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: { code: 'not_found', message: 'Only GET /metrics is served here.' } }));
      return;
    }
    scrape(registry).then(
      ({ body, type }) => res.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-store' }).end(body),
      () => res.writeHead(500, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: { code: 'metrics_failed', message: 'The metrics could not be collected.' } })),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}

export const boundPort = (server: http.Server) => (server.address() as AddressInfo).port;
