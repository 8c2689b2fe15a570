// The admin's user list: paged, sorted and filtered in SQL over a whitelist, and
// account disabling (which also ends every session of that user).
import type { Knex } from 'knex';
import { z } from 'zod';
import type { Clock } from '../lib/clock.ts';
import { BadRequestError, NotFoundError } from '../lib/errors.ts';

const SORTABLE = { displayName: 'display_name', email: 'email', username: 'username', role: 'role', createdAt: 'created_at', lastLoginAt: 'last_login_at' } as const;
type SortColumn = keyof typeof SORTABLE;

const sortModel = z.array(z.object({ colId: z.string(), sort: z.enum(['asc', 'desc']) })).max(3);

export interface UserQuery {
  startRow: number;
  endRow: number;
  sort: { column: SortColumn; dir: 'asc' | 'desc' }[];
  quickFilter?: string;
  role?: 'student' | 'mentor';
  state?: 'active' | 'disabled';
}

const bad = (field: string) => new BadRequestError('admin.badParam', { field });

export function parseUserQuery(query: Record<string, unknown>): UserQuery {
  const int = (field: string, fallback: number) => {
    const raw = query[field];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (typeof raw !== 'string' || !Number.isInteger(n) || n < 0 || n > 1_000_000) throw bad(field);
    return n;
  };
  const startRow = int('startRow', 0);
  const endRow = int('endRow', startRow + 100);
  if (endRow < startRow || endRow - startRow > 500) throw bad('endRow');
  let sort: UserQuery['sort'] = [];
  if (typeof query.sortModel === 'string' && query.sortModel) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(query.sortModel);
    } catch {
      throw bad('sortModel');
    }
    const model = sortModel.safeParse(parsed);
    if (!model.success) throw bad('sortModel');
    sort = model.data.map((s) => {
      if (!(s.colId in SORTABLE)) throw bad(`sortModel.${s.colId}`);
      return { column: s.colId as SortColumn, dir: s.sort };
    });
  }
  const text = (field: string) => (typeof query[field] === 'string' && query[field] !== '' ? (query[field] as string) : undefined);
  const quickFilter = text('quickFilter');
  if (quickFilter && quickFilter.length > 100) throw bad('quickFilter');
  const role = text('role');
  if (role && role !== 'student' && role !== 'mentor') throw bad('role');
  const state = text('state');
  if (state && state !== 'active' && state !== 'disabled') throw bad('state');
  return { startRow, endRow, sort, quickFilter, role: role as UserQuery['role'], state: state as UserQuery['state'] };
}

export function adminUsersService(deps: { knex: Knex; clock: Clock }) {
  const { knex } = deps;

  function filtered(q: UserQuery) {
    const query = knex('users');
    if (q.role) query.where('role', q.role);
    if (q.state === 'disabled') query.whereNotNull('disabledAt');
    if (q.state === 'active') query.whereNull('disabledAt');
    if (q.quickFilter) {
      const like = `%${q.quickFilter.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      query.where((w) => w.whereRaw('immutable_unaccent(lower(display_name)) like immutable_unaccent(lower(?))', [like])
        .orWhereRaw('email::text ilike ?', [like]).orWhereRaw('username::text ilike ?', [like]));
    }
    return query;
  }

  async function list(q: UserQuery) {
    const rowsQuery = filtered(q).select('id', 'displayName', 'email', 'username', 'role', 'city', 'createdAt', 'lastLoginAt', 'disabledAt');
    for (const s of q.sort) rowsQuery.orderByRaw(`${SORTABLE[s.column]} ${s.dir} nulls last`);
    if (!q.sort.length) rowsQuery.orderBy('createdAt', 'desc');
    rowsQuery.orderBy('id').offset(q.startRow).limit(q.endRow - q.startRow);
    const [rows, count] = await Promise.all([rowsQuery, filtered(q).count({ n: '*' }).first()]);
    return { rows, lastRow: Number((count as { n: number }).n) };
  }

  /** Disabling ends the user's sessions at once; their public pages disappear. */
  async function setDisabled(id: string, disabled: boolean): Promise<void> {
    await knex.transaction(async (trx) => {
      const n = await trx('users').where({ id }).update({ disabledAt: disabled ? deps.clock.now() : null, updatedAt: deps.clock.now() });
      if (!n) throw new NotFoundError();
      if (disabled) await trx('sessions').whereRaw(`sess->>'userId' = ?`, [id]).del();
    });
  }

  return { list, setDisabled };
}
