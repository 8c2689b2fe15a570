// The write floor: what Express 5 plus one transaction inserting a row under a GiST
// exclusion constraint of calendar_claims' shape (person + tstzrange, `with =` and
// `with &&`) costs on this machine. The booking POST is compared to it: the app can
// only approach this, since every booking must pass the same kind of constraint check.
import crypto from 'node:crypto';
import express from 'express';
import pg from 'pg';
import { listen, type Listening } from './floor.ts';

const TABLE = 'bench_write_floor';
const PEOPLE = 50;

/**
 * Listens on 127.0.0.1; each POST / runs BEGIN, one INSERT, COMMIT on a pool of 10 (the
 * app's knex pool size) and answers 303 like the booking form. Ranges come from a
 * counter, so they never overlap and every insert passes the constraint check.
 */
export async function startWriteFloor(databaseUrl: string): Promise<Listening> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  pool.on('error', (error: Error & { code?: string }) => {
    // 57P01: the bench is stopping PostgreSQL while this pool's clients are still ending.
    if (error.code !== '57P01') console.error(`write floor pool: idle client error: ${error.message}`);
  });
  await pool.query('create extension if not exists btree_gist');
  // Recreated on each start: a run must not inherit a big table from the one before.
  await pool.query(`drop table if exists ${TABLE}`);
  await pool.query(`
    create table ${TABLE} (
      id bigserial primary key,
      user_id uuid not null,
      during tstzrange not null,
      constraint ${TABLE}_no_overlap exclude using gist (user_id with =, during with &&)
    )`);
  const people = Array.from({ length: PEOPLE }, () => crypto.randomUUID());
  const origin = Date.UTC(2030, 0, 1);
  let n = 0;
  // Requests still running when the load stops must end before the table goes.
  const running = new Set<Promise<unknown>>();

  const app = express();
  app.disable('x-powered-by');
  async function insert(i: number): Promise<void> {
    const start = new Date(origin + i * 3_600_000);
    const client = await pool.connect();
    try {
      await client.query('begin');
      await client.query(`insert into ${TABLE} (user_id, during) values ($1, tstzrange($2, $3))`, [people[i % PEOPLE], start, new Date(start.getTime() + 3_600_000)]);
      await client.query('commit');
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
  app.post('/', async (_req, res) => {
    const i = n++;
    const work = insert(i);
    running.add(work);
    try {
      await work;
    } finally {
      running.delete(work);
    }
    res.redirect(303, `/done/${i}`);
  });
  return listen(app, async () => {
    await Promise.allSettled([...running]);
    await pool.query(`drop table if exists ${TABLE}`);
    await pool.end();
  });
}
