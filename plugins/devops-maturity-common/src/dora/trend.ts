import { bucketsOf, TimeWindow, TrendInterval } from '../time';
import { DoraFacts } from './facts';
import { computeDoraMetrics, DoraMetrics } from './metrics';
import { DoraProfile } from './tiers';

/** One week or month of a trend: the metrics over that part of the window. @public */
export interface DoraTrendPoint {
  /** Start of the calendar week (Monday) or month, ISO-8601. */
  start: string;
  metrics: DoraMetrics;
}

/** Cuts facts to a sub-window. */
function factsWithin(facts: DoraFacts, window: TimeWindow): DoraFacts {
  const inside = (t: number) => t >= window.from && t < window.to;
  return {
    deployments: facts.deployments.filter(d => inside(d.finishedAt)),
    changes: facts.changes.filter(c => inside(c.deployedAt)),
    restores: facts.restores.filter(r => inside(r.resolvedAt)),
    // Open incidents are known only at the whole window's end, so points carry none.
    openIncidents: { count: 0, oldestOpenedAt: null },
    deployedBefore:
      facts.deployedBefore ||
      facts.deployments.some(d => d.finishedAt < window.from),
    incidentsEverReported: facts.incidentsEverReported,
  };
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
      factsWithin(facts, bucket.window),
      bucket.window,
      profile,
    ),
  }));
}
