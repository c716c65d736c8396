import { DeploymentEvent, IncidentEvent } from '../events';
import { DEFAULT_DORA_OPTIONS } from './attribution';
import { deriveDoraFacts } from './derive';
import { computeDoraMetrics } from './metrics';
import { DORA_2021 } from './tiers';

const H = 3600;
const window = {
  from: Date.parse('2026-06-01T00:00:00Z'),
  to: Date.parse('2026-07-01T00:00:00Z'),
};
const at = (day: number, hour = 0) =>
  new Date(window.from + (day * 24 + hour) * H * 1000).toISOString();

function deploy(
  id: string,
  finishedAt: string,
  extra: Partial<DeploymentEvent> = {},
): DeploymentEvent {
  return {
    id,
    source: 'api',
    entityRef: 'component:default/a',
    environment: 'production',
    status: 'success',
    finishedAt,
    commits: [],
    kind: 'normal',
    ...extra,
  };
}

function incident(
  id: string,
  openedAt: string,
  extra: Partial<IncidentEvent> = {},
): IncidentEvent {
  return {
    id,
    source: 'api',
    entityRef: 'component:default/a',
    openedAt,
    ...extra,
  };
}

function metrics(
  deployments: DeploymentEvent[],
  incidents: IncidentEvent[] = [],
  options = DEFAULT_DORA_OPTIONS,
) {
  return computeDoraMetrics(
    deriveDoraFacts(deployments, incidents, window, options),
    window,
    DORA_2021,
  );
}

