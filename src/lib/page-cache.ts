// A micro-cache of rendered pages for anonymous visitors. Catalogue pages cost several
// queries and a render each; the same bytes served for a few seconds cost a map lookup.
// It sits in front of the session, user and CSRF middleware, so a hit skips them all,
// and only for requests that carry no session cookie: a signed-in page is never stored
// and never served from here. Entries are tagged (the catalogue, a mentor) and dropped
// by the changes PostgreSQL announces (page-cache-listener.ts); while that channel is
// down the cache neither serves nor stores, since it could not hear about a change.
import type { Request, RequestHandler, Response } from 'express';
import { isTimeZone } from '../i18n/format.ts';
import { isPartialRequest } from './htmx.ts';
import { localeFromRequest } from './locale.ts';

/** What changed, as the database triggers name it: `catalogue`, `courses`, `mentor:<id>`, `skills:<id>`, `all`. */
export type Change = string;

interface Entry {
  /** The body cut at the CSP nonce it was rendered with: each hit joins it with its own. */
  parts: string[];
  headers: [string, string][];
  tags: string[];
  bytes: number;
  expiresAt: number;
  /** Expired, and one request is rendering its successor: the others keep getting this one meanwhile. */
  refreshing?: boolean;
}

export interface PageCache {
  readonly enabled: boolean;
  /** False while the change channel is down: nothing is served or stored then. */
  online: boolean;
  lookup(key: string): Entry | undefined;
  store(key: string, entry: Omit<Entry, 'expiresAt' | 'bytes'>, since: number): boolean;
  /** Bumped by every change: a render that began before one is not stored. */
  readonly generation: number;
  apply(change: Change): void;
  /** Whether this key was stored before: only such keys make a concurrent miss wait for the render in progress. */
  known(key: string): boolean;
  clear(): void;
  stats(): { entries: number; bytes: number; hits: number; misses: number };
}

export interface PageCacheOptions {
  ttlMs: number;
  maxBytes: number;
  now?: () => number;
}

export function createPageCache({ ttlMs, maxBytes, now = Date.now }: PageCacheOptions): PageCache {
  // A Map keeps insertion order: re-inserting on a hit makes the first entry the least recently used.
  const entries = new Map<string, Entry>();
  let bytes = 0;
  let generation = 0;
  let hits = 0;
  let misses = 0;
  const stored = new Set<string>();

  const drop = (key: string, entry: Entry) => {
    entries.delete(key);
    bytes -= entry.bytes;
  };
  const dropTagged = (tag: string) => {
    for (const [key, entry] of entries) if (entry.tags.includes(tag)) drop(key, entry);
  };

  return {
    enabled: ttlMs > 0,
    online: false,
    get generation() {
      return generation;
    },
    lookup(key) {
      const entry = entries.get(key);
      const t = now();
      // Past its TTL an entry is served for one more TTL while the first request after
      // expiry renders the next one: without this, 50 connections re-render at once every
      // few seconds. Only the TTL stretches: a change the database announces deletes the
      // entry outright, so a taken slot is never served from here.
      const stale = entry !== undefined && entry.expiresAt <= t;
      if (!entry || entry.expiresAt + ttlMs <= t || (stale && !entry.refreshing)) {
        if (entry && entry.expiresAt + ttlMs <= t) drop(key, entry);
        else if (entry) entry.refreshing = true;
        misses++;
        return undefined;
      }
      entries.delete(key);
      entries.set(key, entry);
      hits++;
      return entry;
    },
    store(key, value, since) {
      if (!this.online || since !== generation) return false;
      const size = value.parts.reduce((sum, p) => sum + Buffer.byteLength(p), 0);
      if (size > maxBytes / 8) return false;
      const old = entries.get(key);
      if (old) drop(key, old);
      entries.set(key, { ...value, bytes: size, expiresAt: now() + ttlMs });
      if (stored.size >= 10_000) stored.clear();
      stored.add(key);
      bytes += size;
      for (const [k, e] of entries) {
        if (bytes <= maxBytes) break;
        drop(k, e);
      }
      return true;
    },
    apply(change) {
      generation++;
      if (change === 'all') return this.clear();
      const [kind, id] = change.split(':', 2);
      if (kind === 'skills' && id) {
        dropTagged('catalogue');
        dropTagged(`mentor:${id}`);
      } else if (kind === 'mentor' && id) {
        dropTagged(`mentor:${id}`);
      } else if (kind === 'catalogue' || kind === 'courses') {
        dropTagged(kind);
      } else {
        // A change this version does not know: safer to forget everything.
        this.clear();
      }
    },
    known: (key) => stored.has(key),
    clear() {
      generation++;
      entries.clear();
      bytes = 0;
    },
    stats: () => ({ entries: entries.size, bytes, hits, misses }),
  };
}

// Response headers a stored page keeps; everything else is the request's own (request id, CSP with its nonce).
const KEPT_HEADERS = new Set(['content-type', 'vary', 'cache-control', 'content-language']);
const keep = (name: string) => KEPT_HEADERS.has(name) || name.startsWith('hx-');

