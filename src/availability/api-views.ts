// How a mentor's availability looks in the public API: weekly hours, dated
// exceptions and booking settings, times as the mentor's wall clock in their zone.
import { z } from '../lib/api/openapi.ts';
import type { AvailabilityOverride, AvailabilityRule } from './model.ts';
import type { Settings } from './service.ts';

const hhmm = (t: string) => t.slice(0, 5);
const wallClock = z.string().openapi({ description: 'HH:MM in the mentor\'s zone', example: '09:30' });

export const RuleView = z.object({
  id: z.uuid(),
  weekday: z.number().int().openapi({ description: 'ISO weekday: 1 Monday … 7 Sunday' }),
  start: wallClock,
  end: wallClock,
  active: z.boolean().openapi({ description: 'false while paused' }),
}).openapi('AvailabilityRule');

export const OverrideView = z.object({
  id: z.uuid(),
  date: z.iso.date(),
  kind: z.enum(['extra', 'blocked']).openapi({ description: 'extra: hours added that day; blocked: time off' }),
  start: wallClock.nullable().openapi({ description: 'null with end: the whole day' }),
  end: wallClock.nullable(),
  note: z.string().nullable(),
}).openapi('AvailabilityOverride');

export const SettingsView = z.object({
  minNoticeMinutes: z.number().int(),
  windowDays: z.number().int(),
  seriesWindowDays: z.number().int(),
  bufferMinutes: z.number().int(),
  requiresApproval: z.boolean(),
}).openapi('AvailabilitySettings');

export const AvailabilityView = z.object({
  zone: z.string().openapi({ description: 'The mentor\'s IANA zone: every wall-clock time here is in it' }),
  rules: z.array(RuleView),
  overrides: z.array(OverrideView).openapi({ description: 'From today on' }),
  settings: SettingsView,
}).openapi('MyAvailability');

/** What a change that closes time did to the live bookings inside it. */
export const BookingsOutcome = {
  bookingsKept: z.number().int(),
  bookingsCancelled: z.number().int(),
};

export const ruleView = (r: AvailabilityRule): z.infer<typeof RuleView> => ({ id: r.id, weekday: r.weekday, start: hhmm(r.startTime), end: hhmm(r.endTime), active: r.active });
export const overrideView = (o: AvailabilityOverride): z.infer<typeof OverrideView> => ({
  id: o.id, date: o.date, kind: o.kind, start: o.startTime ? hhmm(o.startTime) : null, end: o.endTime ? hhmm(o.endTime) : null, note: o.note,
});
export const settingsView = (s: Settings): z.infer<typeof SettingsView> => ({
  minNoticeMinutes: s.minNoticeMinutes, windowDays: s.windowDays, seriesWindowDays: s.seriesWindowDays, bufferMinutes: s.bufferMinutes, requiresApproval: s.requiresApproval,
});
