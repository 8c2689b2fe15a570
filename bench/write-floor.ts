// The write floor: what Express 5 plus one transaction inserting one row under the same
// kind of constraint as a booking (a GiST exclusion on a person's time range, like
// calendar_claims) costs on this machine. The booking scenario is compared to it.
import express from 'express';
import pg from 'pg';
import { listen, type Listening } from './floor.ts';

const PEOPLE = 500;
const BASE = '2030-01-07T08:00:00Z';

export async function startWriteFloor(databaseUrl: string): Promise<Listening> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  pool.on('error', (error: Error & { code?: string }) => {
    if (error.code !== '57P01') console.error(`write floor pool: idle client error: ${error.message}`);
  });
  // btree_gist is there already: the app's migrations need it for calendar_claims.
  await pool.query(`
    create table if not exists bench_write_floor (
      id bigserial primary key,
      person_id uuid not null,
      during tstzrange not null,
      created_at timestamptz not null default now(),
      exclude using gist (person_id with =, during with &&)
    )`);
  await pool.query('truncate bench_write_floor');
  // Distinct ranges: request n takes hour n of person n % PEOPLE, so nothing conflicts.
  let n = 0;
  const app = express();
  app.disable('x-powered-by');
  app.post('/', async (_req, res) => {
    const i = n++;
    const client = await pool.connect();
    try {
      await client.query('begin');
      const { rows } = await client.query<{ id: string }>(
        `insert into bench_write_floor (person_id, during)
         values (md5('floor' || $1::int)::uuid, tstzrange($3::timestamptz + make_interval(hours => $2::int), $3::timestamptz + make_interval(hours => $2::int + 1)))
         returning id`,
        [i % PEOPLE, Math.floor(i / PEOPLE), BASE],
      );
      await client.query('commit');
      res.status(201).json({ id: rows[0]!.id });
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      res.status(500).json({ error: String(error) });
    } finally {
      client.release();
    }
  });
  return listen(app, () => pool.end());
}
