import {
  computeDoraTrend,
  DAY_MS,
  TimeWindow,
  utcWeekStart,
  OwnerHistory,
  poolFacts,
  utcDayStart,
  weeklyLevelMix,
} from '@devops-maturity/backstage-plugin-common';
import { DoraStores } from '../database/openStores';
import { DevopsMaturitySettings } from '../config';
import { DoraService } from './DoraService';
import type { Visibility } from './ReadAccess';

/**
 * The window from its first whole Monday week on: a first week of a few hours, with a tier
 * from a handful of events, would read as a collapse on the chart. The last (current) week
 * stays, partial: it is the news.
 */
function wholeWeeks(window: TimeWindow): TimeWindow {
  const monday = utcWeekStart(window.from);
  return monday === window.from
    ? window
    : { from: monday + 7 * DAY_MS, to: window.to };
}

/**
 * A team's history week by week: the maturity level mix of its services from the daily check
 * history, and its DORA tiers from the events of those services pooled (as the owner's DORA
 * figures are). The math is -common's.
 */
export class TeamHistoryService {
  constructor(
    private readonly stores: Pick<DoraStores, 'facts' | 'maturity'>,
    private readonly settings: DevopsMaturitySettings,
    private readonly dora: DoraService,
  ) {}

  /**
   * The last `days` days ending now, for the entities the team owns today that the reader may
   * see: an entity that joined the team later is unrecorded in the weeks before its first
   * record, one that left it is not counted at all.
   */
  async ownerHistory(
    ownerRef: string,
    query: { days: number; profile?: string; includeChildren?: boolean },
    visibility: Visibility = { all: true },
  ): Promise<OwnerHistory> {
    const window = wholeWeeks(this.dora.window({ days: query.days }));
    const profile = this.dora.profile(query.profile);
    const { group, children, entityRefs } = await this.dora.visibleTeam(
      ownerRef,
      query.includeChildren,
      visibility,
    );
    const [facts, recorded] = await Promise.all([
      this.stores.facts.readFacts(entityRefs, window),
      this.stores.maturity.checkLevelsBetween(
        entityRefs,
        utcDayStart(window.from),
        window.to,
      ),
    ]);
    const trend = computeDoraTrend(
      poolFacts([...facts.values()]),
      window,
      'week',
      profile,
    );
    // Level 0 (no level reached) is no rung of the ladder, but a level services stand at.
    const levels = [
      ...new Set([0, ...this.settings.maturity.levels.map(l => l.level)]),
    ].sort((a, b) => a - b);
    const mix = weeklyLevelMix(recorded, entityRefs, window, levels);
    // Both cut the window into the same weeks (bucketsOf): the i-th of each is the same week.
    const weeks = trend.map(({ start, metrics: m }, i) => ({
      ...mix[i],
      start,
      // The current week: a chart must not read its few days as a whole week's figures.
      ...(Date.parse(start) + 7 * DAY_MS > window.to
        ? { partial: true as const }
        : {}),
      dora: {
        overallTier: m.overallTier,
        deploymentFrequency: m.deploymentFrequency.tier,
        leadTime: m.leadTime.tier,
        changeFailureRate: m.changeFailureRate.tier,
        timeToRestore: m.timeToRestore.tier,
      },
    }));
    return {
      ownerRef,
      title: group?.title,
      window: {
        from: new Date(window.from).toISOString(),
        to: new Date(window.to).toISOString(),
      },
      days: query.days,
      profile: profile.id,
      includeChildren: children,
      entityRefs,
      weeks,
    };
  }
}
