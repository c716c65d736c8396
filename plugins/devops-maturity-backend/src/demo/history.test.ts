import {
  BUILT_IN_CHECKS,
  CALMS_PILLAR_TITLES,
  CALMS_PILLARS,
  CheckResult,
  checkStatusChanges,
  DAY_MS,
  DEFAULT_MATURITY_LEVELS,
  DoraMetrics,
  evaluateMaturity,
} from '@devops-maturity/backstage-plugin-common';
import {
  createTestDatabases,
  createTestStore,
} from '../__testUtils__/databases';
import { CheckHistoryRow } from '../database/types';
import { DemoToday, demoHistory, seedDemoHistory } from './history';

jest.setTimeout(60_000);

const NOW = Date.parse('2026-11-21T08:00:00Z');
const TODAY = Date.parse('2026-11-21T00:00:00Z');
const ref = (name: string) => `component:default/${name}`;

// Everything up to level 4 passes; small batches (level 5) fails; nothing to judge for postmortems;
// created from a template (a check for information only, as runChecks marks it).
const FAILING = new Set(['small-batches']);
const checks: CheckResult[] = BUILT_IN_CHECKS.map(c => {
  let status: CheckResult['status'] = FAILING.has(c.id) ? 'fail' : 'pass';
  if (c.id === 'postmortem-coverage') status = 'not-applicable';
  return {
    ...(c.scored === false ? { scored: false as const } : {}),
    id: c.id,
    title: c.title,
    pillar: c.pillar,
    description: c.description,
    howToFix: c.howToFix,
    status,
    value: { pass: 1, fail: 0, 'not-applicable': null }[status],
    evidence: '',
  };
});
const dora = {
  window: { from: '2026-08-23T00:00:00.000Z', to: '2026-11-21T00:00:00.000Z' },
  profile: 'dora-2021',
  deploymentFrequency: { tier: 'high' },
  leadTime: { tier: 'medium' },
  changeFailureRate: { tier: 'medium' },
  timeToRestore: { tier: 'high' },
  reworkRate: { value: null, reworkDeployments: 0 },
  overallTier: 'medium',
  reasons: {},
} as unknown as DoraMetrics;
/** Every pillar at `score`, so that a day's pillars can be read off its overall score. */
const todayWith = (assessedDaysAgo: number, score = 72): DemoToday => ({
  levels: DEFAULT_MATURITY_LEVELS,
  checks,
  dora,
  calms: {
    pillars: CALMS_PILLARS.map(pillar => ({
      pillar,
      title: CALMS_PILLAR_TITLES[pillar],
      score,
      signalsScore: score,
      assessmentScore: score,
      basis: 'signals-and-assessment',
      signals: [],
    })),
    overall: score,
    assessment: {
      author: 'user:default/jane.doe',
      submittedAt: new Date(NOW - assessedDaysAgo * DAY_MS).toISOString(),
      stale: assessedDaysAgo > 90,
      staleAfterDays: 90,
    },
    basis: 'signals-and-assessment',
  },
});
const today = todayWith(20);
const levelOf = (t: DemoToday) => evaluateMaturity(t.levels, t).level;

