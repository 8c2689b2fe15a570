// Our CSS and JS and the vendored htmx and Ag Grid, served under URLs that carry a hash
// of their content, so browsers may keep them for a year without asking again. Each
// file is built once per content (our own files minified) and compressed ahead of time
// (brotli 11, gzip 9: far smaller than a dynamic compressor can afford per request);
// the results live in a cache folder keyed by the hash, so restarts and test files
// reuse them. Ag Grid takes seconds to compress, so compressed copies are served as
// soon as they exist and the plain copy until then.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { transform, version as esbuildVersion } from 'esbuild';
import type { Request, RequestHandler } from 'express';

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/** Changing how a file is built must change its hash (and so its URL). */
const BUILD_VERSION = `1:esbuild-${esbuildVersion}:es2020`;
const IMMUTABLE = 'public, max-age=31536000, immutable';

type Encoding = 'br' | 'gzip' | 'identity';
const SUFFIX: Record<Encoding, string> = { br: '.br', gzip: '.gz', identity: '' };
const TYPES: Record<string, string> = { '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8' };

export interface AssetSource {
  /** The URL the file always had (still served, with a short cache). */
  url: string;
  file: string;
  /** Our own files; vendored ones ship minified. */
  minify: boolean;
}

interface Entry {
  source: AssetSource;
  type: string;
  hash: string;
  hashedUrl: string;
  mtimeMs: number;
  bodies: Partial<Record<Encoding, Buffer>>;
  plain?: Promise<void>;
  compressed?: Promise<void>;
}

export interface StaticAssets {
  /** The hashed URL of a file known by its old URL ('/js/app.js'); other URLs come back unchanged. */
  url(this: void, original: string): string;
  /** Serves hashed and old URLs of every known file; anything else goes on. */
  middleware: RequestHandler;
  /** Builds and compresses the files of these old URLs (all by default); resolves when they are cached. */
  warm(urls?: string[]): Promise<void>;
}

export interface StaticAssetOptions {
  sources: AssetSource[];
  cacheDir: string;
  /** Outside production a file edited while the server runs gets a new hash. */
  watch: boolean;
  /** Cache-Control of the old, unhashed URLs. */
  plainCacheControl: string;
}

/** The files of this app: public/css, public/js, htmx, the Ag Grid build the grids load and uPlot. */
export function appAssetSources(root: string): AssetSource[] {
  const own = (folder: string, ext: string) => fs.readdirSync(path.join(root, 'public', folder))
    .filter((name) => name.endsWith(ext))
    .map((name) => ({ url: `/${folder}/${name}`, file: path.join(root, 'public', folder, name), minify: true }));
  return [
    ...own('css', '.css'),
    ...own('js', '.js'),
    { url: '/vendor/htmx/htmx.min.js', file: path.join(root, 'node_modules/htmx.org/dist/htmx.min.js'), minify: false },
    { url: '/vendor/ag-grid/ag-grid-community.min.noStyle.js', file: path.join(root, 'node_modules/ag-grid-community/dist/ag-grid-community.min.noStyle.js'), minify: false },
    // uPlot for the insights charts: loaded by those pages only.
    { url: '/vendor/uplot/uPlot.iife.min.js', file: path.join(root, 'node_modules/uplot/dist/uPlot.iife.min.js'), minify: false },
    { url: '/vendor/uplot/uPlot.min.css', file: path.join(root, 'node_modules/uplot/dist/uPlot.min.css'), minify: false },
  ];
}

/** '/vendor/ag-grid/x.min.js' → '/assets/vendor/ag-grid/x.min.<hash>.js': the folder stays in the path for scripts that look for it. */
function hashedUrlOf(url: string, hash: string): string {
  const ext = path.posix.extname(url);
  return `/assets${url.slice(0, -ext.length)}.${hash}${ext}`;
}

function describe(source: AssetSource): Entry {
  const content = fs.readFileSync(source.file);
  const hash = crypto.createHash('sha256').update(`${BUILD_VERSION}\0${source.minify}\0`).update(content).digest('hex').slice(0, 12);
  return {
    source, hash, hashedUrl: hashedUrlOf(source.url, hash), mtimeMs: fs.statSync(source.file).mtimeMs,
    type: TYPES[path.extname(source.file)] ?? 'application/octet-stream', bodies: {},
  };
}

async function readCached(file: string): Promise<Buffer | undefined> {
  try {
    return await fs.promises.readFile(file);
  } catch {
    return undefined;
  }
}

/** Written under a temporary name then renamed: test files building the same asset in parallel never read half a file. */
async function writeCached(file: string, body: Buffer): Promise<void> {
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  try {
    await fs.promises.mkdir(path.dirname(file), { recursive: true });
    await fs.promises.writeFile(tmp, body);
    await fs.promises.rename(tmp, file);
  } catch {
    // A read-only install still serves the files, built in memory at each start.
    await fs.promises.rm(tmp, { force: true });
  }
}

