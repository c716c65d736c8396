import { bucketsOf, TimeWindow, TrendInterval } from '../time';
import { DoraFacts, restrictFacts } from './facts';
import { computeDoraMetrics, DoraMetrics } from './metrics';
import { DoraProfile } from './tiers';

/** One week or month of a trend: the metrics over that part of the window. @public */
export interface DoraTrendPoint {
  /** Start of the calendar week (Monday) or month, ISO-8601. */
  start: string;
  metrics: DoraMetrics;
}

/**
 * The same metrics per week (Monday-based, UTC) or calendar month across the window,
 * partial first and last buckets clipped to the window.
 * @public
 */
export function computeDoraTrend(
  facts: DoraFacts,
  window: TimeWindow,
  interval: TrendInterval,
  profile: DoraProfile,
): DoraTrendPoint[] {
  return bucketsOf(window, interval).map(bucket => ({
    start: new Date(bucket.start).toISOString(),
    metrics: computeDoraMetrics(
      // Open incidents are known only at the whole window's end, so points carry none.
      {
        ...restrictFacts(facts, bucket.window),
        openIncidents: { count: 0, oldestOpenedAt: null },
      },
      bucket.window,
      profile,
    ),
  }));
}
