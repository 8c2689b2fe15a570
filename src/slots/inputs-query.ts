// What the slot engine needs about a mentor and a viewer, in one statement: the settings,
// weekly rules, overrides and claimed time of the mentor, other students' live holds and
// the viewer's own claimed time. The same data and windows as the booking_inputs
// function (migration 20261202013000), which also takes the calendar lock for a request;
// a page that only shows slots takes no lock. It used to be six queries, the settings
// first and five more once the window was known.
import type { Knex } from 'knex';
import { DEFAULT_SETTINGS } from '../availability/model.ts';
import type { Settings } from '../availability/service.ts';
import type { SlotInputs } from './service.ts';

type Stored = { start: string; end: string };

/** The JSON both statements return (snake_case columns already renamed). */
export interface StoredSlotInputs {
  settings: Settings | null;
  rules: { weekday: number; startTime: string; endTime: string; active: boolean }[];
  overrides: { date: string; kind: 'extra' | 'blocked'; startTime: string | null; endTime: string | null }[];
  busy: Stored[];
  held: Stored[];
  mine: Stored[];
}

const hm = (t: string | null) => (t ? t.slice(0, 5) : undefined);
const intervals = (list: Stored[]) => list.map((i) => ({ start: new Date(i.start), end: new Date(i.end) }));

/** The engine's inputs from the stored JSON; `windowDays` replaces the mentor's window (a series uses its own). */
export function toSlotInputs(stored: StoredSlotInputs, windowDays?: number): SlotInputs {
  const settings = stored.settings ?? { ...DEFAULT_SETTINGS };
  return {
    settings: windowDays === undefined ? settings : { ...settings, windowDays },
    rules: stored.rules.map((r) => ({ weekday: r.weekday, start: hm(r.startTime)!, end: hm(r.endTime)!, active: r.active })),
    overrides: stored.overrides.map((o) => ({ date: o.date, kind: o.kind, start: hm(o.startTime), end: hm(o.endTime) })),
    busy: intervals(stored.busy),
    held: intervals(stored.held),
    mine: intervals(stored.mine),
  };
}

// Days of 24 h; claims within a margin of the buffer plus the longest session; overrides
// from the day before today to the day after the window's end, in the mentor's zone. A
// booking being moved (:ignore) hides its own claims and its open proposal's.
const NOT_MOVED = `(:ignore::uuid is null or (c.booking_id is distinct from :ignore::uuid
  and not exists (select 1 from reschedule_proposals p where p.id = c.proposal_id and p.booking_id = :ignore::uuid)))`;
const SQL = `
  with s as (
    select min_notice_minutes, window_days, buffer_minutes, requires_approval, series_window_days
      from mentor_settings where mentor_id = :mentor
  ), w as (
    select :now::timestamptz + coalesce(:windowDays::integer, (select window_days from s), :defaultWindowDays::integer) * interval '24 hours' as window_end,
           (coalesce((select buffer_minutes from s), :defaultBufferMinutes::integer) + 120) * interval '1 minute' as margin
  )
  select json_build_object(
    'settings', (select json_build_object('minNoticeMinutes', s.min_notice_minutes, 'windowDays', s.window_days, 'bufferMinutes', s.buffer_minutes,
                   'requiresApproval', s.requires_approval, 'seriesWindowDays', s.series_window_days) from s),
    'rules', coalesce((select json_agg(json_build_object('weekday', r.weekday, 'startTime', r.start_time, 'endTime', r.end_time, 'active', r.active))
      from availability_rules r where r.mentor_id = :mentor), '[]'),
    'overrides', coalesce((select json_agg(json_build_object('date', o.date, 'kind', o.kind, 'startTime', o.start_time, 'endTime', o.end_time))
      from availability_overrides o, w where o.mentor_id = :mentor
        and o.date between (:now::timestamptz at time zone :zone)::date - 1 and (w.window_end at time zone :zone)::date + 1), '[]'),
    'busy', coalesce((select json_agg(json_build_object('start', lower(c.during), 'end', upper(c.during)))
      from calendar_claims c, w where c.user_id = :mentor and c.during && tstzrange(:now::timestamptz - w.margin, w.window_end + w.margin)
        and ${NOT_MOVED}), '[]'),
    'held', coalesce((select json_agg(json_build_object('start', h.starts_at, 'end', h.ends_at))
      from slot_holds h where h.mentor_id = :mentor and h.expires_at > :now::timestamptz
        and (:viewer::uuid is null or h.student_id <> :viewer::uuid)), '[]'),
    'mine', coalesce((select json_agg(json_build_object('start', lower(c.during), 'end', upper(c.during)))
      from calendar_claims c, w where :viewer::uuid is not null and :viewer::uuid <> :mentor and c.user_id = :viewer::uuid
        and c.during && tstzrange(:now::timestamptz, w.window_end + w.margin) and ${NOT_MOVED}), '[]')
  ) as inputs`;

export interface SlotInputsQuery {
  mentor: { id: string; timezone: string };
  /** The viewer: their own hold is not "held", and their claims are "mine". */
  viewer?: string;
  /** A booking being moved: its own time does not block itself. */
  ignoreBooking?: string;
  windowDays?: number;
  now: Date;
}

export async function querySlotInputs(db: Knex, q: SlotInputsQuery): Promise<SlotInputs> {
  const result = await db.raw(SQL, {
    mentor: q.mentor.id, viewer: q.viewer ?? null, ignore: q.ignoreBooking ?? null, windowDays: q.windowDays ?? null,
    now: q.now, zone: q.mentor.timezone, defaultWindowDays: DEFAULT_SETTINGS.windowDays, defaultBufferMinutes: DEFAULT_SETTINGS.bufferMinutes,
  }) as { rows: { inputs: StoredSlotInputs }[] };
  return toSlotInputs(result.rows[0]!.inputs, q.windowDays);
}
