import type { Request, RequestHandler, Response } from 'express';
import { DateTime } from 'luxon';
import type { Deps } from '../composition.ts';
import type { Formatters } from '../i18n/format.ts';
import type { Locale, Translate } from '../i18n/index.ts';
import { NotFoundError } from '../lib/errors.ts';
import { besideField } from '../lib/form-errors.ts';
import { ImageRejectedError } from '../lib/images.ts';
import { currentUser } from '../lib/guards.ts';
import { centsToInput } from '../lib/money.ts';
import { cachePage } from '../lib/page-cache.ts';
import { pushCleanUrl, redirect, render } from '../lib/render.ts';
import { viewerZoneKnown } from '../lib/viewer-zone.ts';
import { fieldError, parseForm, parseQuery } from '../lib/validation.ts';
import { DURATIONS, SKILL_CATEGORIES, type Skill } from './model.ts';
import { priceHelpers, priceOptions } from './price-service.ts';
import { searchSchema, skillSchema, SORTS, withdrawSchema } from './schemas.ts';
import { MentorBusyError, PayoutAccountRequiredError, SessionTimeLockedError } from './service.ts';
import { withdrawalPlan, withdrawSkill } from './withdrawal.ts';
import type { Duration } from '../slots/engine.ts';
import { setFlash } from '../lib/flash.ts';

