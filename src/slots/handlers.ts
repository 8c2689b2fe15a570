// A mentor's free slots for the next days as JSON for API clients: one entry per start
// time with its local date, time and weekday, and whether the viewer can take it.
import type { Request, RequestHandler, Response } from 'express';
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { Deps } from '../composition.ts';
import type { Formatters } from '../i18n/format.ts';
import { NotFoundError } from '../lib/errors.ts';
import { parseQuery } from '../lib/validation.ts';
import { DURATIONS } from '../skills/model.ts';
import { User } from '../users/model.ts';
import type { Duration } from './engine.ts';

const querySchema = z.object({
  duration: z.coerce.number().pipe(z.union(DURATIONS.map((d) => z.literal(d)))).default(60),
  days: z.coerce.number().int().min(1).max(28).default(7),
});

export function slotHandlers(deps: Deps) {
  const { slots } = deps.services;

  async function load(req: Request, res: Response) {
    const { duration, days } = parseQuery(req, res, querySchema);
    const id = String(req.params.id);
    const mentor = z.uuid().safeParse(id).success ? await User.query(deps.knex).modify('active').modify('mentors').findById(id) : undefined;
    if (!mentor) throw new NotFoundError();
    const zone = (res.locals.fmt as Formatters).timeZone;
    const from = deps.clock.now();
    const to = DateTime.fromJSDate(from, { zone }).startOf('day').plus({ days }).toJSDate();
    const free = await slots.freeSlotsFor(mentor, { durationMinutes: duration as Duration, exceptHoldOf: req.user?.id, from, to });
    return { zone, free };
  }

  const json: RequestHandler = async (req, res) => {
    const { free, zone } = await load(req, res);
    const locale = res.locals.locale as string;
    res.json({
      timeZone: zone,
      slots: free.map((s) => {
        const local = DateTime.fromJSDate(s.start, { zone }).setLocale(locale);
        return { datetime: s.start.toISOString(), date: local.toISODate(), time: local.toFormat('HH:mm'), dayName: local.toFormat('cccc'), available: !s.conflict, ...(s.conflict ? { reason: 'you_are_busy' } : {}) };
      }),
    });
  };

  return { json };
}
