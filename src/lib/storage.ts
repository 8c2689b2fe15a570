// Storage port: where uploaded files live. Local disk now (under UPLOAD_DIR); an
// S3-compatible implementation can stand behind the same interface later.
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';

export interface StoredFile {
  stream: Readable;
  size: number;
}

export interface Storage {
  put(key: string, body: Buffer): Promise<void>;
  get(key: string): Promise<StoredFile | undefined>;
  delete(key: string): Promise<void>;
}

const SAFE_KEY = /^[a-z0-9-]+(\/[a-z0-9-]+)*\.[a-z0-9]{2,5}$/;

export function createLocalStorage(root: string): Storage {
  const resolve = (key: string) => {
    // Keys are made by the server, never from user file names; still, refuse anything
    // that could step outside the root.
    if (!SAFE_KEY.test(key)) throw new Error(`unsafe storage key: ${key}`);
    return path.join(root, key);
  };
  return {
    async put(key, body) {
      const file = resolve(key);
      await fs.promises.mkdir(path.dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      await fs.promises.writeFile(tmp, body);
      await fs.promises.rename(tmp, file); // readers never see half a file
    },
    async get(key) {
      if (!SAFE_KEY.test(key)) return undefined;
      const file = resolve(key);
      try {
        const stat = await fs.promises.stat(file);
        return { stream: fs.createReadStream(file), size: stat.size };
      } catch {
        return undefined;
      }
    },
    async delete(key) {
      await fs.promises.rm(resolve(key), { force: true });
    },
  };
}
