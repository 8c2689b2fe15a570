// The bookings grid's columns: the whitelist every sort, filter and quick filter is
// checked against, per role, and the shape of a parsed grid request.
import { BOOKING_STATUSES, type BookingStatus } from '../bookings/model.ts';
import { type SortKey as GridSortKey } from '../lib/grid-request.ts';

export type GridRole = 'mentor' | 'student' | 'admin';
export interface GridActor {
  id: string;
  role: GridRole;
}

export const CSV_MAX_ROWS = 10_000;

const TEXT_OPERATORS = ['contains', 'notContains', 'equals', 'startsWith'] as const;
const RANGE_OPERATORS = ['equals', 'greaterThan', 'lessThan', 'inRange'] as const;
export type TextOperator = (typeof TEXT_OPERATORS)[number];
export type RangeOperator = (typeof RANGE_OPERATORS)[number];
type FilterKind = 'text' | 'number' | 'date';
export type Join = 'student' | 'mentor' | 'skill';

export interface ColumnSpec {
  /** Trusted SQL (snake_case, table aliases of the query below). */
  readonly sql: string;
  /** The join this expression needs (the count query joins only what it filters on). */
  readonly join?: Join;
  /** What ORDER BY uses when it differs from `sql`: a copy on the booking, indexed with the id. */
  readonly sortSql?: string;
  readonly sortable: boolean;
  readonly filter?: {
    readonly kind: FilterKind;
    readonly operators: readonly string[];
    /** Compared as is (no lower/unaccent) and limited to these values. */
    readonly values?: readonly string[];
    /** The column holds cents while people filter in the amounts they see (euros). */
    readonly minorUnits?: boolean;
  };
}

const text = { kind: 'text', operators: TEXT_OPERATORS } as const;
const number = { kind: 'number', operators: RANGE_OPERATORS } as const;
const date = { kind: 'date', operators: RANGE_OPERATORS } as const;

/** Every column a grid may show. Which role may sort or filter on which: ROLE_COLUMNS. */
export const COLUMNS = {
  skillTitle: { sql: 'skills.title', join: 'skill', sortable: true, filter: text },
  studentName: { sql: 'student.display_name', join: 'student', sortSql: 'bookings.student_sort_name', sortable: true, filter: text },
  mentorName: { sql: 'mentor.display_name', join: 'mentor', sortSql: 'bookings.mentor_sort_name', sortable: true, filter: text },
  startsAt: { sql: 'bookings.starts_at', sortable: true, filter: date },
  durationMinutes: { sql: 'bookings.duration_minutes', sortable: true, filter: number },
  price: { sql: 'bookings.price_cents', sortable: true, filter: { ...number, minorUnits: true } },
  status: { sql: 'bookings.status', sortable: true, filter: { kind: 'text', operators: ['equals'], values: BOOKING_STATUSES } },
  createdAt: { sql: 'bookings.created_at', sortable: true, filter: date },
  // Shown to the people in the session, never sorted or filtered on.
  meetingUrl: { sql: 'bookings.meeting_url', sortable: false },
} as const satisfies Record<string, ColumnSpec>;

export type ColumnId = keyof typeof COLUMNS;

/** The columns each role may name in sortModel / filterModel. */
export const ROLE_COLUMNS: Record<GridRole, readonly ColumnId[]> = {
  mentor: ['studentName', 'skillTitle', 'startsAt', 'durationMinutes', 'price', 'status', 'createdAt'],
  student: ['skillTitle', 'mentorName', 'startsAt', 'durationMinutes', 'status', 'meetingUrl'],
  admin: ['studentName', 'mentorName', 'skillTitle', 'startsAt', 'durationMinutes', 'price', 'status', 'createdAt', 'meetingUrl'],
};

/** What the quick filter searches: the other party and the skill. */
export type QuickColumn = 'studentName' | 'mentorName' | 'skillTitle';
export const QUICK_FILTER_COLUMNS: Record<GridRole, readonly QuickColumn[]> = {
  mentor: ['studentName', 'skillTitle'],
  student: ['mentorName', 'skillTitle'],
  admin: ['studentName', 'mentorName', 'skillTitle'],
};

export type SortKey = GridSortKey<ColumnId>;

export type Condition =
  | { kind: 'text'; op: TextOperator; value: string; exact: boolean }
  | { kind: 'number'; op: RangeOperator; value: number; to?: number }
  /** Day filters: [from, until) instants of the viewer's calendar days. */
  | { kind: 'date'; op: RangeOperator; dayStart: Date; nextDay: Date; rangeEnd?: Date };

export interface ColumnFilter {
  col: ColumnId;
  operator: 'and' | 'or';
  conditions: Condition[];
}

export interface GridRequest {
  startRow: number;
  endRow: number;
  sort: SortKey[];
  filters: ColumnFilter[];
  quickFilter?: string;
  statuses?: BookingStatus[];
  /** startsAt >= from */
  from?: Date;
  /** startsAt < to */
  to?: Date;
}
