// The key figures at the top of the page, each with its change against the previous period
// told in words (an arrow alone would leave it to colour and shape).
import type { Formatters } from '../i18n/format.ts';
import type { Translate } from '../i18n/index.ts';
import { averageMinutes, qualityRates, rate, type InsightsReport, type QualityTotals } from './model.ts';
import { asPercent, oneDecimal } from './report-tables.ts';

export type Trend = 'up' | 'down' | 'same';

export interface KeyFigure {
  key: string;
  label: string;
  value: string;
  trend: Trend;
  change: string;
}

type Measure = 'count' | 'rate' | 'average';

const cancelRate = (q: QualityTotals) => rate(q.cancelledByStudent + q.cancelledByMentor, q.requested);

export function keyFigures(report: InsightsReport, fmt: Formatters, t: Translate): KeyFigure[] {
  const days = report.range.days;
  const { funnel, usage, quality } = report;
  const show = (v: number | null, m: Measure) => (v === null ? '—' : m === 'rate' ? t('insights.percent', { value: fmt.number(asPercent(v)) }) : fmt.number(oneDecimal(v)));

  function change(now: number | null, before: number | null, m: Measure): { trend: Trend; change: string } {
    if (now === null || before === null) return { trend: 'same', change: t('insights.change.none', { days }) };
    // Counts change by a share of the previous figure; rates by percentage points; averages by their difference.
    const diff = m === 'count' ? (before > 0 ? asPercent((now - before) / before) : null) : m === 'rate' ? asPercent(now - before) : oneDecimal(now - before);
    if (diff === null) return now > 0 ? { trend: 'up', change: t('insights.change.fromZero', { days }) } : { trend: 'same', change: t('insights.change.same', { days }) };
    if (diff === 0) return { trend: 'same', change: t('insights.change.same', { days }) };
    const value = `${diff > 0 ? '+' : '−'}${fmt.number(Math.abs(diff))}`;
    return { trend: diff > 0 ? 'up' : 'down', change: t(`insights.change.${m}`, { value, days }) };
  }

  const figure = (key: string, now: number | null, before: number | null, m: Measure): KeyFigure => ({
    key, label: t(`insights.figure.${key}`), value: show(now, m), ...change(now, before, m),
  });
  const q = qualityRates(quality.current);
  const qb = qualityRates(quality.previous);
  return [
    figure('views', funnel.current.views, funnel.previous.views, 'count'),
    figure('visitors', funnel.current.visitors, funnel.previous.visitors, 'count'),
    figure('requested', funnel.current.requested, funnel.previous.requested, 'count'),
    figure('sessions', usage.current.sessions, usage.previous.sessions, 'count'),
    figure('averageMinutes', averageMinutes(usage.current), averageMinutes(usage.previous), 'average'),
    figure('cancelled', cancelRate(quality.current), cancelRate(quality.previous), 'rate'),
    figure('noShow', q.noShow, qb.noShow, 'rate'),
    figure('averageRating', q.averageRating, qb.averageRating, 'average'),
  ];
}
