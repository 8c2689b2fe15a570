// The floor: what Express 5 plus one round trip to the same PostgreSQL costs on this
// machine, with nothing of the app around it. Every app scenario is compared to it.
import http, { type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import pg from 'pg';

export interface Listening {
  url: string;
  close(): Promise<void>;
}

/**
 * Listens on 127.0.0.1 and a free port; close() also drops idle keep-alive sockets.
 * `app`: an Express app, or any request listener (the grid section's timing wrapper).
 */
export async function listen(app: RequestListener, onClose: () => Promise<void> = async () => undefined): Promise<Listening> {
  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closed = false;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      if (closed) return;
      closed = true;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await onClose();
    },
  };
}

/** A port nothing listens on right now (for a child process to take). */
export async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function startFloor(databaseUrl: string): Promise<Listening> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  pool.on('error', (error: Error & { code?: string }) => {
    // 57P01: the bench is stopping PostgreSQL while this pool's clients are still ending.
    if (error.code !== '57P01') console.error(`floor pool: idle client error: ${error.message}`);
  });
  const app = express();
  app.disable('x-powered-by');
  app.get('/', async (_req, res) => {
    const { rows } = await pool.query<{ one: number }>('select 1 as one');
    res.type('text').send(`ok ${rows[0]!.one}`);
  });
  return listen(app, () => pool.end());
}
