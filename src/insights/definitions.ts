// The figures the definitions page explains, in the order of docs/metrics.md; each key is
// named there in backticks, and a test checks that none of them lacks its entry here.
import type { Translate } from '../i18n/index.ts';

export const DEFINITION_KEYS = [
  'days',
  'previousPeriod',
  'freshness',
  'views',
  'visitors',
  'visitorDays',
  'bots',
  'modalOpened',
  'detailsReached',
  'summaryReached',
  'requested',
  'confirmed',
  'completed',
  'stepRate',
  'cohort',
  'sessions',
  'averageMinutes',
  'heatmap',
  'earnings',
  'cancelledByStudent',
  'cancelledByMentor',
  'lateCancelled',
  'cancellationRate',
  'noShow',
  'averageRating',
  'topLists',
  'newcomers',
  'enrollments',
  'courseReviews',
] as const;

export function definitionEntries(t: Translate) {
  return DEFINITION_KEYS.map((key) => ({ key, term: t(`insights.def.${key}.term`), text: t(`insights.def.${key}.text`) }));
}
