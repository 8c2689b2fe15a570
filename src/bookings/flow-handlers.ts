// The three-step booking flow: pick a slot, describe the session, confirm.
// One partial (views/bookings/_flow.eta) is the htmx modal body and, without
// JavaScript, the content of a plain page: each step is a real URL and form.
import type { Request, RequestHandler, Response } from 'express';
import { DateTime } from 'luxon';
import type { Deps } from '../composition.ts';
import { canonicalTimeZone, formatters, type Formatters } from '../i18n/format.ts';
import { ownZone } from '../lib/viewer-zone.ts';
import type { Locale, Translate } from '../i18n/index.ts';
import { AppError, ConflictError, NotFoundError, ValidationError } from '../lib/errors.ts';
import { currentUser } from '../lib/guards.ts';
import { isPartialRequest } from '../lib/htmx.ts';
import { cachePage } from '../lib/page-cache.ts';
import { redirect, redirectAway, render } from '../lib/render.ts';
import { fieldErrors, formValues } from '../lib/validation.ts';
import type { Skill } from '../skills/model.ts';
import { groupByDay, type Duration } from '../slots/engine.ts';
import { detailsSchema, groupJoinSchema, pickerQuerySchema, slotPickSchema } from './schemas.ts';
import { BookingRuleError } from './errors.ts';
import { HOLD_MS, isPaid, priceFor } from './service.ts';
import { freeCancellationUntil } from '../payments/policy.ts';
import { priceHelpers } from '../skills/price-service.ts';
import { setFlash } from '../lib/flash.ts';
import { memoZone } from '../lib/memo-zone.ts';
import { ALL_ZONES, zoneChoices } from './zone-choices.ts';

const DAYS_SHOWN = 7;

/** The flow's `tz`: from the query of a page, or the body of a posted step. */
const zoneParam = (req: Request): unknown => (req.query as Record<string, unknown>).tz ?? (req.body as Record<string, unknown> | undefined)?.tz;

/**
 * The zone the viewer chose to see the slots in (`tz`, carried by every link and form
 * of the flow) replaces the page's zone for this response; anything that is not a
 * zone is ignored, so the viewer's own zone stays. "All time zones…" is an entry of the
 * same select (`tz=all`): the zone on show then comes along as `shown`, and stays.
 */
function withChosenZone(handler: RequestHandler): RequestHandler {
  return (req, res, next) => {
    const raw = zoneParam(req);
    const chosen = canonicalTimeZone(raw === ALL_ZONES ? (req.query as Record<string, unknown>).shown : raw);
    if (chosen) {
      res.locals.fmt = formatters(res.locals.locale as Locale, chosen);
      res.locals.tzParam = chosen;
    }
    return handler(req, res, next);
  };
}

