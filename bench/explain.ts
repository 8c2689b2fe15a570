// EXPLAIN (ANALYZE, BUFFERS) of the SQL the app really sends: the queries of one
// request are captured from knex's 'query' event (already in $n form with their
// bindings) and explained on the bench database, so the plans cannot drift from the
// services the way a hand-copied query would.
import type { Knex } from 'knex';
import type pg from 'pg';

export interface CapturedQuery {
  sql: string;
  bindings: unknown[];
}

export interface Explained {
  title: string;
  sql: string;
  bindings: unknown[];
  plan: string;
  executionMs: number | undefined;
}

/** Every query knex sends while `action` runs (nothing else should be running). */
export async function captureQueries(knex: Knex, action: () => Promise<unknown>): Promise<CapturedQuery[]> {
  const seen: CapturedQuery[] = [];
  const onQuery = (q: { sql: string; bindings?: unknown[] }) => seen.push({ sql: q.sql, bindings: q.bindings ?? [] });
  knex.on('query', onQuery);
  try {
    await action();
  } finally {
    knex.removeListener('query', onQuery);
  }
  return seen;
}

/** `pool`: a pool, or a client inside a transaction (to explain under `set local …`). */
export async function explain(pool: pg.Pool | pg.PoolClient, title: string, query: CapturedQuery): Promise<Explained> {
  const { rows } = await pool.query<{ 'QUERY PLAN': string }>({ text: `explain (analyze, buffers) ${query.sql}`, values: query.bindings });
  const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
  const ms = /Execution Time: ([\d.]+) ms/.exec(plan)?.[1];
  return { title, sql: formatSql(query.sql), bindings: query.bindings, plan, executionMs: ms ? Number(ms) : undefined };
}

const BREAK_BEFORE = /^(select|from|where|inner join|left join|order by|group by|limit|offset|union)\b/i;
const BREAK_BEFORE_NESTED = /^(and|or)\b/i;

/** One clause a line, AND/OR of the outer levels indented: enough to read a plan beside it. */
export function formatSql(sql: string): string {
  let out = '';
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i]!;
    if (quote) {
      out += c;
      if (c === quote) quote = undefined;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ' ' && depth <= 2) {
      const rest = sql.slice(i + 1, i + 12);
      if (depth === 0 && BREAK_BEFORE.test(rest)) {
        out += '\n';
        continue;
      }
      if (BREAK_BEFORE_NESTED.test(rest)) {
        out += `\n${'  '.repeat(depth + 1)}`;
        continue;
      }
    }
    out += c;
  }
  return out;
}

/** The bindings inlined as literals, for a reader who wants to paste the query into psql. */
export function describeBindings(bindings: unknown[]): string {
  return bindings
    .map((b, i) => `$${i + 1} = ${b instanceof Date ? `'${b.toISOString()}'` : typeof b === 'string' ? `'${b}'` : JSON.stringify(b)}`)
    .join(', ');
}
