// The SQL of a parsed grid request: scope, filters, order and count. Pure: nothing
// here runs a query; every value reaches PostgreSQL as a bound parameter.
import type { Knex } from 'knex';
import { escapeLike } from '../lib/grid-request.ts';
import { COLUMNS, QUICK_FILTER_COLUMNS, type ColumnFilter, type ColumnId, type ColumnSpec, type Condition, type GridActor, type GridRequest, type GridRole, type Join, type QuickColumn, type RangeOperator } from './grid-columns.ts';

// ---------------------------------------------------------------------------
// SQL

interface Fragment {
  sql: string;
  bindings: unknown[];
}

const folded = (sql: string) => `immutable_unaccent(lower(${sql}))`;
const COMPARE: Record<Exclude<RangeOperator, 'inRange'>, string> = { equals: '=', greaterThan: '>', lessThan: '<' };

function conditionSql(expr: string, c: Condition): Fragment {
  if (c.kind === 'text') {
    if (c.exact) return { sql: `${expr} = ?`, bindings: [c.value] };
    const contains = `${folded(expr)} like '%' || ${folded('?')} || '%'`;
    switch (c.op) {
      case 'contains': return { sql: contains, bindings: [escapeLike(c.value)] };
      case 'notContains': return { sql: `not (${contains})`, bindings: [escapeLike(c.value)] };
      case 'startsWith': return { sql: `${folded(expr)} like ${folded('?')} || '%'`, bindings: [escapeLike(c.value)] };
      case 'equals': return { sql: `${folded(expr)} = ${folded('?')}`, bindings: [c.value] };
    }
  }
  if (c.kind === 'number') {
    if (c.op === 'inRange') return { sql: `${expr} between ? and ?`, bindings: [c.value, c.to] };
    return { sql: `${expr} ${COMPARE[c.op]} ?`, bindings: [c.value] };
  }
  // Dates are whole days of the viewer's calendar; inRange includes both ends.
  switch (c.op) {
    case 'equals': return { sql: `(${expr} >= ? and ${expr} < ?)`, bindings: [c.dayStart, c.nextDay] };
    case 'greaterThan': return { sql: `${expr} >= ?`, bindings: [c.nextDay] };
    case 'lessThan': return { sql: `${expr} < ?`, bindings: [c.dayStart] };
    case 'inRange': return { sql: `(${expr} >= ? and ${expr} < ?)`, bindings: [c.dayStart, c.rangeEnd] };
  }
}

function filterSql(f: ColumnFilter): Fragment {
  const parts = f.conditions.map((c) => conditionSql(COLUMNS[f.col].sql, c));
  return { sql: `(${parts.map((p) => p.sql).join(` ${f.operator} `)})`, bindings: parts.flatMap((p) => p.bindings) };
}

/**
 * The quick filter: the other party's name and the skill title contain the text.
 * Mentors and students: tested on the joined row, at a cost bounded by their own
 * bookings (a few thousand at most). The admin: an OR across three joined tables cannot
 * be pushed below the joins, so PostgreSQL would unaccent every one of a million joined
 * rows (5 s measured); as `id in (select …)` each branch is a hashed subplan computed
 * once over users / skills, with their trigram indexes (5 ms for a block).
 */
const QUICK_SOURCES: Record<QuickColumn, string> = {
  studentName: `bookings.student_id in (select qu.id from users qu where ${folded('qu.display_name')} like '%' || ${folded('?')} || '%')`,
  mentorName: `bookings.mentor_id in (select qu.id from users qu where ${folded('qu.display_name')} like '%' || ${folded('?')} || '%')`,
  skillTitle: `bookings.skill_id in (select qs.id from skills qs where ${folded('qs.title')} like '%' || ${folded('?')} || '%')`,
};

function quickFilterSql(role: GridRole, value: string): Fragment {
  const branches = QUICK_FILTER_COLUMNS[role].map((c) => (role === 'admin' ? QUICK_SOURCES[c] : `${folded(COLUMNS[c].sql)} like '%' || ${folded('?')} || '%'`));
  return { sql: `(${branches.join(' or ')})`, bindings: branches.map(() => escapeLike(value)) };
}

function joinsFor(role: GridRole, req: GridRequest): Set<Join> {
  const joins = new Set<Join>();
  const need = (col: ColumnId) => {
    const j = (COLUMNS[col] as ColumnSpec).join;
    if (j) joins.add(j);
  };
  req.filters.forEach((f) => need(f.col));
  if (req.quickFilter && role !== 'admin') QUICK_FILTER_COLUMNS[role].forEach(need);
  return joins;
}