export function flowHandlers(deps: Deps) {
  const { bookings, slots, bookingPayments, policies, packages } = deps.services;

  /** Renders the flow: the fragment for htmx, the page around it otherwise. */
  function show(req: Request, res: Response, locals: Record<string, unknown>, status = 200) {
    const prices = priceHelpers(res.locals.fmt as Formatters, res.locals.t as Translate);
    render(req, res, 'bookings/book', { title: res.locals.t('bookings.bookTitle'), ...prices, ...locals }, { status, fragment: 'bookings/_flow' });
  }

  async function pickerLocals(req: Request, res: Response, skill: Skill & { mentor: NonNullable<Skill['mentor']> }, durationMinutes: Duration, week: number) {
    const fmt = res.locals.fmt as Formatters;
    const zone = fmt.timeZone;
    const from = DateTime.fromJSDate(deps.clock.now(), { zone: memoZone(zone) }).startOf('day').plus({ days: week * DAYS_SHOWN });
    const to = from.plus({ days: DAYS_SHOWN });
    const free = await slots.freeSlotsFor(skill.mentor, { durationMinutes, exceptHoldOf: req.user?.id, from: from.toJSDate(), to: to.toJSDate() });
    const byDay = new Map(groupByDay(free, zone).map((d) => [d.date, d.slots]));
    const days = Array.from({ length: DAYS_SHOWN }, (_, i) => {
      const date = from.plus({ days: i });
      const iso = date.toISODate()!;
      return { date: iso, label: fmt.day(date.toJSDate()), slots: byDay.get(iso) ?? [] };
    });
    const allZones = zoneParam(req) === ALL_ZONES;
    const zones = zoneChoices({ shown: zone, own: ownZone(req), mentor: skill.mentor.timezone, showAll: allZones });
    return { step: 1, skill, durationMinutes, week, days, hasSlots: free.length > 0, zones, allZones, prices: Object.fromEntries(skill.durations.map((d) => [d, priceFor(skill, d)])) };
  }

  /**
   * The group step, told what the viewer's calendar says: a seat they already hold
   * (link to it) or another session of theirs at that time (no button to press only to
   * be refused with a 409).
   */
  async function groupLocals(req: Request, skill: Skill, extra: Record<string, unknown> = {}) {
    const seatsLeft = Math.max(0, (skill.capacity ?? 0) - skill.seatsTaken);
    const viewer = req.user;
    const base = { step: 'group', skill, seatsLeft, values: {}, ...extra };
    if (!viewer || viewer.id === skill.mentorId) return base;
    return { ...base, ...(await bookings.seatStateOf(viewer.id, skill)) };
  }

  /** Step 1: the slot picker for a duration and a week. */
  const picker: RequestHandler = async (req, res) => {
    // The catalogue's read: explicit columns and the mentor joined in, one round trip.
    const found = await deps.services.skills.findPublic(String(req.params.id));
    if (!found?.mentor) throw new NotFoundError();
    const skill = found as Skill & { mentor: NonNullable<Skill['mentor']> };
    // Holds and bookings NOTIFY at commit (migration 20261202010000): a taken slot leaves the cache with them.
    cachePage(res, [`mentor:${skill.mentorId}`]);
    if (skill.mode === 'group') return show(req, res, await groupLocals(req, skill));
    const query = pickerQuerySchema.safeParse(req.query);
    const q = query.success ? query.data : { duration: undefined, week: 0 };
    const durationMinutes = (q.duration && skill.durations.includes(q.duration) ? q.duration : skill.durations[0]) as Duration;
    show(req, res, await pickerLocals(req, res, skill, durationMinutes, q.week));
  };

  /** Back to step 1 with a message and fresh slots (409 on a lost race). */
  async function backToPicker(req: Request, res: Response, skillId: string, durationMinutes: Duration, error: AppError) {
    const skill = await bookings.bookableSkill(skillId);
    const t = res.locals.t as Translate;
    show(req, res, { ...(await pickerLocals(req, res, skill, durationMinutes, 0)), flowError: t(error.messageKey, error.params) }, error.status);
  }

  /** Picking a slot holds it for five minutes, then shows step 2. */
  const hold: RequestHandler = async (req, res) => {
    const student = currentUser(req);
    const skillId = String(req.params.id);
    const parsed = slotPickSchema.safeParse(req.body);
    if (!parsed.success) return backToPicker(req, res, skillId, 60, new BookingRuleError('outsideAvailability'));
    const { start, duration } = parsed.data;
    try {
      await bookings.hold(student.id, skillId, start, duration);
    } catch (error) {
      if (error instanceof ConflictError || error instanceof BookingRuleError) return backToPicker(req, res, skillId, duration, error);
      throw error;
    }
    const tz = res.locals.tzParam as string | undefined;
    const next = `/skills/${skillId}/book/details?start=${encodeURIComponent(start.toISOString())}&duration=${duration}${tz ? `&tz=${encodeURIComponent(tz)}` : ''}`;
    if (!isPartialRequest(req)) return redirect(req, res, next);
    const skill = await bookings.bookableSkill(skillId);
    show(req, res, detailsLocals(res, skill, start, duration, {}));
  };

  function detailsLocals(res: Response, skill: Skill, start: Date, durationMinutes: number, values: Record<string, unknown>, errors?: Record<string, string>, holdUntil?: Date) {
    return {
      step: 2, skill, start, durationMinutes, priceCents: priceFor(skill, durationMinutes), values, errors,
      holdUntil: holdUntil ?? new Date(deps.clock.now().getTime() + HOLD_MS),
    };
  }

  /**
   * Step 2 as a page (no-JS path, a reload, or the landing after login or sign-up for a
   * slot picked while logged out). It writes nothing (a link from anywhere lands here):
   * the slot the student holds shows the form; a free one shows a button that holds it
   * (POST, CSRF-checked); one taken meanwhile sends back to the slots with the reason.
   */
  const details: RequestHandler = async (req, res) => {
    const skill = await bookings.bookableSkill(String(req.params.id));
    const parsed = slotPickSchema.safeParse(req.query);
    if (!parsed.success || !skill.durations.includes(parsed.data.duration)) return redirect(req, res, `/skills/${skill.id}/book`);
    const { start, duration } = parsed.data;
    let heldUntil: Date | undefined;
    try {
      ({ heldUntil } = await bookings.pickState(currentUser(req).id, skill.id, start, duration));
    } catch (error) {
      if (error instanceof ConflictError || error instanceof BookingRuleError) return backToPicker(req, res, skill.id, duration, error);
      throw error;
    }
    show(req, res, { ...detailsLocals(res, skill, start, duration, {}, undefined, heldUntil), needsHold: !heldUntil, holdMinutes: HOLD_MS / 60_000 });
  };

  /** Step 2 → 3: checks the form and shows the summary to confirm. */
  const summary: RequestHandler = async (req, res) => {
    const skill = await bookings.bookableSkill(String(req.params.id));
    const parsed = detailsSchema.safeParse(req.body);
    if ((req.body as { edit?: unknown }).edit) {
      // "Edit" on the summary: back to step 2 with what was typed.
      const pick = slotPickSchema.safeParse(req.body);
      if (!pick.success) return redirect(req, res, `/skills/${skill.id}/book`);
      return show(req, res, detailsLocals(res, skill, pick.data.start, pick.data.duration, req.body as Record<string, unknown>));
    }
    if (!parsed.success) {
      const pick = slotPickSchema.safeParse(req.body);
      if (!pick.success) return redirect(req, res, `/skills/${skill.id}/book`);
      const errors = fieldErrors(parsed.error, res.locals.t as Translate);
      return show(req, res, detailsLocals(res, skill, pick.data.start, pick.data.duration, req.body as Record<string, unknown>, errors), 422);
    }
    const input = parsed.data;
    const credits = await packages.creditsLeft(currentUser(req).id, skill.id, input.duration);
    show(req, res, { step: 3, skill, start: input.start, durationMinutes: input.duration, priceCents: priceFor(skill, input.duration), values: input, credits, ...(await paymentLocals(skill, input.start, input.duration)) });
  };

  /** What the summary says before paying: the charge rule, the mentor's policy, its deadline. */
  async function paymentLocals(skill: Skill, start: Date, durationMinutes: number) {
    if (!isPaid(skill, durationMinutes)) return { paid: false };
    const policy = await policies.of(skill.mentorId);
    return { paid: true, policy, freeUntil: freeCancellationUntil(start, policy), payable: Boolean(await bookingPayments.payableAccount(skill.mentorId)) };
  }

  /** Step 3: the booking itself. */
  const create: RequestHandler = async (req, res) => {
    const student = currentUser(req);
    const skillId = String(req.params.id);
    const skill = await bookings.bookableSkill(skillId);
    if (skill.mode === 'group') {
      const t = res.locals.t as Translate;
      const parsed = groupJoinSchema.safeParse(req.body);
      const values = formValues(req);
      if (!parsed.success) return show(req, res, await groupLocals(req, skill, { values, errors: fieldErrors(parsed.error, t) }), 422);
      try {
        if (isPaid(skill, skill.durations[0]!)) return redirectAway(req, res, (await bookingPayments.startSeat(student, skillId, parsed.data)).url);
        const booking = await bookings.joinGroup(student.id, skillId, parsed.data, skill);
        setFlash(req, { kind: 'success', key: 'bookings.seatBooked' });
        return redirect(req, res, `/bookings/${booking.id}`);
      } catch (error) {
        if (!(error instanceof AppError) || error.status >= 500) throw error;
        const fresh = await bookings.bookableSkill(skillId);
        return show(req, res, await groupLocals(req, fresh, { values, flowError: t(error.messageKey, error.params) }), error.status);
      }
    }
    const parsed = detailsSchema.safeParse(req.body);
    if (!parsed.success) throw new ValidationError(fieldErrors(parsed.error, res.locals.t as Translate));
    const input = parsed.data;
    const request = { start: input.start, durationMinutes: input.duration, subject: input.subject, description: input.description, message: input.message };
    try {
      if ((req.body as { useCredit?: unknown }).useCredit) {
        // Paid for already: a package credit is taken in the booking's own transaction.
        const booking = await packages.bookWithCredit(student.id, skillId, request);
        setFlash(req, { kind: 'success', key: 'payments.packages.creditUsed' });
        return redirect(req, res, `/bookings/${booking.id}`);
      }
      // A paid session goes to the payment page first: nothing is booked until it is authorized.
      if (isPaid(skill, input.duration)) return redirectAway(req, res, (await bookingPayments.startRequest(student, skillId, request)).url);
      const booking = await bookings.request(student.id, skillId, request, skill);
      setFlash(req, { kind: 'success', key: booking.status === 'confirmed' ? 'bookings.bookedInstantly' : 'bookings.requested' });
      redirect(req, res, `/bookings/${booking.id}`);
    } catch (error) {
      if (error instanceof AppError && error.status < 500) return backToPicker(req, res, skillId, input.duration, error);
      throw error;
    }
  };

  /** Leaving the flow releases the hold at once for other students. */
  const release: RequestHandler = async (req, res) => {
    await bookings.releaseHold(currentUser(req).id, String(req.params.id));
    redirect(req, res, `/skills/${String(req.params.id)}`);
  };

  return { picker: withChosenZone(picker), hold: withChosenZone(hold), details: withChosenZone(details), summary: withChosenZone(summary), create: withChosenZone(create), release };
}