describe('deriveDoraFacts + computeDoraMetrics', () => {
  describe('which deployments count', () => {
    it('counts only successful production deployments, in prod or production, any case', () => {
      const m = metrics([
        deploy('1', at(1)),
        deploy('2', at(2), { environment: 'PROD' }),
        deploy('3', at(3), { environment: 'staging' }),
        deploy('4', at(4), { status: 'failure' }),
      ]);
      expect(m.deploymentFrequency.deployments).toBe(2);
      expect(m.changeFailureRate.deployments).toBe(2);
    });

    it('counts a resent deployment once, with the last copy winning', () => {
      const m = metrics([
        deploy('1', at(1)),
        deploy('1', at(1), { environment: 'staging' }),
        deploy('2', at(2)),
      ]);
      expect(m.deploymentFrequency.deployments).toBe(1);
    });

    it('uses a half-open window: a deploy at `to` is outside, at `from` inside', () => {
      const m = metrics([deploy('1', at(0)), deploy('2', at(30))]);
      expect(m.deploymentFrequency.deployments).toBe(1);
    });

    it('reads any ISO-8601 offset as the instant it names', () => {
      // 2026-07-01T01:00+02:00 is 2026-06-30T23:00Z: inside the window.
      const m = metrics([deploy('1', '2026-07-01T01:00:00+02:00')]);
      expect(m.deploymentFrequency.deployments).toBe(1);
    });
  });

  describe('lead time for changes', () => {
    it('counts each sha at its first production deployment only, with an interpolated median', () => {
      const m = metrics([
        deploy('1', at(2), {
          commits: [
            { sha: 'a', committedAt: at(1) },
            { sha: 'b', committedAt: at(2, -2) },
          ],
        }),
        // A redeploy of a and a rollback carrying b do not count them again.
        deploy('2', at(5), {
          commits: [
            { sha: 'a', committedAt: at(1) },
            { sha: 'c', committedAt: at(4) },
          ],
        }),
        deploy('3', at(6), {
          kind: 'rollback',
          commits: [{ sha: 'b', committedAt: at(2, -2) }],
        }),
        // A staging deployment does not make a sha "deployed".
        deploy('4', at(7), {
          environment: 'staging',
          commits: [{ sha: 'd', committedAt: at(6) }],
        }),
        deploy('5', at(9), { commits: [{ sha: 'd', committedAt: at(6) }] }),
      ]);
      // a: 24 h, b: 2 h, c: 24 h, d: 72 h -> sorted 2, 24, 24, 72: median 24 h
      expect(m.leadTime.changes).toBe(4);
      expect(m.leadTime.medianSeconds).toBe(24 * H);
      // p90: rank 2.7 -> 24 + 0.7 * 48 = 57.6 h
      expect(m.leadTime.p90Seconds).toBeCloseTo(57.6 * H);
      expect(m.leadTime.tier).toBe('high');
    });

    it('keeps seconds, never truncating to hours, and averages the two middle values', () => {
      const m = metrics([
        deploy('1', at(3), {
          commits: [
            {
              sha: 'a',
              committedAt: new Date(Date.parse(at(3)) - 1800_000).toISOString(),
            },
          ],
        }),
        deploy('2', at(4), {
          commits: [
            {
              sha: 'b',
              committedAt: new Date(Date.parse(at(4)) - 2700_000).toISOString(),
            },
          ],
        }),
      ]);
      expect(m.leadTime.medianSeconds).toBe(2250);
      expect(m.leadTime.tier).toBe('elite');
    });

    it('drops lead times <= 0 (clock skew) and reports the reason when none is left', () => {
      const m = metrics([
        deploy('1', at(3), {
          commits: [
            { sha: 'a', committedAt: at(3) },
            { sha: 'b', committedAt: at(4) },
          ],
        }),
      ]);
      expect(m.leadTime.changes).toBe(0);
      expect(m.leadTime.medianSeconds).toBeNull();
      expect(m.leadTime.tier).toBeNull();
      expect(m.reasons.leadTime).toMatch(/no commits/);
    });

    it('puts a commit in the window of its first deploy: one first deployed before the window is not counted', () => {
      const m = metrics([
        deploy('0', at(-3), { commits: [{ sha: 'a', committedAt: at(-4) }] }),
        deploy('1', at(2), {
          commits: [
            { sha: 'a', committedAt: at(-4) },
            { sha: 'b', committedAt: at(1) },
          ],
        }),
      ]);
      expect(m.leadTime.changes).toBe(1);
      expect(m.leadTime.medianSeconds).toBe(24 * H);
    });
  });

  describe('change failure rate', () => {
    it('links an incident by explicit deploymentId first, then causeSha, then the latest deployment before it', () => {
      const ds = [
        deploy('1', at(1), { commits: [{ sha: 's1', committedAt: at(0) }] }),
        deploy('2', at(2)),
        deploy('3', at(3)),
        deploy('4', at(4)),
        deploy('5', at(5)),
      ];
      const m = metrics(ds, [
        incident('i1', at(5, 1), { deploymentId: '2' }), // -> 2, not 5
        incident('i2', at(5, 2), { causeSha: 's1' }), // -> 1
        incident('i3', at(3, 12)), // -> 3 (latest before)
        incident('i4', at(3, 13)), // -> 3 again: counted once
      ]);
      expect(m.changeFailureRate.failedDeployments).toBe(3);
      expect(m.changeFailureRate.deployments).toBe(5);
      expect(m.changeFailureRate.value).toBeCloseTo(0.6);
      expect(m.changeFailureRate.tier).toBe('low');
    });

    it('falls through an explicit cause that names nothing known', () => {
      const m = metrics(
        [deploy('1', at(1)), deploy('2', at(2))],
        [incident('i', at(1, 5), { deploymentId: 'nope', causeSha: 'nope' })],
      );
      expect(m.changeFailureRate.failedDeployments).toBe(1); // deployment 1, the latest before
    });

    it('does not guess when the fallback is disabled', () => {
      const m = metrics([deploy('1', at(1))], [incident('i', at(2))], {
        ...DEFAULT_DORA_OPTIONS,
        linkIncidentsToLatestDeployment: false,
      });
      expect(m.changeFailureRate.failedDeployments).toBe(0);
      expect(m.changeFailureRate.value).toBe(0);
      expect(m.changeFailureRate.tier).toBe('elite');
    });

    it('never links to a deployment that finished at or after the incident opened', () => {
      const m = metrics([deploy('1', at(2))], [incident('i', at(2))]);
      expect(m.changeFailureRate.failedDeployments).toBe(0);
    });

    it('marks a deployment failed when a later rollback or hotfix names it in fixes', () => {
      const m = metrics([
        deploy('1', at(1)),
        deploy('2', at(1, 1), { kind: 'rollback', fixes: '1' }),
        deploy('3', at(2)),
        deploy('4', at(2, 1), { kind: 'hotfix', fixes: '3' }),
        deploy('5', at(3)),
        // A normal deployment with fixes is rework, but does not make its target failed.
        deploy('6', at(4), { fixes: '5' }),
      ]);
      expect(m.changeFailureRate.failedDeployments).toBe(2);
      expect(m.reworkRate.reworkDeployments).toBe(3);
      expect(m.reworkRate.value).toBe(0.5);
    });

    it('has no value and a reason without deployments', () => {
      const m = metrics([], [incident('i', at(1))]);
      expect(m.changeFailureRate.value).toBeNull();
      expect(m.changeFailureRate.tier).toBeNull();
      expect(m.reasons.changeFailureRate).toBe(
        'no production deployments reported',
      );
      expect(m.reworkRate.value).toBeNull();
    });
  });

  describe('time to restore', () => {
    it('takes median, p90 and mean over incidents resolved in the window, reporting open ones beside', () => {
      const m = metrics(
        [],
        [
          incident('a', at(1), { resolvedAt: at(1, 1) }),
          incident('b', at(2), { resolvedAt: at(2, 3) }),
          incident('c', at(3), { resolvedAt: at(3, 2) }),
          incident('d', at(4), { resolvedAt: at(4, 10) }),
          // resolved after the window: belongs to the next one
          incident('e', at(29), { resolvedAt: at(31) }),
          // never resolved: no restore time; open at the window's end
          incident('f', at(20)),
          // opened before the window and resolved in it
          incident('g', at(-1), { resolvedAt: at(0, 6) }),
        ],
      );
      // 1, 3, 2, 10, 30 h -> sorted 1, 2, 3, 10, 30
      expect(m.timeToRestore.restoredIncidents).toBe(5);
      expect(m.timeToRestore.medianSeconds).toBe(3 * H);
      expect(m.timeToRestore.p90Seconds).toBeCloseTo((10 + 0.6 * 20) * H);
      expect(m.timeToRestore.meanSeconds).toBeCloseTo(9.2 * H);
      expect(m.timeToRestore.tier).toBe('high');
      expect(m.timeToRestore.openIncidents).toBe(2); // e and f were open at the window's end
      expect(m.timeToRestore.oldestOpenSeconds).toBe(10 * 24 * H); // f, opened day 20
    });

    it('says whether incidents were never reported or only none resolved', () => {
      expect(metrics([deploy('1', at(1))]).reasons.timeToRestore).toBe(
        'no incidents reported',
      );
      expect(metrics([], [incident('x', at(1))]).reasons.timeToRestore).toBe(
        'no incidents resolved in window',
      );
    });
  });

  it('combines metric tiers into the overall tier', () => {
    const m = metrics(
      [deploy('1', at(1), { commits: [{ sha: 'a', committedAt: at(0, 23) }] })],
      [incident('i', at(1, 1), { resolvedAt: at(1, 2) })],
    );
    // DF: one deploy-day in the window's only month, M = 1 -> high; LT exactly 1 h -> high
    // ("<" 1 h is elite); CFR 100% -> low; TTR exactly 1 h -> high.
    expect(m.deploymentFrequency.tier).toBe('high');
    expect(m.leadTime.tier).toBe('high');
    expect(m.changeFailureRate.tier).toBe('low');
    expect(m.timeToRestore.tier).toBe('high');
    expect(m.overallTier).toBe('high'); // sorted 0,2,2,2 -> (2+2)/2 = 2 -> high
  });
});
