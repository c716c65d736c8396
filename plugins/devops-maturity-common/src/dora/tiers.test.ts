import { DAY_MS } from '../time';
import { computeDoraMetrics } from './metrics';
import { emptyFacts } from './facts';
import {
  DORA_2021,
  DORA_2023,
  overallTier,
  overrideProfile,
  tierAtMost,
  tierBelow,
} from './tiers';

describe('tiers', () => {
  it('puts a value exactly on a "<" bound in the worse tier', () => {
    expect(tierBelow(3600, DORA_2021.leadTimeSeconds)).toBe('high');
    expect(tierBelow(3599, DORA_2021.leadTimeSeconds)).toBe('elite');
    expect(tierBelow(180 * 86400, DORA_2021.leadTimeSeconds)).toBe('low');
    expect(tierBelow(86400, DORA_2023.leadTimeSeconds)).toBe('high');
  });

  it('puts a value exactly on a "<=" bound in the better tier', () => {
    expect(tierAtMost(0.15, DORA_2021.changeFailureRate)).toBe('elite');
    expect(tierAtMost(0.1501, DORA_2021.changeFailureRate)).toBe('high');
    expect(tierAtMost(0.3, DORA_2021.changeFailureRate)).toBe('medium');
    expect(tierAtMost(0.31, DORA_2021.changeFailureRate)).toBe('low');
    expect(tierAtMost(0.05, DORA_2023.changeFailureRate)).toBe('elite');
    expect(tierAtMost(0.16, DORA_2023.changeFailureRate)).toBe('low');
  });

  it('takes the median of the present tiers, rounded down, for the overall tier', () => {
    expect(overallTier(['elite', 'elite', 'low', 'low'])).toBe('medium'); // (3+0)/2 = 1.5 -> 1
    expect(overallTier(['elite', 'high', 'high', 'low'])).toBe('high');
    expect(overallTier(['elite', null, 'medium', null])).toBe('high'); // (3+1)/2 = 2
    expect(overallTier(['low', null, null, null])).toBe('low');
    expect(overallTier([null, null, null, null])).toBeNull();
  });

  it('lets configuration override single thresholds', () => {
    const custom = overrideProfile(DORA_2021, 'dora-2021', {
      leadTimeSeconds: { elite: 86400 },
    });
    expect(custom.leadTimeSeconds).toEqual({
      elite: 86400,
      high: 7 * 86400,
      medium: 180 * 86400,
    });
    expect(tierBelow(7200, custom.leadTimeSeconds)).toBe('elite');
    expect(custom.title).toBe(DORA_2021.title);
  });

  describe('deployment frequency', () => {
    // Window: Mon 2026-06-01 .. Mon 2026-06-29, four whole weeks, one (partial) month.
    const window = {
      from: Date.parse('2026-06-01T00:00:00Z'),
      to: Date.parse('2026-06-29T00:00:00Z'),
    };
    const on = (day: number, hour = 12) => ({
      finishedAt: window.from + day * DAY_MS + hour * 3600_000,
      failed: false,
      rework: false,
    });

    it('is elite at a median of 5 deploy-days per week, counting days not deploys', () => {
      const days = [0, 1, 2, 3, 4, 7, 8, 9, 10, 11, 14, 15, 16, 17, 18, 21, 22];
      const deployments = [...days.map(d => on(d)), on(0, 13), on(0, 14)];
      const m = computeDoraMetrics(
        { ...emptyFacts(), deployments },
        window,
        DORA_2021,
      );
      // weeks: 5, 5, 5, 2 -> median 5
      expect(m.deploymentFrequency.medianDeployDaysPerWeek).toBe(5);
      expect(m.deploymentFrequency.deployDays).toBe(17);
      expect(m.deploymentFrequency.deployments).toBe(19);
      expect(m.deploymentFrequency.perDay).toBeCloseTo(19 / 28);
      expect(m.deploymentFrequency.tier).toBe('elite');
    });

    it('counts weeks with no deploy as 0', () => {
      // weeks: 5, 0, 0, 5 -> median (0+5)/2 = 2.5
      const days = [0, 1, 2, 3, 4, 21, 22, 23, 24, 25];
      const m = computeDoraMetrics(
        { ...emptyFacts(), deployments: days.map(d => on(d)) },
        window,
        DORA_2021,
      );
      expect(m.deploymentFrequency.medianDeployDaysPerWeek).toBe(2.5);
      expect(m.deploymentFrequency.medianDeployDaysPerMonth).toBe(10);
      expect(m.deploymentFrequency.tier).toBe('high');
      expect(
        computeDoraMetrics(
          { ...emptyFacts(), deployments: days.map(d => on(d)) },
          window,
          DORA_2023,
        ).deploymentFrequency.tier,
      ).toBe('high');
    });

    it('separates high and medium by the profile rules', () => {
      // One deploy in a window spanning three months: M = median(0, 1, 0) = 0
      const w = {
        from: Date.parse('2026-04-15T00:00:00Z'),
        to: Date.parse('2026-06-15T00:00:00Z'),
      };
      const facts = {
        ...emptyFacts(),
        deployments: [
          {
            finishedAt: Date.parse('2026-05-10T00:00:00Z'),
            failed: false,
            rework: false,
          },
        ],
      };
      expect(
        computeDoraMetrics(facts, w, DORA_2021).deploymentFrequency.tier,
      ).toBe('medium');
      expect(
        computeDoraMetrics(facts, w, DORA_2023).deploymentFrequency.tier,
      ).toBe('low');
    });

    it('is low with deploys only before the window, and has no tier for an entity that never deployed', () => {
      const before = computeDoraMetrics(
        { ...emptyFacts(), deployedBefore: true },
        window,
        DORA_2021,
      );
      expect(before.deploymentFrequency.tier).toBe('low');
      expect(before.deploymentFrequency.perDay).toBe(0);
      expect(before.reasons.changeFailureRate).toBe('no deployments in window');
      const never = computeDoraMetrics(emptyFacts(), window, DORA_2021);
      expect(never.deploymentFrequency.tier).toBeNull();
      expect(never.deploymentFrequency.perDay).toBeNull();
      expect(never.reasons.deploymentFrequency).toBe(
        'no production deployments reported',
      );
      expect(never.overallTier).toBeNull();
    });
  });
});
