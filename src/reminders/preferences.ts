// A user's reminder preferences: which offsets before a session, by mail, in the app.
// Everyone is reminded by default (opt-out); a user without a row has the defaults.
import type { Knex } from 'knex';

/** The offsets a user may choose from, in minutes before the start. */
export const OFFSET_CHOICES = [15, 60, 180, 1440, 2880] as const;
export const DEFAULT_OFFSETS = [1440, 60];
export const MAX_OFFSETS = 3;

export interface ReminderPreferences {
  offsetsMinutes: number[];
  byMail: boolean;
  inApp: boolean;
}

export const DEFAULT_PREFERENCES: ReminderPreferences = { offsetsMinutes: DEFAULT_OFFSETS, byMail: true, inApp: true };

/** Preferences of several users at once (the two parties of a booking). */
export async function preferencesOf(db: Knex | Knex.Transaction, userIds: string[]): Promise<Map<string, ReminderPreferences>> {
  const rows = await db('reminderPreferences').whereIn('userId', userIds) as (ReminderPreferences & { userId: string })[];
  const found = new Map(rows.map((r) => [r.userId, { offsetsMinutes: r.offsetsMinutes, byMail: r.byMail, inApp: r.inApp }]));
  return new Map(userIds.map((id) => [id, found.get(id) ?? DEFAULT_PREFERENCES]));
}

export async function savePreferences(trx: Knex.Transaction, userId: string, prefs: ReminderPreferences, at: Date): Promise<void> {
  const offsets = [...new Set(prefs.offsetsMinutes)].sort((a, b) => b - a);
  await trx('reminderPreferences')
    .insert({ userId, offsetsMinutes: offsets, byMail: prefs.byMail, inApp: prefs.inApp, updatedAt: at })
    .onConflict('userId').merge();
}

/** Whether the user wants anything at all for this offset. */
export function wants(prefs: ReminderPreferences, offsetMinutes: number): boolean {
  return (prefs.byMail || prefs.inApp) && prefs.offsetsMinutes.includes(offsetMinutes);
}
