// One price story for a skill, wherever it is shown (card, skill page, profile, booking
// modal, summary): the amounts come from the booking rule `priceFor`, so what a card
// says is what the booking will cost.
import { priceFor } from '../bookings/service.ts';
import type { Formatters } from '../i18n/format.ts';
import type { Translate } from '../i18n/index.ts';
import type { Skill } from './model.ts';

type Priced = Pick<Skill, 'priceCents' | 'durations' | 'currency'>;

export interface PriceOption {
  durationMinutes: number;
  priceCents: number;
}

/** Every duration offered, shortest first, with what it costs. */
export function priceOptions(skill: Priced): PriceOption[] {
  return [...skill.durations].sort((a, b) => a - b).map((d) => ({ durationMinutes: d, priceCents: priceFor(skill, d) }));
}

/** "€30 · 30 min" for one duration; "from €30" when the price depends on the duration chosen. */
export function priceLabel(skill: Priced, fmt: Formatters, t: Translate): string {
  const [first, ...others] = priceOptions(skill);
  if (!first) return '';
  const amount = fmt.money(first.priceCents, skill.currency);
  return others.length ? t('skills.priceLine.from', { price: amount }) : t('skills.priceLine.single', { price: amount, minutes: first.durationMinutes });
}

/** "30 min · €30" for one duration of the skill (the modal's duration chips, the skill page). */
export function durationPriceLabel(skill: Priced, durationMinutes: number, fmt: Formatters, t: Translate): string {
  return t('skills.priceLine.duration', { price: fmt.money(priceFor(skill, durationMinutes), skill.currency), minutes: durationMinutes });
}

/** What the views call: the same two labels bound to the viewer's language. */
export function priceHelpers(fmt: Formatters, t: Translate) {
  return {
    priceOf: (skill: Priced) => priceLabel(skill, fmt, t),
    durationPriceOf: (skill: Priced, minutes: number) => durationPriceLabel(skill, minutes, fmt, t),
  };
}
