import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DatabaseStartError, NOT_INSTALLED_MESSAGE, startEmbeddedPostgres, type ImportEmbeddedPostgres } from './embedded-postgres.ts';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'leboncours-orphan-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('embedded PostgreSQL left behind by a killed run', () => {
  it('tells a command that frees the folder at once: a fast shutdown, with the real pg_ctl path', async () => {
    // A live pid in postmaster.pid is what an orphaned postmaster leaves: this process stands in for it.
    fs.mkdirSync(path.join(dataDir, 'pg'), { recursive: true });
    fs.writeFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), `${process.pid}\n${dataDir}/pg\n`);
    const error = await startEmbeddedPostgres({ dataDir, port: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseStartError);
    const message = (error as Error).message;
    expect(message).toContain(`kill -INT ${process.pid}`);
    expect(message).not.toMatch(new RegExp(`"kill ${process.pid}"`));
    const pgCtl = /(\S+pg_ctl) -D (\S+) stop -m fast/.exec(message);
    expect(pgCtl?.[2]).toBe(path.join(dataDir, 'pg'));
    expect(fs.statSync(pgCtl![1]!).mode & 0o111).toBeTruthy(); // a binary that exists and runs
  });
});

describe('an image built without the optional embedded-postgres package', () => {
  it('fails with one sentence asking for DATABASE_URL, before touching the data folder', async () => {
    const folder = path.join(dataDir, 'never-created');
    // A real failed resolution by Node, of a package that is not installed, as in the slim image.
    const missing = () => import(/* @vite-ignore */ ['embedded-postgres', 'absent'].join('-')) as ReturnType<ImportEmbeddedPostgres>;
    const error = await startEmbeddedPostgres({ dataDir: folder, port: 1, importPackage: missing }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseStartError);
    expect((error as Error).message).toBe(NOT_INSTALLED_MESSAGE);
    expect(NOT_INSTALLED_MESSAGE).toMatch(/^embedded PostgreSQL is not installed in this image: set DATABASE_URL/);
    expect(fs.existsSync(folder)).toBe(false);
  });

  it('lets any other import failure through as it is', async () => {
    const broken = new Error('libicuuc.so.60: cannot open shared object file');
    const error = await startEmbeddedPostgres({ dataDir, port: 1, importPackage: () => Promise.reject(broken) }).catch((e: unknown) => e);
    expect(error).toBe(broken);
  });
});