/** What the maturity model makes of a recorded day: its checks, CALMS and assessment then. */
function levelOn(row: CheckHistoryRow, t: DemoToday): number {
  const results = new Map(row.results.map(r => [r.id, r]));
  const a = t.calms.assessment!;
  const submitted = Date.parse(a.submittedAt);
  const endOfDay = row.day + DAY_MS - 1;
  return evaluateMaturity(t.levels, {
    checks: t.checks.map(c => {
      const r = results.get(c.id)!;
      return {
        ...c,
        status: r.status as CheckResult['status'],
        value: r.value,
      };
    }),
    calms: {
      ...t.calms,
      pillars: t.calms.pillars.map(p => ({ ...p, score: row.calmsScore! })),
      overall: row.calmsScore!,
      assessment:
        submitted <= endOfDay
          ? { ...a, stale: endOfDay - submitted > a.staleAfterDays * DAY_MS }
          : undefined,
    },
    dora: t.dora,
  }).level;
}

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe('demo maturity history', () => {
  it('is a year of days before today, the same on every run', () => {
    const rows = demoHistory(ref('a'), today, NOW);
    expect(rows).toHaveLength(365);
    expect(rows[0].day).toBe(TODAY - 365 * DAY_MS);
    expect(rows[364].day).toBe(TODAY - DAY_MS);
    expect(rows).toEqual(demoHistory(ref('a'), today, NOW));
    expect(rows).not.toEqual(demoHistory(ref('b'), today, NOW));
  });

  it("gives every day the level the maturity model gives that day's checks and CALMS scores", () => {
    // A current self-assessment, and one that went stale 110 days ago: the level falls back then.
    for (const t of [today, todayWith(200)]) {
      for (const name of ['a', 'b', 'c', 'd', 'e', 'f']) {
        const rows = demoHistory(ref(name), t, NOW);
        for (const row of rows)
          expect([iso(row.day), row.level]).toEqual([
            iso(row.day),
            levelOn(row, t),
          ]);
        // A year ago lower than today, and yesterday as today.
        expect(rows[0].level).toBeLessThan(levelOf(t));
        expect(rows[364].level).toBe(levelOf(t));
      }
    }
    expect(levelOf(today)).toBe(4);
    expect(levelOf(todayWith(200))).toBe(3);
  });

  it('gives a check for information only no failing past: a template is there or not, never failed', () => {
    expect(checks.find(c => c.id === 'golden-path-template')?.scored).toBe(
      false,
    );
    // Twenty services: each draws its own past, and most would flip a passing check.
    for (let i = 0; i < 20; i++)
      for (const row of demoHistory(ref(`svc-${i}`), today, NOW))
        expect(
          row.results.find(r => r.id === 'golden-path-template')?.status,
        ).toBe('pass');
  });

  it('reaches level 4 only once the team has assessed itself', () => {
    const assessed = TODAY - 20 * DAY_MS;
    for (const name of ['a', 'b', 'c', 'd']) {
      const rows = demoHistory(ref(name), today, NOW);
      expect(rows.some(r => r.level === 4)).toBe(true);
      expect(
        rows.filter(r => r.level === 4).every(r => r.day >= assessed),
      ).toBe(true);
    }
  });

  it("climbs to today's CALMS score, checks starting to pass on the way", () => {
    for (const name of ['a', 'b', 'c', 'd']) {
      const rows = demoHistory(ref(name), today, NOW);
      const calms = rows.map(r => r.calmsScore!);
      expect(calms.every(c => c >= 0 && c <= 100)).toBe(true);
      expect(calms[0]).toBeLessThan(65);
      expect(calms[364]).toBe(72);
      // Yesterday as today, bar a check that stopped passing.
      const changes = checkStatusChanges(
        [
          ...rows,
          { results: checks, day: TODAY, entityRef: ref(name), level: 4 },
        ].map(r => ({ day: iso(r.day), results: r.results })),
      );
      expect(changes.some(c => c.from === 'fail' && c.to === 'pass')).toBe(
        true,
      );
      expect(
        changes.filter(c => c.day === iso(TODAY)).every(c => c.to === 'fail'),
      ).toBe(true);
      // A check with nothing to judge stays so.
      expect(changes.some(c => c.checkId === 'postmortem-coverage')).toBe(
        false,
      );
    }
  });

  it('keeps no CALMS score for a service that has none', () => {
    const t = todayWith(20);
    t.calms = {
      ...t.calms,
      pillars: t.calms.pillars.map(p => ({ ...p, score: null })),
      overall: null,
    };
    const rows = demoHistory(ref('a'), t, NOW);
    expect(rows.every(r => r.calmsScore === null)).toBe(true);
    // Every pillar unscored blocks level 4 every day.
    expect(rows.every(r => r.level <= 3)).toBe(true);
  });

  const databases = createTestDatabases();
  describe.each(databases.eachSupportedId())('stored on %p', databaseId => {
    it('backfills only services without a past, so a restart writes nothing', async () => {
      const { stores } = await createTestStore(databases, databaseId);
      // Recorded yesterday already: a service the demo ran for before.
      await stores.maturity.recordCheckHistory([
        {
          entityRef: ref('old'),
          day: TODAY - DAY_MS,
          level: 1,
          calmsScore: 10,
          results: [],
        },
      ]);
      // Today's row only (the rankings ran first): still backfilled.
      await stores.maturity.recordCheckHistory([
        { entityRef: ref('new'), day: TODAY, level: 4, results: [] },
      ]);
      const asked: string[] = [];
      const seed = () =>
        seedDemoHistory({
          store: stores.maturity,
          entityRefs: [ref('old'), ref('new'), ref('gone')],
          today: async entityRef => {
            asked.push(entityRef);
            return entityRef === ref('gone') ? undefined : today;
          },
          now: NOW,
        });
      expect(await seed()).toBe(1);
      expect(asked).toEqual([ref('new'), ref('gone')]);
      const rows = await stores.maturity.checkHistorySince(ref('new'), 0);
      expect(rows).toHaveLength(366);
      expect(rows.slice(0, 365)).toEqual(demoHistory(ref('new'), today, NOW));
      expect(rows[365]).toMatchObject({ day: TODAY, level: 4 });
      expect(
        await stores.maturity.checkHistorySince(ref('old'), 0),
      ).toHaveLength(1);

      expect(await seed()).toBe(0);
      expect(
        await stores.maturity.checkHistorySince(ref('new'), 0),
      ).toHaveLength(366);
    });
  });
});