async function minified(entry: Entry): Promise<Buffer> {
  const content = await fs.promises.readFile(entry.source.file);
  const loader = path.extname(entry.source.file) === '.css' ? 'css' : 'js';
  const result = await transform(content.toString('utf8'), { loader, minify: true, target: 'es2020', legalComments: 'none' });
  return Buffer.from(result.code);
}

function compress(encoding: 'br' | 'gzip', body: Buffer): Promise<Buffer> {
  return encoding === 'br'
    ? brotli(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length } })
    : gzip(body, { level: 9 });
}

export function createStaticAssets(options: StaticAssetOptions): StaticAssets {
  const byUrl = new Map<string, Entry>();
  const byHashedUrl = new Map<string, Entry>();
  const add = (entry: Entry) => {
    byUrl.set(entry.source.url, entry);
    byHashedUrl.set(entry.hashedUrl, entry);
  };
  for (const source of options.sources) add(describe(source));

  const cachePath = (entry: Entry, encoding: Encoding) =>
    path.join(options.cacheDir, `${entry.hash}-${path.basename(entry.source.file)}${SUFFIX[encoding]}`);

  /** The entry for an old URL, described again if its file changed (development only). */
  function current(url: string): Entry | undefined {
    const entry = byUrl.get(url);
    if (!entry || !options.watch) return entry;
    let mtimeMs: number;
    try {
      mtimeMs = fs.statSync(entry.source.file).mtimeMs;
    } catch {
      return entry;
    }
    if (mtimeMs === entry.mtimeMs) return entry;
    byHashedUrl.delete(entry.hashedUrl);
    const fresh = describe(entry.source);
    add(fresh);
    return fresh;
  }

  function plain(entry: Entry): Promise<void> {
    entry.plain ??= (async () => {
      if (!entry.source.minify) {
        entry.bodies.identity = await fs.promises.readFile(entry.source.file);
        return;
      }
      const file = cachePath(entry, 'identity');
      let body = await readCached(file);
      if (!body) {
        body = await minified(entry);
        await writeCached(file, body);
      }
      entry.bodies.identity = body;
    })();
    entry.plain.catch(() => { entry.plain = undefined; });
    return entry.plain;
  }

  function compressed(entry: Entry): Promise<void> {
    entry.compressed ??= (async () => {
      await plain(entry);
      const source = entry.bodies.identity!;
      for (const encoding of ['br', 'gzip'] as const) {
        const file = cachePath(entry, encoding);
        let body = await readCached(file);
        if (!body) {
          body = await compress(encoding, source);
          await writeCached(file, body);
        }
        entry.bodies[encoding] = body;
      }
    })();
    entry.compressed.catch(() => { entry.compressed = undefined; });
    return entry.compressed;
  }

  function encodingFor(req: Request, entry: Entry): Encoding {
    if (entry.bodies.br && req.acceptsEncodings('br') === 'br') return 'br';
    if (entry.bodies.gzip && req.acceptsEncodings('gzip') === 'gzip') return 'gzip';
    return 'identity';
  }

  const middleware: RequestHandler = async (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const hashed = byHashedUrl.get(req.path);
    const entry = hashed ?? current(req.path);
    if (!entry) return next();
    await plain(entry);
    // Compressing in the background: this response and the next ones use what is ready.
    compressed(entry).catch((err: unknown) => req.log?.warn({ err, asset: entry.source.url }, 'asset compression failed'));

    const encoding = encodingFor(req, entry);
    const body = entry.bodies[encoding]!;
    res.set({
      'Content-Type': entry.type,
      'Cache-Control': hashed ? IMMUTABLE : options.plainCacheControl,
      Vary: 'Accept-Encoding',
      // One tag per encoding: the bytes differ, so a cache must not mix them up.
      ETag: `"${entry.hash}${encoding === 'identity' ? '' : `-${encoding}`}"`,
    });
    if (encoding !== 'identity') res.set('Content-Encoding', encoding);
    if (req.fresh) {
      res.status(304).end();
      return;
    }
    res.set('Content-Length', String(body.length));
    if (req.method === 'HEAD') res.end();
    else res.end(body);
  };

  const url = (original: string): string => current(original)?.hashedUrl ?? original;

  async function warm(urls?: string[]): Promise<void> {
    const entries = urls ? urls.map((u) => current(u)).filter((e) => e !== undefined) : [...byUrl.values()];
    // One at a time: start-up on a shared machine should not take every core.
    for (const entry of entries) await compressed(entry);
  }

  return { url, middleware, warm };
}
