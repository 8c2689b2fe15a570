// Keyset ("cursor") pagination for the public API's lists. A page starts after the last
// row the client saw, by (sort key, id), so rows inserted meanwhile neither repeat nor
// hide others, as numbered pages (offsets) would. The cursor is opaque to clients:
// base64url of [order name, last key as text, last id].
import type { QueryBuilder, Model } from 'objection';
import { FieldRuleError } from './errors.ts';

/** A cursor that is not one of ours, or one of another sort order. */
export class BadCursorError extends FieldRuleError {
  readonly code = 'bad_cursor';
  constructor() {
    super('cursor', 'validation.format');
  }
}

export interface KeysetOrder {
  /** Carried in the cursor: a cursor of another order is refused. */
  name: string;
  /** SQL of the sort key (with `?` bindings). */
  expr: string;
  bindings?: unknown[];
  dir: 'asc' | 'desc';
  /** How the key reads back from its text form. */
  type: 'timestamptz' | 'integer' | 'real';
  /** The unique tie-breaker, ascending unless `idDir` says otherwise. */
  id: string;
  idDir?: 'asc' | 'desc';
}

export interface KeysetPage<T> {
  items: T[];
  nextCursor: string | null;
}

// The key travels as text so nothing is rounded on the way (timestamps keep their
// microseconds, a real rank its exact value).
const KEY_TEXT: Record<KeysetOrder['type'], (expr: string) => string> = {
  timestamptz: (e) => `to_char((${e}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
  integer: (e) => `(${e})::text`,
  real: (e) => `(${e})::text`,
};
const KEY_FORMAT: Record<KeysetOrder['type'], RegExp> = {
  timestamptz: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/,
  integer: /^-?\d{1,18}$/,
  real: /^-?(\d+(\.\d+)?(e[+-]?\d+)?|NaN|Infinity)$/i,
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function encodeCursor(order: string, key: string, id: string): string {
  return Buffer.from(JSON.stringify([order, key, id])).toString('base64url');
}

function decodeCursor(order: KeysetOrder, cursor: string): { key: string; id: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new BadCursorError();
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) throw new BadCursorError();
  const [name, key, id] = parsed as unknown[];
  if (name !== order.name || typeof key !== 'string' || typeof id !== 'string' || !KEY_FORMAT[order.type].test(key) || !UUID.test(id)) throw new BadCursorError();
  return { key, id };
}

/**
 * Runs `query` (filters applied, no order or limit yet) for one page after `cursor`.
 * One extra row is read to know whether another page follows.
 */
export async function keysetPage<M extends Model>(query: QueryBuilder<M, M[]>, order: KeysetOrder, page: { limit: number; cursor?: string }): Promise<KeysetPage<M>> {
  const b = order.bindings ?? [];
  if (page.cursor) {
    const { key, id } = decodeCursor(order, page.cursor);
    const cmp = order.dir === 'desc' ? '<' : '>';
    const idCmp = order.idDir === 'desc' ? '<' : '>';
    query.whereRaw(`((${order.expr}) ${cmp} ?::${order.type} or ((${order.expr}) = ?::${order.type} and ${order.id} ${idCmp} ?))`, [...b, key, ...b, key, id]);
  }
  const rows = await query
    .select(query.modelClass().raw(`${KEY_TEXT[order.type](order.expr)} as keyset_key`, b))
    .orderByRaw(`(${order.expr}) ${order.dir}`, b).orderBy(order.id, order.idDir ?? 'asc')
    .limit(page.limit + 1);
  const more = rows.length > page.limit;
  const items = rows.slice(0, page.limit);
  const last = items.at(-1) as (M & { keysetKey?: string; keyset_key?: string; id: string }) | undefined;
  const key = last?.keysetKey ?? last?.keyset_key;
  for (const row of items) {
    delete (row as { keysetKey?: string }).keysetKey;
    delete (row as { keyset_key?: string }).keyset_key;
  }
  return { items, nextCursor: more && last && key !== undefined ? encodeCursor(order.name, key, last.id) : null };
}
