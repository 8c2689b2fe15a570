// The public mentor page: who they are, what they offer (their published skills with
// one price story), their next free slots and reviews, and a way into the booking flow
// from each of them.
import type { RequestHandler } from 'express';
import type { Deps } from '../composition.ts';
import type { Formatters } from '../i18n/format.ts';
import type { Locale, Translate } from '../i18n/index.ts';
import { NotFoundError } from '../lib/errors.ts';
import { cachePage } from '../lib/page-cache.ts';
import { render } from '../lib/render.ts';
import { viewerZoneKnown } from '../lib/viewer-zone.ts';
import { priceHelpers, priceOptions } from '../skills/price-service.ts';
import type { Duration } from '../slots/engine.ts';
import { countryName, languageName } from './countries.ts';

const NEXT_SLOTS = 6;

export function mentorHandlers(deps: Deps) {
  const { slots } = deps.services;

  const profile: RequestHandler = async (req, res) => {
    // The replica for visitors; slots (bookable or not) are always computed on the primary.
    const { users, skills } = deps.catalogue(req);
    const mentor = await users.findPublicMentor(String(req.params.username));
    if (!mentor) throw new NotFoundError();
    cachePage(res, [`mentor:${mentor.id}`]);
    const locale = res.locals.locale as Locale;
    const offered = await skills.listPublicOf(mentor.id);
    // The chips book the shortest one-on-one session: the first of the list.
    const slotSkill = offered.find((s) => s.mode === 'one_on_one');
    const slotMinutes = slotSkill ? (Math.min(...slotSkill.durations) as Duration) : undefined;
    const nextSlots = slotSkill && slotMinutes
      ? (await slots.freeSlotsFor(mentor, { durationMinutes: slotMinutes, exceptHoldOf: req.user?.id })).filter((s) => !s.conflict).slice(0, NEXT_SLOTS)
      : [];
    // The indication the profile gives instead of a self-declared hourly rate: the
    // cheapest session actually on sale, as the booking would charge it.
    const fmt = res.locals.fmt as Formatters;
    const t = res.locals.t as Translate;
    const prices = priceHelpers(fmt, t);
    const options = offered.flatMap((s) => priceOptions(s).map((o) => ({ ...o, currency: s.currency }))).sort((a, b) => a.priceCents - b.priceCents);
    const cheapest = options.length > 1 ? t('skills.priceLine.from', { price: fmt.money(options[0]!.priceCents, options[0]!.currency) }) : offered[0] && prices.priceOf(offered[0]);
    render(req, res, 'users/mentor', {
      title: mentor.displayName,
      mentor,
      country: countryName(mentor.country, locale),
      languages: mentor.languages.map((code) => languageName(code, locale)),
      skills: offered,
      slotSkill,
      slotMinutes,
      nextSlots,
      cheapest,
      isOwner: req.user?.id === mentor.id,
      zoneKnown: viewerZoneKnown(req),
      ...prices,
    }, { fragment: 'users/_mentor-slots' });
  };

  return { profile };
}
