// Booking pages for both parties: the list, the detail, and the transitions.
import type { Request, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import type { Deps } from '../composition.ts';
import { currentUser } from '../lib/guards.ts';
import { wantsJson } from '../lib/htmx.ts';
import { redirect, render } from '../lib/render.ts';
import { parseForm } from '../lib/validation.ts';
import type { Booking } from './model.ts';
import { allowedActions } from './policy.ts';
import { confirmSchema, outcomeSchema, reasonSchema } from './schemas.ts';
import { setFlash } from '../lib/flash.ts';

/** A booking that ended without taking place: never under "upcoming", whatever its time. */
const CALLED_OFF = new Set<Booking['status']>(['rejected', 'cancelled', 'expired']);

/**
 * The list's three groups. Upcoming: still live and not over, soonest first. Past:
 * sessions whose time is over. Called off: declined, cancelled or expired, latest first.
 */
export function groupBookings(all: Booking[], now: Date) {
  const calledOff = all.filter((b) => CALLED_OFF.has(b.status));
  const rest = all.filter((b) => !CALLED_OFF.has(b.status));
  return {
    upcoming: rest.filter((b) => b.endsAt.getTime() > now.getTime() && (b.status === 'pending' || b.status === 'confirmed')).reverse(),
    past: rest.filter((b) => b.endsAt.getTime() <= now.getTime() || !(b.status === 'pending' || b.status === 'confirmed')),
    calledOff,
  };
}

export function bookingHandlers(deps: Deps) {
  const { bookings, policies } = deps.services;

  const actor = (req: Request) => {
    const u = currentUser(req);
    return { id: u.id, role: u.role };
  };

  async function detailLocals(req: Request, res: Response, id: string) {
    const booking = await bookings.detail(actor(req), id);
    const allowed = allowedActions(booking, actor(req), deps.clock.now());
    const viewer = actor(req);
    const { reschedule, conversations, calendar, seriesAnswers } = deps.services;
    // Each box of the page reads its own few rows; none depends on another.
    const [refundNow, rescheduleState, conversation, series] = await Promise.all([
      // What cancelling now would give back, from the viewer's side (the rule the refund itself follows).
      allowed.canCancel ? policies.refundIfEnded(booking, allowed.isMentor ? 'mentor_cancelled' : 'student_cancelled') : undefined,
      reschedule.state(viewer, booking, { t: res.locals.t, fmt: res.locals.fmt }),
      conversations.threadFor(viewer, booking),
      seriesAnswers.forBooking(viewer, booking),
    ]);
    return {
      title: res.locals.t('bookings.detailTitle'), booking, ...allowed, refundNow, reschedule: rescheduleState,
      conversation, series, calendarLinks: calendar.linksFor(booking, viewer.id),
    };
  }

  const list: RequestHandler = async (req, res) => {
    render(req, res, 'bookings/index', { title: res.locals.t('bookings.listTitle'), ...groupBookings(await bookings.listForUser(actor(req)), deps.clock.now()) });
  };

  const show: RequestHandler = async (req, res) => {
    render(req, res, 'bookings/show', await detailLocals(req, res, String(req.params.id)), { fragment: 'bookings/_detail' });
  };

  /** Form errors re-render the detail page with the message beside the field. */
  async function parse<S extends z.ZodType>(req: Request, res: Response, schema: S, form: string): Promise<z.infer<S>> {
    const id = String(req.params.id);
    const locals = await detailLocals(req, res, id);
    return parseForm(req, res, schema, { view: 'bookings/show', fragment: 'bookings/_detail', locals: { ...locals, openForm: form }, home: { page: `/bookings/${id}`, state: { openForm: form } } });
  }

  /** Back to the booking page; API clients (the dashboard grid) get the new status. */
  const done = (req: Request, res: Response, booking: Booking, key: string) => {
    if (wantsJson(req)) {
      res.json({ booking: { id: booking.id, status: booking.status } });
      return;
    }
    setFlash(req, { kind: 'success', key });
    redirect(req, res, `/bookings/${booking.id}`);
  };

  const confirm: RequestHandler = async (req, res) => {
    const input = await parse(req, res, confirmSchema, 'confirm');
    const b = await bookings.confirm(currentUser(req).id, String(req.params.id), input);
    done(req, res, b, 'bookings.confirmedFlash');
  };

  const reject: RequestHandler = async (req, res) => {
    const input = await parse(req, res, reasonSchema, 'reject');
    const b = await bookings.reject(currentUser(req).id, String(req.params.id), input.reason);
    done(req, res, b, 'bookings.rejectedFlash');
  };

  const cancel: RequestHandler = async (req, res) => {
    const input = await parse(req, res, reasonSchema, 'cancel');
    const b = await bookings.cancel(actor(req), String(req.params.id), input.reason);
    done(req, res, b, 'bookings.cancelledFlash');
  };

  const outcome: RequestHandler = async (req, res) => {
    const input = await parse(req, res, outcomeSchema, 'outcome');
    const b = await bookings.recordOutcome(currentUser(req).id, String(req.params.id), input.outcome);
    done(req, res, b, 'bookings.outcomeFlash');
  };

  return { list, show, confirm, reject, cancel, outcome };
}
