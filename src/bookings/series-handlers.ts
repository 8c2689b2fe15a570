// Weekly series pages: the pattern form (reached from step 2 of the booking flow), the
// preview of every week, the booking of the free ones, and the whole-series answers on
// the booking page. Plain pages and forms: they work the same with JavaScript off.
import type { Request, RequestHandler, Response } from 'express';
import { IANAZone } from 'luxon';
import { z } from 'zod';
import type { Deps } from '../composition.ts';
import { formatters, zoneName } from '../i18n/format.ts';
import type { Locale, Translate } from '../i18n/index.ts';
import { AppError } from '../lib/errors.ts';
import { currentUser } from '../lib/guards.ts';
import { redirect, render } from '../lib/render.ts';
import { fieldErrors, formValues, parseForm } from '../lib/validation.ts';
import type { Skill } from '../skills/model.ts';
import { allowedActions } from './policy.ts';
import { reasonSchema } from './schemas.ts';
import { SeriesChangedError } from './series-errors.ts';
import type { PlannedWeek } from './series-plan.ts';
import { seriesAcceptSchema, seriesConfirmSchema, seriesRequestSchema, seriesStartQuerySchema, type SeriesPattern } from './series-schemas.ts';
import { priceFor } from './service.ts';
import { setFlash } from '../lib/flash.ts';

const backSchema = z.object({ back: z.uuid().optional() });

