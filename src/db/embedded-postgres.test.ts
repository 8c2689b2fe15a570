import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DatabaseStartError, startEmbeddedPostgres } from './embedded-postgres.ts';

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
