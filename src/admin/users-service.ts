// The admin's user list: paged, sorted and filtered in SQL over a whitelist, and
// account disabling (which also ends every session of that user).
import type { Knex } from 'knex';
import type { Clock } from '../lib/clock.ts';
import { NotFoundError } from '../lib/errors.ts';
import { escapeLike, parseBlock, parseChoice, parseQuickFilter, parseSortModel, type SortKey } from '../lib/grid-request.ts';

const SORTABLE = { displayName: 'display_name', email: 'email', username: 'username', role: 'role', createdAt: 'created_at', lastLoginAt: 'last_login_at' } as const;
type SortColumn = keyof typeof SORTABLE;

const SORT_COLUMNS = Object.keys(SORTABLE) as SortColumn[];
const ROLES = ['student', 'mentor'] as const;
const STATES = ['active', 'disabled'] as const;

export interface UserQuery {
  startRow: number;
  endRow: number;
  sort: SortKey<SortColumn>[];
  quickFilter?: string;
  role?: (typeof ROLES)[number];
  state?: (typeof STATES)[number];
}

/** The users grid's query string, read by the same rules as every grid endpoint. */
export function parseUserQuery(query: Record<string, unknown>): UserQuery {
  return {
    ...parseBlock(query),
    sort: parseSortModel(query, SORT_COLUMNS),
    quickFilter: parseQuickFilter(query),
    role: parseChoice(query, 'role', ROLES),
    state: parseChoice(query, 'state', STATES),
  };
}

export function adminUsersService(deps: { knex: Knex; clock: Clock }) {
  const { knex } = deps;

  function filtered(q: UserQuery) {
    const query = knex('users');
    if (q.role) query.where('role', q.role);
    if (q.state === 'disabled') query.whereNotNull('disabledAt');
    if (q.state === 'active') query.whereNull('disabledAt');
    if (q.quickFilter) {
      const like = `%${escapeLike(q.quickFilter)}%`;
      query.where((w) => w.whereRaw('immutable_unaccent(lower(display_name)) like immutable_unaccent(lower(?))', [like])
        .orWhereRaw('email::text ilike ?', [like]).orWhereRaw('username::text ilike ?', [like]));
    }
    return query;
  }

  async function list(q: UserQuery) {
    const rowsQuery = filtered(q).select('id', 'displayName', 'email', 'username', 'role', 'city', 'createdAt', 'lastLoginAt', 'disabledAt');
    for (const s of q.sort) rowsQuery.orderByRaw(`${SORTABLE[s.col]} ${s.dir} nulls last`);
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
