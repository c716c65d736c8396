import {
  CalmsScores,
  CheckResult,
  DAY_MS,
  DoraMetrics,
  EntityScope,
  evaluateMaturity,
  MaturityLevelDefinition,
  utcDayStart,
} from '@devops-maturity/backstage-plugin-common';
import { CheckHistoryRow, MaturityStore } from '../database/types';
import { seededRandom } from './random';
import type { DoraService } from '../service/DoraService';
import type { MaturityService } from '../service/MaturityService';

/** How many days before today the demo backfills. */
export const DEMO_HISTORY_DAYS = 365;

/** Where a demo service stands today, as the rankings score it: what its history leads to. */
export interface DemoToday {
  /** The maturity model in force: the settings' `maturity.levels`. */
  levels: MaturityLevelDefinition[];
  /** Today's check results. */
  checks: CheckResult[];
  /** Today's CALMS scores, with the self-assessment behind them. */
  calms: CalmsScores;
  /** Today's DORA figures over the rankings' default window. */
  dora?: DoraMetrics;
  /** Where the entity's type and lifecycle place it (a library is not judged on DORA). */
  scope?: EntityScope;
}

const clamp = (v: number, min: number, max: number) =>
  Math.min(max, Math.max(min, v));

/**
 * Today's CALMS scores moved by `shift` points, as they stood at `at`: the self-assessment
 * counts only once submitted, and goes stale as it would have.
 */
function calmsAt(today: CalmsScores, shift: number, at: number): CalmsScores {
  const pillars = today.pillars.map(p =>
    p.score === null
      ? p
      : { ...p, score: Math.round(clamp(p.score + shift, 0, 100)) },
  );
  const scored = pillars.filter(p => p.score !== null);
  const a = today.assessment;
  const submitted = a ? Date.parse(a.submittedAt) : Infinity;
  return {
    ...today,
    pillars,
    overall: scored.length
      ? Math.round(scored.reduce((s, p) => s + p.score!, 0) / scored.length)
      : null,
    assessment:
      a && submitted <= at
        ? { ...a, stale: at - submitted > a.staleAfterDays * DAY_MS }
        : undefined,
  };
}

/**
 * A plausible past for a demo service, one row per day for the `days` days before today
 * (today's row is the rankings'): deterministic per entity. Most checks it passes today started
 * passing on some day of the year, a few it fails today passed once, and its CALMS pillars
 * drift up to today's. Each day's level is the maturity model's verdict on that day's checks
 * and CALMS scores, so the level never contradicts the check changes listed under the chart.
 */
export function demoHistory(
  entityRef: string,
  today: DemoToday,
  now: number,
  days = DEMO_HISTORY_DAYS,
): CheckHistoryRow[] {
  const rand = seededRandom(`history-${entityRef}`);
  const todayStart = utcDayStart(now);
  // Per check: how many days ago it took today's status (0: it always had it).
  const since = today.checks.map(c => {
    // A check scored for information only (a template: there or not applicable) never fails,
    // so it has no failing past to come from.
    if (c.scored === false) return 0;
    if (c.status === 'pass')
      return rand() < 0.35 ? 0 : 7 + Math.floor(rand() * (days - 30));
    if (c.status === 'fail' && rand() < 0.25)
      return 3 + Math.floor(rand() * 60);
    return 0;
  });
  const improvements = since
    .map((ago, i) => (today.checks[i].status === 'pass' ? ago : 0))
    .filter(ago => ago > 0);
  const calmsToday = today.calms.overall;
  const calmsStart =
    calmsToday === null
      ? null
      : clamp(calmsToday - 10 - Math.floor(rand() * 25), 5, 100);

  const rows: CheckHistoryRow[] = [];
  for (let ago = days; ago >= 1; ago--) {
    const day = todayStart - ago * DAY_MS;
    // How far along the way to today this day is: by the checks, and by the calendar.
    const done = improvements.length
      ? improvements.filter(a => a >= ago).length / improvements.length
      : 1 - ago / days;
    const checks = today.checks.map((c, i): CheckResult => {
      if (since[i] > 0 && ago > since[i]) {
        // Before the change: the other side of pass and fail.
        const status = c.status === 'pass' ? 'fail' : 'pass';
        return { ...c, status, value: status === 'pass' ? 1 : 0 };
      }
      return c;
    });
    // Teams' scores wobble from week to week, not from day to day; the wobble fades over the
    // last two weeks so that yesterday scores as today does.
    const noise =
      (seededRandom(`${entityRef}:week-${Math.floor(ago / 7)}`)() * 3 - 1.5) *
      Math.min(1, ago / 14);
    const shift =
      calmsStart === null || calmsToday === null
        ? 0
        : (calmsStart - calmsToday) *
            (1 - (0.5 * done + 0.5 * (1 - ago / days))) +
          noise;
    // As the day's last ranking run would have seen it.
    const calms = calmsAt(today.calms, shift, day + DAY_MS - 1);
    // DORA: today's figures stand in for every past day's. The demo's profiles deliver at a
    // steady pace and its events reach back only 180 days, so recomputing a window per day
    // would mostly repeat today's tier and, further back, show the seeder's horizon as
    // "no data" rather than a history.
    const { level } = evaluateMaturity(today.levels, {
      checks,
      calms,
      dora: today.dora,
      scope: today.scope,
    });
    rows.push({
      entityRef,
      day,
      level,
      calmsScore: calms.overall,
      results: checks.map(c => ({
        id: c.id,
        status: c.status,
        value: c.value,
      })),
    });
  }
  return rows;
}

/**
 * Backfills the history of these demo services that have no row before today (a restart, or a
 * second seeding, writes nothing): their past evolving toward where they stand today.
 * Answers how many services it backfilled.
 */
export async function seedDemoHistory(options: {
  store: Pick<MaturityStore, 'checkHistorySince' | 'recordCheckHistory'>;
  entityRefs: string[];
  /** Where the service stands today; undefined to skip it. */
  today: (entityRef: string) => Promise<DemoToday | undefined>;
  now: number;
}): Promise<number> {
  const { store, now } = options;
  let seeded = 0;
  for (const entityRef of options.entityRefs) {
    // Rows from today on, led by the last row before today: any such row means a past exists.
    const existing = await store.checkHistorySince(entityRef, utcDayStart(now));
    if (existing.some(r => r.day < utcDayStart(now))) continue;
    const today = await options.today(entityRef);
    if (!today) continue;
    await store.recordCheckHistory(demoHistory(entityRef, today, now));
    seeded += 1;
  }
  return seeded;
}

/**
 * Where a service stands today, as the rankings record it (the default window and profile):
 * the end the backfilled history leads to. Undefined for an entity not mirrored yet.
 */
export function demoToday(deps: {
  dora: DoraService;
  maturity: MaturityService;
  levels: MaturityLevelDefinition[];
}): (entityRef: string) => Promise<DemoToday | undefined> {
  const { dora, maturity, levels } = deps;
  return async entityRef => {
    const window = dora.window({});
    const profile = dora.profile();
    try {
      const [m, metrics, entity] = await Promise.all([
        maturity.entityMaturity(entityRef, window, profile),
        dora.metricsOf(entityRef, window, profile),
        dora.requireEntity(entityRef),
      ]);
      return {
        levels,
        checks: m.checks,
        calms: m.calms,
        dora: metrics,
        scope: maturity.scopeOf(entity),
      };
    } catch {
      return undefined;
    }
  };
}
