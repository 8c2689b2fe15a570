// What public/js/insights-charts.js draws: a JSON island per chart, with its series named
// and told apart by dash and markers, and a caption that states the key figure in words
// (the page's own table beneath each chart carries every value).
import type { Formatters } from '../i18n/format.ts';
import type { Translate } from '../i18n/index.ts';
import type { InsightsReport } from './model.ts';
import { oneDecimal, weeklyRatings } from './report-tables.ts';

export interface ChartSeries {
  label: string;
  values: (number | null)[];
  /** Canvas line dash ([] is solid): the series differ by shape, not only by colour. */
  dash: number[];
  points: boolean;
}

export interface ChartSpec {
  id: string;
  /** The table beneath it. */
  table: string;
  caption: string;
  /** Days 'YYYY-MM-DD' in the viewer's zone, plotted as they are. */
  x: string[];
  series: ChartSeries[];
  yRange?: [number, number];
}

const DASHES = { solid: [], dashed: [8, 5], dotted: [2, 4], dashDot: [10, 4, 2, 4] };
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

export function reportCharts(report: InsightsReport, fmt: Formatters, t: Translate): ChartSpec[] {
  const d = report.daily;
  const span = { from: fmt.dayDate(report.range.from), to: fmt.dayDate(report.range.to) };
  const sessions = sum(d.map((p) => p.sessions));
  const requested = sum(d.map((p) => p.requested));
  const weeks = weeklyRatings(d);
  const reviews = sum(weeks.map((w) => w.reviews));
  const ratingSum = sum(d.map((p) => p.ratingSum));
  const charts: ChartSpec[] = [
    {
      id: 'chart-daily', table: 'daily', x: d.map((p) => p.day),
      caption: t('insights.chart.daily', { sessions, requested, ...span }),
      series: [
        { label: t('insights.col.sessions'), values: d.map((p) => p.sessions), dash: DASHES.solid, points: true },
        { label: t('insights.col.requested'), values: d.map((p) => p.requested), dash: DASHES.dashed, points: false },
      ],
    },
    {
      id: 'chart-ratings', table: 'ratings', x: weeks.map((w) => w.week), yRange: [0, 5],
      caption: reviews > 0 ? t('insights.chart.ratings', { average: fmt.number(oneDecimal(ratingSum / reviews)), reviews }) : t('insights.chart.noRatings'),
      series: [{ label: t('insights.col.averageRating'), values: weeks.map((w) => (w.averageRating === null ? null : oneDecimal(w.averageRating))), dash: DASHES.solid, points: true }],
    },
  ];
  const w = report.platform?.weeks;
  if (w) {
    const total = (k: 'students' | 'mentors' | 'enrollments' | 'courseReviews') => sum(w.map((p) => p[k]));
    charts.push({
      id: 'chart-newcomers', table: 'newcomers', x: w.map((p) => p.week),
      caption: t('insights.chart.newcomers', { students: total('students'), mentors: total('mentors'), enrollments: total('enrollments'), courseReviews: total('courseReviews') }),
      series: [
        { label: t('insights.col.students'), values: w.map((p) => p.students), dash: DASHES.solid, points: true },
        { label: t('insights.col.mentors'), values: w.map((p) => p.mentors), dash: DASHES.dashed, points: true },
        { label: t('insights.col.enrollments'), values: w.map((p) => p.enrollments), dash: DASHES.dotted, points: true },
        { label: t('insights.col.courseReviews'), values: w.map((p) => p.courseReviews), dash: DASHES.dashDot, points: true },
      ],
    });
  }
  return charts;
}
