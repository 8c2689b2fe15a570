// The zones the slot picker offers. Nearly everyone keeps their own zone or looks at
// the mentor's, so step 1 lists those (and UTC) with "All time zones…" below them; the
// full list of ~420 zones (25 KB of options, most of step 1's weight) is sent only when
// asked for, by choosing that entry (`tz=all`, the zone on show riding along as `shown`),
// which works the same without JavaScript.
import { namedTimeZones, zoneName } from '../i18n/format.ts';

export const ALL_ZONES = 'all';

export interface ZoneChoice {
  value: string;
  label: string;
  /** Whose zone this is, when it is someone's: shown beside the name. */
  role?: 'yours' | 'mentors' | 'shared';
}

export interface ZoneContext {
  /** The zone the slots are shown in now. */
  shown: string;
  /** The viewer's own zone (profile, or the browser's cookie), before any `tz` choice; unknown on a first visit. */
  own: string | undefined;
  mentor: string;
  showAll: boolean;
}

/** The options of the picker, the shown zone first and selected by the template. */
export function zoneChoices({ shown, own, mentor, showAll }: ZoneContext): ZoneChoice[] {
  const roleOf = (z: string): ZoneChoice['role'] => {
    if (z === own) return z === mentor ? 'shared' : 'yours';
    return z === mentor ? 'mentors' : undefined;
  };
  const named = (z: string): ZoneChoice => {
    const role = roleOf(z);
    return { value: z, label: zoneName(z), ...(role ? { role } : {}) };
  };
  const short = [...new Set([shown, own, mentor, 'UTC'].filter((z): z is string => z !== undefined))].map(named);
  if (!showAll) return short;
  const listed = new Set(short.map((z) => z.value));
  return [...short, ...namedTimeZones().filter((z) => !listed.has(z.value))];
}
