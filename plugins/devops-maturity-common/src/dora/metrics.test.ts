import { DeploymentEvent } from '../events';
import { DEFAULT_DORA_OPTIONS } from './attribution';
import { deriveDoraFacts } from './derive';
import { emptyFacts } from './facts';
import { computeDoraMetrics, computeDoraMetricsByProfile } from './metrics';
import { DORA_2021, DORA_2023 } from './tiers';
import { computeDoraTrend } from './trend';

function deploy(id: string, finishedAt: string): DeploymentEvent {
  return {
    id,
    source: 'api',
    entityRef: 'component:default/a',
    environment: 'production',
    status: 'success',
    finishedAt,
    commits: [],
    kind: 'normal',
  };
}

describe('deploy-days per week and month', () => {
  // A rolling 90-day window, as the UI asks for: it starts and ends part-way through a day.
  // Wed 2026-06-03T10:30Z .. Tue 2026-09-01T10:30Z touches 14 Monday weeks (Jun 1 .. Aug 31)
  // and 4 calendar months (June .. September).
  const window = {
    from: Date.parse('2026-06-03T10:30:00Z'),
    to: Date.parse('2026-09-01T10:30:00Z'),
  };
  const events = [
    deploy('at-from', '2026-06-03T10:30:00Z'), // the first, partial day (week Jun 1)
    deploy('first-day', '2026-06-03T18:00:00Z'), // same day: one deploy-day
    deploy('w3', '2026-06-17T12:00:00Z'),
    deploy('w5', '2026-07-01T12:00:00Z'),
    deploy('w7', '2026-07-15T12:00:00Z'),
    deploy('w9', '2026-07-29T12:00:00Z'),
    deploy('w11', '2026-08-12T12:00:00Z'),
    deploy('w13', '2026-08-26T12:00:00Z'),
    deploy('last-day', '2026-09-01T09:00:00Z'), // the last, partial day (week Aug 31)
    deploy('at-to', '2026-09-01T10:30:00Z'), // the window is half-open: outside
  ];
  const facts = () => deriveDoraFacts(events, [], window, DEFAULT_DORA_OPTIONS);

  it('counts a deploy on the first, partial day of the window in its week and month', () => {
    const df = computeDoraMetrics(
      facts(),
      window,
      DORA_2023,
    ).deploymentFrequency;
    expect(df.deployments).toBe(9);
    expect(df.deployDays).toBe(8);
    // Weeks: 1 0 1 0 1 0 1 0 1 0 1 0 1 1 -> sorted 0 x6, 1 x8: the 7th and 8th are 1 and 1.
    // (Without the first day: 0 x7, 1 x7 -> 0.5.)
    expect(df.medianDeployDaysPerWeek).toBe(1);
    // Months: June 2 (Jun 3, Jun 17), July 3, August 2, September 1 -> median of 1 2 2 3 = 2.
    expect(df.medianDeployDaysPerMonth).toBe(2);
    // dora-2023: W >= 1 is high (W 0.5 would have been medium).
    expect(df.tier).toBe('high');
  });

  it('counts a deploy on the first, partial day of a month-based window', () => {
    // Sun 2026-05-31T12:00Z .. 2026-07-31T12:00Z: May (12 hours of it), June, July.
    const w = {
      from: Date.parse('2026-05-31T12:00:00Z'),
      to: Date.parse('2026-07-31T12:00:00Z'),
    };
    const df = computeDoraMetrics(
      deriveDoraFacts(
        [
          deploy('may', '2026-05-31T18:00:00Z'),
          deploy('june', '2026-06-10T08:00:00Z'),
        ],
        [],
        w,
        DEFAULT_DORA_OPTIONS,
      ),
      w,
      DORA_2021,
    ).deploymentFrequency;
    // Months: 1 1 0 -> M = 1, which is high in dora-2021 (M 0 would have been medium).
    expect(df.medianDeployDaysPerMonth).toBe(1);
    expect(df.tier).toBe('high');
    // Weeks May 25 .. Jul 27 (10): two with a deploy-day -> 0.
    expect(df.medianDeployDaysPerWeek).toBe(0);
  });

  it('counts each UTC day once, in the bucket of that day', () => {
    // Two deploys one minute apart across midnight into Monday are two days in two weeks.
    const w = {
      from: Date.parse('2026-06-07T23:00:00Z'),
      to: Date.parse('2026-06-08T01:00:00Z'),
    };
    const df = computeDoraMetrics(
      {
        ...emptyFacts(),
        deployments: [
          Date.parse('2026-06-07T23:59:30Z'),
          Date.parse('2026-06-08T00:00:30Z'),
        ].map(finishedAt => ({ finishedAt, failed: false, rework: false })),
      },
      w,
      DORA_2021,
    ).deploymentFrequency;
    expect(df.deployDays).toBe(2);
    expect(df.medianDeployDaysPerWeek).toBe(1); // weeks Jun 1 and Jun 8: 1 and 1
    expect(df.medianDeployDaysPerMonth).toBe(2);
  });

  it('counts facts handed in beyond the window as deploy-days, in their weeks and months only if the window has them', () => {
    // computeDoraMetrics counts the facts it is given: readFacts cuts them to the window.
    const w = {
      from: Date.parse('2026-06-10T00:00:00Z'),
      to: Date.parse('2026-06-17T00:00:00Z'),
    };
    const df = computeDoraMetrics(
      {
        ...emptyFacts(),
        deployments: [
          '2026-05-20T12:00:00Z', // in no week or month of the window
          '2026-06-01T12:00:00Z', // in its month, in none of its weeks
          '2026-06-01T13:00:00Z', // the same day
          '2026-06-09T12:00:00Z', // in its first week
          '2026-06-11T12:00:00Z',
          '2026-09-01T12:00:00Z', // in no week or month of the window
        ].map(t => ({
          finishedAt: Date.parse(t),
          failed: false,
          rework: false,
        })),
      },
      w,
      DORA_2021,
    ).deploymentFrequency;
    expect(df.deployments).toBe(6);
    expect(df.deployDays).toBe(5);
    expect(df.medianDeployDaysPerWeek).toBe(1); // weeks of Jun 8 and 15: 2 and 0
    expect(df.medianDeployDaysPerMonth).toBe(3); // June: Jun 1, 9 and 11
  });

  it('counts the first partial day in the first point of a trend, and nothing at the end', () => {
    const points = computeDoraTrend(facts(), window, 'week', DORA_2021);
    expect(points).toHaveLength(14);
    expect(points[0].start).toBe('2026-06-01T00:00:00.000Z');
    expect(points[0].metrics.window.from).toBe('2026-06-03T10:30:00.000Z');
    expect(points[0].metrics.deploymentFrequency).toMatchObject({
      deployments: 2,
      deployDays: 1,
      medianDeployDaysPerWeek: 1,
      medianDeployDaysPerMonth: 1,
    });
    expect(points[13].metrics.deploymentFrequency).toMatchObject({
      deployments: 1,
      deployDays: 1,
      medianDeployDaysPerWeek: 1,
    });

    const months = computeDoraTrend(facts(), window, 'month', DORA_2021);
    expect(
      months.map(p => p.metrics.deploymentFrequency.medianDeployDaysPerMonth),
    ).toEqual([2, 3, 2, 1]);
  });
});

