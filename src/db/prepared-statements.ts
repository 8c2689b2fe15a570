// Parameterised statements run as named (prepared) ones on a connection of our own.
// PostgreSQL then parses each text once per connection, and after five runs may keep
// one generic plan for it instead of planning every call: on the bench's mentor
// dashboard the server's CPU per page went from 5.0 to 2.6 ms, the student's from
// 3.6 to 1.5 ms. Only on a direct connection: PgBouncer 1.18 (Debian 12) in transaction
// mode hands the next statement to another server connection, where the name is unknown.
import type pg from 'pg';

/**
 * Names handed out per connection, at most: each one holds a parsed statement (and its
 * plan) in that server process. Texts past the cap run unnamed, as before.
 */
export const MAX_PREPARED_PER_CONNECTION = 300;

// Raised when a prepared statement's result columns changed under it (a column added to
// a table it reads with `*`, as a rolling deploy's migration does): feature_not_supported.
const RESULT_TYPE_CHANGED = 'cached plan must not change result type';

type Callback = (err: Error | null, result?: unknown) => void;
interface NamedConfig { text: string; values: unknown[]; name: string; [key: string]: unknown }

/**
 * Wraps this client's `query` so that a query with a text and at least one value runs
 * under a name given once per distinct text. Queries without values (migrations,
 * `begin`, several statements in one text) keep the simple protocol: they cannot be prepared.
 */
export function prepareStatements(client: pg.Client, max = MAX_PREPARED_PER_CONNECTION): void {
  const names = new Map<string, string>();
  let issued = 0;
  const query = client.query.bind(client) as (config: unknown, ...rest: unknown[]) => unknown;

  const nameFor = (text: string): string | undefined => {
    const known = names.get(text);
    if (known !== undefined || issued >= max) return known;
    const name = `lbc_${++issued}`;
    names.set(text, name);
    return name;
  };

  const run = (config: NamedConfig, callback: Callback): void => {
    query(config, (err: (Error & { code?: string }) | null, result?: unknown) => {
      if (err?.code === '0A000' && err.message.includes(RESULT_TYPE_CHANGED)) {
        // The old statement stays on the server under its name; the text gets a fresh one.
        names.delete(config.text);
        const fresh = nameFor(config.text);
        // Outside a transaction nothing ran: the same query again is safe. Inside one the
        // transaction is aborted and its owner must roll back; the next try gets the fresh name.
        if (client.getTransactionStatus() === 'I') return query({ ...config, name: fresh }, callback);
      }
      callback(err, result);
    });
  };

  client.query = function prepared(this: unknown, first: unknown, second?: unknown, third?: unknown): unknown {
    const config = namedConfig(first, second, nameFor);
    if (!config) return query(first, ...[second, third].filter((a) => a !== undefined));
    const callback = [second, third].find((a): a is Callback => typeof a === 'function');
    if (callback) return run(config, callback);
    return new Promise((resolve, reject) => run(config, (err, result) => (err ? reject(err) : resolve(result))));
  } as typeof client.query;
}

/** The query as a named config, or undefined when it must run as it came. */
function namedConfig(first: unknown, second: unknown, nameFor: (text: string) => string | undefined): NamedConfig | undefined {
  let config: Record<string, unknown>;
  if (typeof first === 'string') {
    if (!Array.isArray(second)) return undefined;
    config = { text: first, values: second };
  } else if (first && typeof first === 'object' && typeof (first as { submit?: unknown }).submit !== 'function') {
    config = { ...(first as Record<string, unknown>) };
    if (Array.isArray(second)) config.values = second;
  } else {
    return undefined; // a Submittable (a cursor, a stream) drives the protocol itself
  }
  const { text, values, name } = config;
  if (typeof text !== 'string' || name !== undefined || !Array.isArray(values) || values.length === 0) return undefined;
  const given = nameFor(text);
  return given === undefined ? undefined : { ...config, text, values, name: given };
}
