// The reschedule page (the booking's slot list, from either side) and the answers to a
// proposal. Plain pages and forms: with JavaScript, hx-boost swaps them in.
import type { Request, RequestHandler, Response } from 'express';
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { Deps } from '../composition.ts';
import type { Formatters } from '../i18n/format.ts';
import type { Translate } from '../i18n/index.ts';
import { AppError } from '../lib/errors.ts';
import { currentUser } from '../lib/guards.ts';
import { wantsJson } from '../lib/htmx.ts';
import { redirect, render } from '../lib/render.ts';
import { groupByDay, type Duration } from '../slots/engine.ts';
import type { Booking } from './model.ts';
import { pickerQuerySchema } from './schemas.ts';
import { setFlash } from '../lib/flash.ts';

const DAYS_SHOWN = 7;
const pickSchema = z.object({ start: z.coerce.date().refine((d) => !Number.isNaN(d.getTime())) });
const answerSchema = z.object({ proposal: z.uuid() });

export function rescheduleHandlers(deps: Deps) {
  const { bookings, slots, reschedule } = deps.services;
  const actor = (req: Request) => {
    const u = currentUser(req);
    return { id: u.id, role: u.role };
  };

  /** The page: the booking's slot list for a week, both people's calendars considered. */
  async function page(req: Request, res: Response, week: number, error?: AppError) {
    const booking = await bookings.detail(actor(req), String(req.params.id));
    const state = await reschedule.state(actor(req), booking, { t: res.locals.t, fmt: res.locals.fmt });
    const fmt = res.locals.fmt as Formatters;
    const t = res.locals.t as Translate;
    const from = DateTime.fromJSDate(deps.clock.now(), { zone: fmt.timeZone }).startOf('day').plus({ days: week * DAYS_SHOWN });
    const free = state.canReschedule
      ? await slots.freeSlotsFor(booking.mentor!, { durationMinutes: booking.durationMinutes as Duration, exceptHoldOf: booking.studentId, ignoreBooking: booking.id, from: from.toJSDate(), to: from.plus({ days: DAYS_SHOWN }).toJSDate() })
      : [];
    // The booking's own time is no choice: it is where the booking already is.
    const choices = free.filter((s) => s.start.getTime() !== booking.startsAt.getTime());
    const byDay = new Map(groupByDay(choices, fmt.timeZone).map((d) => [d.date, d.slots]));
    const days = Array.from({ length: DAYS_SHOWN }, (_, i) => {
      const date = from.plus({ days: i });
      return { date: date.toISODate()!, label: fmt.day(date.toJSDate()), slots: byDay.get(date.toISODate()!) ?? [] };
    });
    render(req, res, 'bookings/reschedule', {
      title: t('reschedule.title'), booking, state, week, days, hasSlots: choices.length > 0, skill: booking.skill,
      durationMinutes: booking.durationMinutes, pickAction: `/bookings/${booking.id}/reschedule`, isMentor: booking.mentorId === actor(req).id, busyKey: booking.mentorId === actor(req).id ? 'reschedule.studentBusy' : undefined,
      flowError: error ? t(error.messageKey, error.params) : undefined,
    }, { status: error?.status ?? 200 });
  }

  const show: RequestHandler = async (req, res) => {
    const q = pickerQuerySchema.safeParse(req.query);
    await page(req, res, q.success ? q.data.week : 0);
  };

  /** Refusals: JSON callers get the error itself, people the page again with the reason. */
  async function orPage(req: Request, res: Response, work: () => Promise<void>) {
    try {
      await work();
    } catch (error) {
      if (!(error instanceof AppError) || error.status >= 500 || error.status === 404 || wantsJson(req)) throw error;
      await page(req, res, 0, error);
    }
  }

  const done = (req: Request, res: Response, booking: Booking, key: string) => {
    if (wantsJson(req)) {
      res.json({ booking: { id: booking.id, status: booking.status, startsAt: booking.startsAt.toISOString() } });
      return;
    }
    setFlash(req, { kind: 'success', key });
    redirect(req, res, `/bookings/${booking.id}`);
  };

  const propose: RequestHandler = async (req, res) => {
    await orPage(req, res, async () => {
      const parsed = pickSchema.safeParse(req.body);
      if (!parsed.success) throw new RescheduleInputError();
      const result = await reschedule.propose(actor(req), String(req.params.id), parsed.data.start);
      if (wantsJson(req)) {
        res.status(result.moved ? 200 : 201).json({ moved: result.moved, booking: { id: result.booking.id, status: result.booking.status, startsAt: result.booking.startsAt.toISOString() }, ...(result.moved ? {} : { proposal: { id: result.proposal.id, startsAt: result.proposal.startsAt.toISOString() } }) });
        return;
      }
      done(req, res, result.booking, result.moved ? 'reschedule.movedFlash' : 'reschedule.proposedFlash');
    });
  };

  const answer = (yes: boolean): RequestHandler => async (req, res) => {
    const parsed = answerSchema.safeParse(req.body);
    if (!parsed.success) throw new RescheduleInputError();
    const id = String(req.params.id);
    const b = yes ? await reschedule.accept(actor(req), id, parsed.data.proposal) : await reschedule.decline(actor(req), id, parsed.data.proposal);
    done(req, res, b, yes ? 'reschedule.acceptedFlash' : 'reschedule.declinedFlash');
  };

  return { show, propose, accept: answer(true), decline: answer(false) };
}

/** 422: the form did not name a time or a proposal (a tampered or stale form). */
class RescheduleInputError extends AppError {
  readonly status = 422;
  readonly code = 'reschedule_bad_input';
  constructor() {
    super('reschedule.badInput');
  }
}