export function skillsHandlers(deps: Deps) {
  const { skills, slots, bookings, policies, payouts } = deps.services;

  async function formLocals(res: Response, skill?: Skill) {
    const t = res.locals.t as Translate;
    const courses = await skills.publishedCourses();
    return {
      courses: [{ value: '', label: t('skills.course.none') }, ...courses.map((c) => ({ value: c.id, label: c.title }))],
      title: skill ? t('skills.editTitle') : t('skills.newTitle'),
      skill,
      categories: SKILL_CATEGORIES.map((c) => ({ value: c, label: t(`skills.category.${c}`) })),
      durations: DURATIONS,
    };
  }

  /** Form values from a stored skill; the group start shown in the mentor's zone, the price in their notation. */
  function valuesOf(res: Response, skill: Skill, zone: string) {
    return {
      ...skill,
      price: centsToInput(skill.priceCents, res.locals.locale as Locale),
      startsAt: skill.startsAt ? DateTime.fromJSDate(skill.startsAt, { zone }).toFormat("yyyy-MM-dd'T'HH:mm") : '',
      capacity: skill.capacity ?? '',
      courseId: skill.courseId ?? '',
    };
  }

  /** Search params as they arrived, for the URL of each page link. */
  function searchLocals(req: Request, res: Response) {
    const t = res.locals.t as Translate;
    return {
      categories: SKILL_CATEGORIES.map((c) => ({ value: c, label: t(`skills.category.${c}`) })),
      sorts: SORTS,
      durations: DURATIONS,
      params: req.query,
      ...priceHelpers(res.locals.fmt as Formatters, t),
    };
  }

  /** The catalogue; the landing page is the same search with a hero, and searching from it stays on it. */
  const searchPage = (hero: boolean): RequestHandler => async (req, res) => {
    const input = parseQuery(req, res, searchSchema);
    const result = await deps.catalogue(req).skills.search(input);
    pushCleanUrl(req, res);
    cachePage(res, ['catalogue']);
    const title = res.locals.t(hero ? 'home.title' : 'skills.searchTitle');
    render(req, res, 'skills/search', { title, hero, ...searchLocals(req, res), result, input }, { fragment: 'skills/_results' });
  };
  const search = searchPage(false);
  const landing = searchPage(true);

  const show: RequestHandler = async (req, res) => {
    const id = String(req.params.id);
    let skill = await deps.catalogue(req).skills.findPublic(id);
    // The owner may preview a draft or a cancelled skill.
    if (!skill && req.user?.role === 'mentor') {
      const own = await skills.findOwned(req.user.id, id).catch(() => undefined);
      if (own) skill = await own.$query(deps.knex).withGraphFetched('mentor');
    }
    if (!skill) throw new NotFoundError();
    // A glimpse of the calendar: the next free starts for the shortest duration.
    const nextSlots = skill.mode === 'one_on_one' && skill.status === 'published' && skill.mentor
      ? (await slots.freeSlotsFor(skill.mentor, { durationMinutes: Math.min(...skill.durations) as Duration, exceptHoldOf: req.user?.id })).filter((s) => !s.conflict).slice(0, 6)
      : [];
    const isOwner = req.user?.id === skill.mentorId;
    const paid = skill.priceCents > 0;
    const policy = paid ? await policies.of(skill.mentorId) : undefined;
    const needsPayouts = isOwner && paid && !(await payouts.canTakeCharges(skill.mentorId));
    const packageOffers = skill.mode === 'one_on_one' ? await deps.services.packages.offers(skill.id) : [];
    const course = await skills.courseOf(skill);
    const prices = priceHelpers(res.locals.fmt as Formatters, res.locals.t as Translate);
    // A seat already held, or another session at that time, replaces the button that would only be refused (409).
    const seatState = skill.mode === 'group' && skill.status === 'published' && req.user && !isOwner ? await bookings.seatStateOf(req.user.id, skill) : {};
    if (skill.status === 'published') cachePage(res, [`mentor:${skill.mentorId}`]);
    render(req, res, 'skills/show', { title: skill.title, skill, isOwner, nextSlots, policy, needsPayouts, packageOffers, course, options: priceOptions(skill), zoneKnown: viewerZoneKnown(req), ...seatState, ...prices }, { fragment: 'skills/_next-slots' });
  };

  const listMine: RequestHandler = async (req, res) => {
    const list = await skills.listOwned(currentUser(req).id);
    render(req, res, 'skills/mine', { title: res.locals.t('skills.mineTitle'), skills: list });
  };

  const newForm: RequestHandler = async (_req, res) => {
    render(_req, res, 'skills/form', { ...(await formLocals(res)), values: { mode: 'one_on_one', durations: [60], price: '' } });
  };

  const create: RequestHandler = async (req, res) => {
    const user = currentUser(req);
    const input = parseForm(req, res, skillSchema, { view: 'skills/form', locals: await formLocals(res) });
    const skill = await skills.create(user.id, user.timezone, input);
    setFlash(req, { kind: 'success', key: 'skills.created' });
    redirect(req, res, `/skills/${skill.id}`);
  };

  const editForm: RequestHandler = async (req, res) => {
    const user = currentUser(req);
    const skill = await skills.findOwned(user.id, String(req.params.id));
    render(req, res, 'skills/form', { ...(await formLocals(res, skill)), values: valuesOf(res, skill, user.timezone) });
  };

  const update: RequestHandler = async (req, res) => {
    const user = currentUser(req);
    const existing = await skills.findOwned(user.id, String(req.params.id));
    const form = { view: 'skills/form', locals: await formLocals(res, existing) };
    const input = parseForm(req, res, skillSchema, form);
    try {
      await skills.update(user.id, existing.id, user.timezone, input);
    } catch (error) {
      if (error instanceof SessionTimeLockedError) throw fieldError(req, res, 'startsAt', error.messageKey, form);
      if (error instanceof MentorBusyError) throw fieldError(req, res, 'startsAt', error.messageKey, form);
      throw error;
    }
    setFlash(req, { kind: 'success', key: 'skills.saved' });
    redirect(req, res, `/skills/${existing.id}`);
  };

  const publish: RequestHandler = async (req, res) => {
    const id = String(req.params.id);
    try {
      await skills.setStatus(currentUser(req).id, id, 'published');
      setFlash(req, { kind: 'success', key: 'skills.published' });
    } catch (error) {
      if (!(error instanceof MentorBusyError || error instanceof PayoutAccountRequiredError)) throw error;
      setFlash(req, { kind: 'error', key: error.messageKey });
    }
    redirect(req, res, `/skills/${id}`);
  };

  /** Withdrawing a group session that has students asks for the reason they will read. */
  const withdrawForm: RequestHandler = async (req, res) => {
    const skill = await skills.findOwned(currentUser(req).id, String(req.params.id));
    if (skill.mode !== 'group' || skill.status !== 'published') return redirect(req, res, `/skills/${skill.id}`);
    render(req, res, 'skills/withdraw', { title: (res.locals.t as Translate)('skills.withdrawTitle'), skill, seats: await bookings.liveSeatCount(skill.id) });
  };

  const cancel: RequestHandler = async (req, res) => {
    const mentor = currentUser(req);
    const skill = await skills.findOwned(mentor.id, String(req.params.id));
    const { seats, needsReason } = await withdrawalPlan(deps.services, skill);
    const t = res.locals.t as Translate;
    const { reason } = needsReason
      ? parseForm(req, res, withdrawSchema, { view: 'skills/withdraw', locals: { title: t('skills.withdrawTitle'), skill, seats } })
      : { reason: '' };
    const ended = await withdrawSkill(deps.services, mentor.id, skill, reason, t('skills.cancelled'));
    setFlash(req, ended > 0 ? { kind: 'info', key: 'skills.withdrawn', params: { count: ended } } : { kind: 'info', key: 'skills.cancelled' });
    redirect(req, res, `/skills/${skill.id}`);
  };

  const uploadImage: RequestHandler = async (req, res) => {
    const user = currentUser(req);
    const skill = await skills.findOwned(user.id, String(req.params.id));
    const form = async () => ({ view: 'skills/form', locals: await formLocals(res, skill), values: valuesOf(res, skill, user.timezone) });
    await besideField(res, form, async () => {
      if (req.uploadError === 'tooLarge') throw new ImageRejectedError('tooLarge');
      await skills.replaceImage(user.id, skill.id, req.file);
    });
    setFlash(req, { kind: 'success', key: 'skills.imageSaved' });
    redirect(req, res, `/skills/${skill.id}/edit`);
  };

  const deleteImage: RequestHandler = async (req, res) => {
    const id = String(req.params.id);
    await skills.removeImage(currentUser(req).id, id);
    redirect(req, res, `/skills/${id}/edit`);
  };

  return { landing, search, show, listMine, newForm, create, editForm, update, publish, withdrawForm, cancel, uploadImage, deleteImage };
}