const knownZones = new Map<string, boolean>();
/** The `tz` cookie if it names a zone; validity is memoised (bounded) because checking it builds an Intl formatter. */
function zoneOf(req: Request): string {
  const raw = req.cookies?.tz as unknown;
  if (typeof raw !== 'string' || raw === '') return '';
  let valid = knownZones.get(raw);
  if (valid === undefined) {
    valid = isTimeZone(raw);
    if (knownZones.size < 1000) knownZones.set(raw, valid);
  }
  return valid ? raw : '';
}

/** The path with its query parameters in a stable order: `?b=1&a=2` and `?a=2&b=1` are one page. */
function normalisedUrl(url: string): string {
  const q = url.indexOf('?');
  if (q === -1) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  params.sort();
  const query = params.toString();
  return query ? `${url.slice(0, q)}?${query}` : url.slice(0, q);
}

/**
 * Everything an anonymous page varies on: the URL, the language, the zone the times are
 * shown in (`tz` cookie, or none yet: the page then asks again in the browser's zone),
 * whether htmx asked for the fragment or a boosted page, and the app's version.
 */
export function cacheKey(req: Request, version: string): string {
  const htmx = isPartialRequest(req) ? 'partial' : req.get('HX-Request') === 'true' ? 'boosted' : 'page';
  return `${version}|${htmx}|${localeFromRequest(req)}|${zoneOf(req)}|${normalisedUrl(req.originalUrl)}`;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      /** Set for a request the cache may store (anonymous GET, cache on): see cachePage(). */
      pageCacheKey?: string;
      /** Set by a handler that opts its response in, with the tags that invalidate it. */
      pageCacheTags?: string[];
    }
  }
}

/**
 * Serves a stored page, or lets the request through marked as storable. Placed after
 * cookieParser (the key needs `lang` and `tz`) and before the session.
 */
export function pageCacheMiddleware(cache: PageCache, options: { sessionCookie: string; flashCookie: string; version: string }): RequestHandler {
  // Renders in progress by key: a request that misses a stored page while it is being
  // rendered again (after a change dropped it) waits for that render instead of doing it too.
  const rendering = new Map<string, Promise<void>>();
  const serve = (res: Response, hit: Entry) => {
    for (const [name, value] of hit.headers) res.setHeader(name, value);
    res.setHeader('X-Page-Cache', 'hit');
    res.status(200).send(hit.parts.join(res.locals.nonce as string));
  };

  const middleware: RequestHandler = (req, res, next) => {
    if (!cache.enabled || !cache.online || req.method !== 'GET') return next();
    // A session cookie may mean a signed-in visitor (or a refused form waiting), a flash
    // cookie a message for this visitor's next page; a bearer token is a signed-in client.
    if (req.cookies?.[options.sessionCookie] !== undefined || req.cookies?.[options.flashCookie] !== undefined || req.headers.authorization) return next();
    const key = cacheKey(req, options.version);
    const hit = cache.lookup(key);
    if (hit) return serve(res, hit);
    const running = rendering.get(key);
    // Only for pages known to be stored: a miss on a page that is never kept (a login form) must not queue.
    if (running && cache.known(key)) {
      void running.then(() => {
        const done = cache.lookup(key);
        if (done) serve(res, done);
        else render(key, res, next); // not stored (a change meanwhile, not cacheable): render it here
      });
      return;
    }
    render(key, res, next);
  };

  const render = (key: string, res: Response, next: () => void) => {
    const nonce = res.locals.nonce as string;
    let finished: () => void = () => undefined;
    rendering.set(key, new Promise<void>((resolve) => (finished = resolve)));
    const settle = () => {
      rendering.delete(key);
      finished();
    };
    res.once('close', settle);
    res.locals.pageCacheKey = key;
    const since = cache.generation;
    let body: string | undefined;
    const send = res.send.bind(res);
    res.send = (chunk?: unknown) => {
      if (typeof chunk === 'string' && body === undefined) body = chunk;
      return send(chunk);
    };
    // Decided once the response is complete: a cookie set late (a session saved on the
    // way out) must still keep the page out of the cache.
    res.once('finish', () => {
      const tags = res.locals.pageCacheTags;
      if (!tags || body === undefined || res.statusCode !== 200 || res.getHeader('set-cookie') !== undefined) return;
      const headers = Object.entries(res.getHeaders())
        .filter(([name, value]) => keep(name) && value !== undefined)
        .map(([name, value]) => [name, String(value)] as [string, string]);
      cache.store(key, { parts: body.split(nonce), headers, tags }, since);
    });
    next();
  };
  return middleware;
}

/**
 * A handler's opt-in: this response is the same for every anonymous visitor with the
 * same key, and these tags (`catalogue`, `courses`, `mentor:<id>`) say what changes it.
 * Such a page must carry nothing of the visitor's: the layout leaves out the CSRF token
 * (no form on it needs one).
 */
export function cachePage(res: Response, tags: string[]): void {
  if (res.locals.pageCacheKey === undefined) return;
  res.locals.pageCacheTags = tags;
  res.setHeader('X-Page-Cache', 'miss');
}