function addJoins(q: Knex.QueryBuilder, joins: Set<Join>): void {
  if (joins.has('skill')) q.join('skills', 'skills.id', 'bookings.skillId');
  if (joins.has('student')) q.join('users as student', 'student.id', 'bookings.studentId');
  if (joins.has('mentor')) q.join('users as mentor', 'mentor.id', 'bookings.mentorId');
}

/** The scope of the actor and the request's filters: shared by the page, the count and the export. */
function scoped(knex: Knex, actor: GridActor, req: GridRequest, joins: Set<Join>): Knex.QueryBuilder {
  const q = knex('bookings');
  addJoins(q, joins);
  if (actor.role === 'mentor') q.where('bookings.mentorId', actor.id);
  else if (actor.role === 'student') q.where('bookings.studentId', actor.id);
  if (req.statuses) q.whereIn('bookings.status', req.statuses);
  if (req.from) q.where('bookings.startsAt', '>=', req.from);
  if (req.to) q.where('bookings.startsAt', '<', req.to);
  for (const f of req.filters) {
    const { sql, bindings } = filterSql(f);
    q.whereRaw(sql, bindings as Knex.RawBinding[]);
  }
  if (req.quickFilter) {
    const { sql, bindings } = quickFilterSql(actor.role, req.quickFilter);
    q.whereRaw(sql, bindings as Knex.RawBinding[]);
  }
  return q;
}

function addOrder(q: Knex.QueryBuilder, actor: GridActor, req: GridRequest, now: Date): void {
  if (req.sort.length) {
    for (const k of req.sort) {
      const spec: ColumnSpec = COLUMNS[k.col];
      q.orderByRaw(`${spec.sortSql ?? spec.sql} ${k.dir === 'desc' ? 'desc' : 'asc'}`);
    }
    // The id breaks ties so that pages never repeat or skip a row; it follows the last
    // key's direction so that (…, starts_at, id) indexes serve both directions.
    q.orderBy('bookings.id', req.sort.at(-1)!.dir);
  } else if (actor.role === 'student') {
    // Upcoming sessions first, soonest first; then past ones, latest first.
    q.orderByRaw(
      'case when bookings.starts_at >= ? then 0 else 1 end, case when bookings.starts_at >= ? then bookings.starts_at end asc, bookings.starts_at desc, bookings.id asc',
      [now, now],
    );
  } else {
    q.orderBy('bookings.startsAt', 'desc').orderBy('bookings.id', 'desc');
  }
}

export const GRID_SELECT = [
  'bookings.id', 'bookings.mentorId', 'bookings.studentId', 'bookings.startsAt', 'bookings.endsAt', 'bookings.durationMinutes',
  'bookings.priceCents', 'bookings.currency', 'bookings.status', 'bookings.meetingUrl', 'bookings.createdAt', 'bookings.subject',
  // The names kept on the booking (the same as users.display_name, by trigger).
  'bookings.studentSortName as studentName', 'bookings.mentorSortName as mentorName',
] as const;

/**
 * One block of rows (or, with `paged: false` at parse time, the whole export up to CSV_MAX_ROWS).
 * Joins only what a filter or the sort needs: with users joined for the names, the planner hashed
 * the whole users table for a mentor's 74 pending rows (9 ms at a million bookings,
 * against 1 ms without). The skill's title, when no filter joins skills, is looked up
 * per row of the block.
 */
export function gridRowsQuery(knex: Knex, actor: GridActor, req: GridRequest, now: Date): Knex.QueryBuilder {
  const joins = joinsFor(actor.role, req);
  for (const k of req.sort) {
    const spec: ColumnSpec = COLUMNS[k.col];
    if (spec.join && !spec.sortSql) joins.add(spec.join);
  }
  const title = joins.has('skill') ? 'skills.title as skillTitle' : knex.raw('(select s.title from skills s where s.id = bookings.skill_id) as "skillTitle"');
  const q = scoped(knex, actor, req, joins).select(...GRID_SELECT, title);
  addOrder(q, actor, req, now);
  q.limit(req.endRow - req.startRow);
  if (req.startRow > 0) q.offset(req.startRow);
  return q;
}

/** The number of matching rows, joining only the tables a filter needs. */
export function gridCountQuery(knex: Knex, actor: GridActor, req: GridRequest): Knex.QueryBuilder {
  return scoped(knex, actor, req, joinsFor(actor.role, req)).count({ n: '*' });
}

/** The count's WHERE as a plain select, for the planner's row estimate (EXPLAIN, never run). */
export function gridEstimateQuery(knex: Knex, actor: GridActor, req: GridRequest): Knex.QueryBuilder {
  return scoped(knex, actor, req, joinsFor(actor.role, req)).select(knex.raw('1'));
}