describe('computeDoraMetricsByProfile', () => {
  const HOUR = 3_600_000;
  const from = Date.parse('2026-06-03T10:30:00Z');
  const window = { from, to: from + 90 * 24 * HOUR };
  const facts = {
    ...emptyFacts(),
    deployments: [1, 30, 31, 200, 900].map((h, i) => ({
      finishedAt: from + h * HOUR,
      failed: i === 1,
      rework: i === 2,
      commitsComplete: i !== 3,
    })),
    // 20 hours: elite under dora-2023 (< 1 day), high under dora-2021 (< 7 days)
    changes: [{ deployedAt: from + 30 * HOUR, leadSeconds: 20 * 3600 }],
    restores: [{ resolvedAt: from + 40 * HOUR, seconds: 7200 }],
    openIncidents: { count: 1, oldestOpenedAt: from + 100 * HOUR },
  };

  it('grades the same figures as computeDoraMetrics does under each profile', () => {
    const [a, b] = computeDoraMetricsByProfile(facts, window, [
      DORA_2021,
      DORA_2023,
    ]);
    expect(a).toEqual(computeDoraMetrics(facts, window, DORA_2021));
    expect(b).toEqual(computeDoraMetrics(facts, window, DORA_2023));
    expect(a.leadTime.tier).not.toEqual(b.leadTime.tier);
  });

  it('counts the figures once and grades them by each profile, as the spec says', () => {
    const [a, b] = computeDoraMetricsByProfile(facts, window, [
      DORA_2021,
      DORA_2023,
    ]);
    // Deploy-days Jun 3, Jun 4 (two), Jun 11, Jul 10. Of the 14 Monday weeks three have any
    // (W = 0); months June 3, July 1, August 0, September 0 (M = 0.5).
    const figures = {
      deploymentFrequency: {
        deployments: 5,
        deployDays: 4,
        perDay: 5 / 90,
        medianDeployDaysPerWeek: 0,
        medianDeployDaysPerMonth: 0.5,
      },
      leadTime: {
        medianSeconds: 72_000,
        p90Seconds: 72_000,
        changes: 1,
        completeDeployments: 4,
        deployments: 5,
      },
      changeFailureRate: { value: 0.2, failedDeployments: 1, deployments: 5 },
      timeToRestore: {
        medianSeconds: 7200,
        restoredIncidents: 1,
        openIncidents: 1,
        // Opened 100 hours after the window's start, 2,060 hours before its end.
        oldestOpenSeconds: 2060 * 3600,
      },
      reworkRate: { value: 0.2, reworkDeployments: 1 },
    };
    expect(a).toMatchObject(figures);
    expect(b).toMatchObject(figures);
    const tiers = (m: typeof a) => [
      m.deploymentFrequency.tier,
      m.leadTime.tier,
      m.changeFailureRate.tier,
      m.timeToRestore.tier,
      m.overallTier,
    ];
    // dora-2021: M < 1 but a deploy: medium; 20 h < 7 days; 20% <= 20%; 2 h < 1 day. The
    // median of 1 2 2 2 is 2.
    expect(tiers(a)).toEqual(['medium', 'high', 'high', 'high', 'high']);
    // dora-2023: W < 1 and M < 1: low; 20 h < 1 day; 20% > 15%. The median of 0 3 0 2
    // (sorted 0 0 2 3) is 1.
    expect(tiers(b)).toEqual(['low', 'elite', 'low', 'high', 'medium']);
  });

  it('gives each profile its own reasons', () => {
    const [a, b] = computeDoraMetricsByProfile(emptyFacts(), window, [
      DORA_2021,
      DORA_2023,
    ]);
    expect(a.reasons.overall).toBeDefined();
    expect(a.reasons).not.toBe(b.reasons);
  });
});