export function seriesHandlers(deps: Deps) {
  const { bookings, bookingSeries, seriesAnswers, policies } = deps.services;
  const actor = (req: Request) => ({ id: currentUser(req).id, role: currentUser(req).role });

  /** The pattern in words, in the zone it was chosen in (that zone's clock decides "same time"). */
  function patternLocals(res: Response, skill: Skill, pattern: Pick<SeriesPattern, 'start' | 'duration' | 'zone'>) {
    const locale = res.locals.locale as Locale;
    const zoneFmt = formatters(locale, pattern.zone);
    const weekday = new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { weekday: 'long', timeZone: pattern.zone }).format(pattern.start);
    const zone = zoneName(pattern.zone);
    return { skill, zoneFmt, zoneLabel: zone, patternText: { weekday, time: zoneFmt.time(pattern.start), zone, duration: pattern.duration }, priceCents: priceFor(skill, pattern.duration) };
  }

  function page(req: Request, res: Response, locals: Record<string, unknown>, status = 200) {
    render(req, res, 'bookings/series', { title: (res.locals.t as Translate)('bookings.series.title'), ...locals }, { status });
  }

  /** Step 1: weeks, subject and message for a weekly lesson starting at the picked slot. */
  const form: RequestHandler = async (req, res) => {
    const skill = await bookings.bookableSkill(String(req.params.id));
    const parsed = seriesStartQuerySchema.safeParse(req.query);
    if (!parsed.success || skill.mode !== 'one_on_one' || !skill.durations.includes(parsed.data.duration)) return redirect(req, res, `/skills/${skill.id}/book`);
    const pattern = { ...parsed.data, zone: parsed.data.zone ?? (res.locals.fmt as { timeZone: string }).timeZone };
    page(req, res, { stage: 'form', pattern, values: { weeks: 4 }, ...patternLocals(res, skill, pattern) });
  };

  async function previewPage(req: Request, res: Response, skill: Skill, input: z.infer<typeof seriesRequestSchema>, extra: { flowError?: string; weeks?: PlannedWeek[] } = {}, status = 200) {
    const preview = await bookingSeries.preview(currentUser(req).id, skill.id, input);
    // On a lost race the weeks seen under the lock are the truth: show those.
    const weeks = extra.weeks ?? preview.weeks;
    const free = weeks.filter((w) => !w.reason);
    page(req, res, { stage: 'preview', pattern: input, values: input, preview: { ...preview, weeks, free: free.length }, expected: free.map((w) => w.start.toISOString()).join(','), ...patternLocals(res, skill, input), flowError: extra.flowError }, status);
  }

  /** Step 2: every week, free or not and why. */
  const preview: RequestHandler = async (req, res) => {
    const skill = await bookings.bookableSkill(String(req.params.id));
    const parsed = seriesRequestSchema.safeParse(req.body);
    // "Change" on the preview: back to the form with what was typed.
    const editing = Boolean((req.body as { edit?: unknown }).edit);
    if (!parsed.success || editing) {
      const pick = seriesStartQuerySchema.omit({ zone: true }).safeParse(req.body);
      if (!pick.success) return redirect(req, res, `/skills/${skill.id}/book`);
      const sent = String((req.body as { zone?: unknown }).zone ?? '');
      const pattern = { ...pick.data, zone: IANAZone.isValidZone(sent) ? sent : (res.locals.fmt as { timeZone: string }).timeZone };
      const errors = parsed.success ? undefined : fieldErrors(parsed.error, res.locals.t as Translate);
      return page(req, res, { stage: 'form', pattern, values: formValues(req), errors, ...patternLocals(res, skill, pattern) }, errors ? 422 : 200);
    }
    await previewPage(req, res, skill, parsed.data);
  };

  /** Step 3: books the free weeks; a changed list comes back as the preview, with a 409. */
  const create: RequestHandler = async (req, res) => {
    const skill = await bookings.bookableSkill(String(req.params.id));
    const input = parseForm(req, res, seriesConfirmSchema);
    try {
      const { bookings: booked } = await bookingSeries.book(currentUser(req).id, skill.id, input);
      setFlash(req, { kind: 'success', key: booked[0]!.status === 'confirmed' ? 'bookings.series.bookedFlash' : 'bookings.series.requestedFlash' });
      redirect(req, res, `/bookings/${booked[0]!.id}`);
    } catch (error) {
      if (!(error instanceof AppError) || error.status >= 500) throw error;
      const t = res.locals.t as Translate;
      await previewPage(req, res, skill, input, { flowError: t(error.messageKey, error.params), weeks: error instanceof SeriesChangedError ? error.weeks : undefined }, error.status);
    }
  };

  /** The booking page with a series form's errors beside its fields. */
  async function formOnBookingPage(req: Request, res: Response, bookingId: string, form: string) {
    const booking = await bookings.detail(actor(req), bookingId);
    const allowed = allowedActions(booking, actor(req), deps.clock.now());
    const refundNow = allowed.canCancel ? await policies.refundIfEnded(booking, allowed.isMentor ? 'mentor_cancelled' : 'student_cancelled') : undefined;
    const series = await seriesAnswers.forBooking(actor(req), booking);
    return { view: 'bookings/show', fragment: 'bookings/_detail', locals: { title: (res.locals.t as Translate)('bookings.detailTitle'), booking, ...allowed, refundNow, series, openForm: form } };
  }

  const backTo = (req: Request, fallback: string) => {
    const back = backSchema.safeParse(req.body);
    return `/bookings/${(back.success && back.data.back) || fallback}`;
  };

  const acceptAll: RequestHandler = async (req, res) => {
    const input = parseForm(req, res, seriesAcceptSchema);
    const done = await seriesAnswers.confirmAll(currentUser(req).id, String(req.params.id), input);
    setFlash(req, { kind: 'success', key: 'bookings.series.acceptedFlash' });
    redirect(req, res, backTo(req, done[0]!.id));
  };

  const declineAll: RequestHandler = async (req, res) => {
    const back = backSchema.safeParse(req.body);
    const form = back.success && back.data.back ? await formOnBookingPage(req, res, back.data.back, 'seriesDecline') : undefined;
    const input = parseForm(req, res, reasonSchema, form);
    const done = await seriesAnswers.rejectAll(currentUser(req).id, String(req.params.id), input.reason);
    setFlash(req, { kind: 'success', key: 'bookings.series.declinedFlash' });
    redirect(req, res, backTo(req, done[0]!.id));
  };

  const cancelFollowing: RequestHandler = async (req, res) => {
    const id = String(req.params.id);
    const input = parseForm(req, res, reasonSchema, await formOnBookingPage(req, res, id, 'seriesCancel'));
    await seriesAnswers.cancelFollowing(actor(req), id, input.reason);
    setFlash(req, { kind: 'success', key: 'bookings.series.cancelledFlash' });
    redirect(req, res, `/bookings/${id}`);
  };

  return { form, preview, create, acceptAll, declineAll, cancelFollowing };
}
