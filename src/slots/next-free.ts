// Keeps mentor_next_free current: the first free 30-minute slot of each mentor in
// the coming week (null when there is none).
import type { Knex } from 'knex';
import type { Clock } from '../lib/clock.ts';
import type { SlotService } from './service.ts';

const HORIZON_MS = 7 * 86_400_000;

export function nextFreeService(deps: { knex: Knex; clock: Clock; slots: SlotService }) {
  const { slots } = deps;

  async function refresh(mentorIds?: string[]): Promise<number> {
    const query = deps.knex('users').where({ role: 'mentor' }).whereNull('disabledAt').select('id', 'timezone');
    if (mentorIds) query.whereIn('id', mentorIds);
    const mentors: { id: string; timezone: string }[] = await query;
    const now = deps.clock.now();
    const rows = [];
    for (const mentor of mentors) {
      const [first] = await slots.freeSlotsFor(mentor, { durationMinutes: 30, from: now, to: new Date(now.getTime() + HORIZON_MS) });
      rows.push({ mentorId: mentor.id, nextFreeAt: first?.start ?? null, computedAt: now });
    }
    for (let i = 0; i < rows.length; i += 500) {
      await deps.knex('mentorNextFree').insert(rows.slice(i, i + 500)).onConflict('mentorId').merge();
    }
    return rows.length;
  }

  return { refresh };
}
