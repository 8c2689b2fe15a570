// Named statements on a real PostgreSQL: what the server holds per connection, the cap,
// and a statement whose result columns change under it (a rolling deploy's migration).
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/helpers/db.ts';
import { createKnex } from './knex.ts';
import { prepareStatements } from './prepared-statements.ts';

const database = await createTestDatabase();
const clients: pg.Client[] = [];

async function client(max?: number): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: database.url });
  await c.connect();
  prepareStatements(c, max);
  clients.push(c);
  return c;
}

const held = async (c: pg.Client) =>
  (await c.query<{ statement: string }>('select statement from pg_prepared_statements order by prepare_time')).rows.map((r) => r.statement);

beforeAll(async () => {
  const c = new pg.Client({ connectionString: database.url });
  await c.connect();
  await c.query('create table widgets (id int primary key, label text)');
  await c.query("insert into widgets values (1, 'one'), (2, 'two')");
  await c.end();
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.end()));
  await database.drop();
});

describe('prepared statements', () => {
  it('prepares each parameterised text once per connection, in every calling form', async () => {
    const c = await client();
    const text = 'select label from widgets where id = $1';
    expect((await c.query(text, [1])).rows).toEqual([{ label: 'one' }]);
    expect((await c.query({ text, values: [2] })).rows).toEqual([{ label: 'two' }]);
    const viaCallback = await new Promise((resolve, reject) => {
      c.query(text, [1], (err, result) => (err ? reject(err) : resolve(result.rows)));
    });
    expect(viaCallback).toEqual([{ label: 'one' }]);
    expect((await c.query('select id from widgets where label = $1', ['two'])).rows).toEqual([{ id: 2 }]);
    expect(await held(c)).toEqual([text, 'select id from widgets where label = $1']);
  });

  it('leaves queries without values on the simple protocol: several statements still run', async () => {
    const c = await client();
    await c.query('select 1; select 2');
    await c.query({ text: 'select count(*) from widgets', values: [] });
    expect(await held(c)).toEqual([]);
  });

  it('stops naming at the cap: later texts run unnamed and still answer', async () => {
    const c = await client(2);
    for (const n of [1, 2, 3, 4]) expect((await c.query(`select $1::int + ${n} as v`, [1])).rows).toEqual([{ v: 1 + n }]);
    expect(await held(c)).toEqual(['select $1::int + 1 as v', 'select $1::int + 2 as v']);
  });

  it('keeps a given name of its own: the caller manages that statement', async () => {
    const c = await client();
    await c.query({ name: 'mine', text: 'select $1::text as v', values: ['x'] });
    expect(await held(c)).toEqual(['select $1::text as v']);
    expect((await c.query<{ name: string }>('select name from pg_prepared_statements')).rows).toEqual([{ name: 'mine' }]);
  });

  it('survives a column added under a prepared `*`: re-run outside a transaction, fresh after a rollback inside one', async () => {
    const reader = await client();
    const other = await client();
    const text = 'select * from widgets where id = $1';
    expect((await reader.query(text, [1])).rows).toEqual([{ id: 1, label: 'one' }]);
    await other.query('alter table widgets add column colour text');
    expect((await reader.query(text, [1])).rows).toEqual([{ id: 1, label: 'one', colour: null }]);

    await other.query('alter table widgets add column size int');
    await reader.query('begin');
    await expect(reader.query(text, [2])).rejects.toMatchObject({ code: '0A000' });
    await reader.query('rollback');
    await reader.query('begin');
    expect((await reader.query(text, [2])).rows).toEqual([{ id: 2, label: 'two', colour: null, size: null }]);
    await reader.query('commit');
  });

  it('comes with knex on a direct connection, not through a pooler', async () => {
    const direct = createKnex(database.url, 1);
    const pooled = createKnex(database.url, 1, { pooled: true });
    try {
      for (const knex of [direct, pooled]) {
        await knex.transaction(async (trx) => {
          await trx('widgets').where({ id: 1 }).first('label');
          const { rows } = await trx.raw('select count(*)::int as n from pg_prepared_statements');
          expect(rows[0].n).toBe(knex === direct ? 1 : 0);
        });
      }
    } finally {
      await Promise.all([direct.destroy(), pooled.destroy()]);
    }
  });
});
