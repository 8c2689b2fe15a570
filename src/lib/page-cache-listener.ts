// One LISTEN connection per process, outside the pools: the database triggers
// (migration 20261202010000) NOTIFY `page_cache` when skills, hours, holds or bookings
// change, at commit, so every instance drops what it rendered from the old state.
// Notifications sent while the connection is down are lost: the cache is off until it
// is back, and starts empty again. LISTEN belongs to a session, so the connection string
// is the direct one (DATABASE_DIRECT_URL): through PgBouncer's transaction pooling the
// LISTEN would stay on a server connection other clients share, and nothing would arrive.
import pg from 'pg';
import type { Logger } from './logger.ts';
import type { PageCache } from './page-cache.ts';

export const PAGE_CACHE_CHANNEL = 'page_cache';

export interface PageCacheListener {
  /** Resolves once the first LISTEN is in place (or the listener was closed). */
  ready: Promise<void>;
  close(): Promise<void>;
}

const MIN_DELAY_MS = 250;
const MAX_DELAY_MS = 10_000;

export function listenForPageChanges(connectionString: string, cache: PageCache, logger: Logger): PageCacheListener {
  let client: pg.Client | undefined;
  let closed = false;
  let delay = MIN_DELAY_MS;
  let timer: NodeJS.Timeout | undefined;
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  const lost = (c: pg.Client, err?: Error) => {
    if (client !== c) return;
    client = undefined;
    cache.online = false;
    cache.clear();
    c.end().catch(() => undefined);
    if (closed) return;
    logger.warn({ err, retryInMs: delay }, 'page cache: change channel lost, cache off until it is back');
    timer = setTimeout(connect, delay);
    delay = Math.min(delay * 2, MAX_DELAY_MS);
  };

  async function connect(): Promise<void> {
    timer = undefined;
    const c = new pg.Client({ connectionString, application_name: 'page-cache-listener' });
    client = c;
    c.on('error', (err) => lost(c, err));
    c.on('end', () => lost(c));
    c.on('notification', (msg) => {
      if (msg.channel === PAGE_CACHE_CHANNEL) cache.apply(msg.payload ?? 'all');
    });
    try {
      await c.connect();
      await c.query(`listen ${PAGE_CACHE_CHANNEL}`);
    } catch (err) {
      lost(c, err as Error);
      return;
    }
    if (client !== c) return;
    // Whatever changed while nobody listened is unknown: start from nothing.
    cache.clear();
    cache.online = true;
    delay = MIN_DELAY_MS;
    markReady();
  }

  void connect();
  return {
    ready,
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      const c = client;
      client = undefined;
      cache.online = false;
      markReady();
      await c?.end().catch(() => undefined);
    },
  };
}
