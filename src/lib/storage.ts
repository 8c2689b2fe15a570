// Storage port: where uploaded files live. Local disk (under UPLOAD_DIR) or an
// S3-compatible bucket (src/lib/s3-storage.ts) behind the same interface. Private
// files (lesson videos, resources) are never served by key alone: callers ask for a
// URL that is valid for a limited time (`url`).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { systemClock, type Clock } from './clock.ts';
import { PUBLIC_VIDEO_TTL_SECONDS, safeDownloadName, signFilePath } from './signed-urls.ts';

export interface StoredFile {
  stream: Readable;
  size: number;
}

export interface UrlOptions {
  /** How long the URL works, from now. */
  expiresInSeconds: number;
  /** Served as an attachment with this name (made ASCII-safe, the key's extension added). */
  downloadName?: string;
  /** Response Content-Type (S3 only; local files are typed by their extension). */
  contentType?: string;
}

export interface Storage {
  put(key: string, body: Buffer): Promise<void>;
  get(key: string): Promise<StoredFile | undefined>;
  delete(key: string): Promise<void>;
  /** A URL that serves the file until it expires: absolute for S3, app-relative for local disk. */
  url(key: string, options: UrlOptions): Promise<string>;
}

/** Local disk also serves byte ranges itself (GET /files/*, src/media/files.ts). */
export interface LocalStorage extends Storage {
  readonly kind: 'local';
  stat(key: string): Promise<{ size: number } | undefined>;
  /** Bytes start..end, both inclusive (as in a Range header). */
  getRange(key: string, start: number, end: number): Promise<Readable | undefined>;
}

export function isLocalStorage(storage: Storage): storage is LocalStorage {
  return (storage as Partial<LocalStorage>).kind === 'local';
}

/** Server-made keys only: lowercase folders and a name, one extension. No `..`, no leading `/`. */
const SAFE_KEY = /^[a-z0-9-]+(\/[a-z0-9-]+)*\.[a-z0-9]{2,5}$/;

export function isSafeKey(key: string): boolean {
  return SAFE_KEY.test(key);
}

/** A new random key in `folder`, e.g. newStorageKey('lessons', 'mp4') → lessons/<uuid>.mp4. */
export function newStorageKey(folder: string, extension: string): string {
  const key = `${folder}/${crypto.randomUUID()}.${extension.toLowerCase()}`;
  if (!isSafeKey(key)) throw new Error(`unsafe storage key: ${key}`);
  return key;
}

const CONTENT_TYPES: Record<string, string> = {
  mp4: 'video/mp4',
  m4v: 'video/mp4',
  webm: 'video/webm',
  mov: 'video/quicktime',
  pdf: 'application/pdf',
  zip: 'application/zip',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  odp: 'application/vnd.oasis.opendocument.presentation',
  key: 'application/vnd.apple.keynote',
};

/** Content-Type from the key's extension; anything unknown (html, svg...) is opaque bytes. */
export function contentTypeForKey(key: string): string {
  const ext = key.slice(key.lastIndexOf('.') + 1).toLowerCase();
  return CONTENT_TYPES[ext] ?? 'application/octet-stream';
}

export interface LocalStorageOptions {
  /** HMAC key of the /files URLs; without it `url` throws. */
  signingSecret?: string;
  clock?: Clock;
}

export function createLocalStorage(root: string, options: LocalStorageOptions = {}): LocalStorage {
  const clock = options.clock ?? systemClock;
  const resolve = (key: string) => {
    // Keys are made by the server, never from user file names; still, refuse anything
    // that could step outside the root.
    if (!isSafeKey(key)) throw new Error(`unsafe storage key: ${key}`);
    return path.join(root, key);
  };
  const stat = async (key: string) => {
    if (!isSafeKey(key)) return undefined;
    try {
      const s = await fs.promises.stat(resolve(key));
      return s.isFile() ? { size: s.size } : undefined;
    } catch {
      return undefined;
    }
  };
  return {
    kind: 'local',
    async put(key, body) {
      const file = resolve(key);
      await fs.promises.mkdir(path.dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
      await fs.promises.writeFile(tmp, body);
      await fs.promises.rename(tmp, file); // readers never see half a file
    },
    async get(key) {
      const s = await stat(key);
      return s && { stream: fs.createReadStream(resolve(key)), size: s.size };
    },
    stat,
    async getRange(key, start, end) {
      const s = await stat(key);
      if (!s || start < 0 || end < start || end >= s.size) return undefined;
      return fs.createReadStream(resolve(key), { start, end });
    },
    async delete(key) {
      await fs.promises.rm(resolve(key), { force: true });
    },
    async url(key, { expiresInSeconds, downloadName }) {
      if (!options.signingSecret) throw new Error('local storage cannot sign URLs without a signing secret');
      if (!isSafeKey(key)) throw new Error(`unsafe storage key: ${key}`);
      const exp = Math.floor(clock.now().getTime() / 1000) + Math.ceil(expiresInSeconds);
      const dl = downloadName === undefined ? undefined : safeDownloadName(downloadName, key);
      return signFilePath(options.signingSecret, { key, exp, dl });
    },
  };
}

/** A URL for a video anyone may watch, valid one hour. */
export async function publicVideoUrl(storage: Storage, key: string): Promise<string> {
  return storage.url(key, { expiresInSeconds: PUBLIC_VIDEO_TTL_SECONDS });
}

/** The course page's intro video (courses.intro_video_key): plays for everyone, URL valid one hour. */
export async function introVideoUrl(storage: Storage, key: string): Promise<string> {
  return publicVideoUrl(storage, key);
}
