import {
  computeDoraMetrics,
  DAY_MS,
  DORA_2021,
  DORA_2023,
  DoraFacts,
  emptyFacts,
  EntityDoraResponse,
  BUILT_IN_CHECKS,
  CalmsAssessment,
  CheckEntity,
  CheckSignals,
  computeCalmsScores,
  DEFAULT_CALMS_WEIGHTS,
  DEFAULT_CHECK_SETTINGS,
  DEFAULT_MATURITY_LEVELS,
  EntityMaturity,
  evaluateMaturity,
  runChecks,
} from '@devops-maturity/backstage-plugin-common';

export const NOW = Date.parse('2026-11-21T00:00:00Z');
export const WINDOW = { from: NOW - 90 * DAY_MS, to: NOW };

/** Metrics computed by the real math from facts, as the backend would answer. */
export function metricsFrom(
  facts: Partial<DoraFacts>,
  entityRef = 'component:default/svc',
): EntityDoraResponse {
  return {
    entityRef,
    ...computeDoraMetrics({ ...emptyFacts(), ...facts }, WINDOW, DORA_2021),
  };
}

/** An elite-looking service: daily deploys, 20-minute lead times, one failure. */
export function eliteFacts(): Partial<DoraFacts> {
  const deployments = [];
  const changes = [];
  for (let d = 0; d < 90; d++) {
    if (new Date(WINDOW.from + d * DAY_MS).getUTCDay() % 6 === 0) continue;
    const finishedAt = WINDOW.from + d * DAY_MS + 10 * 3_600_000;
    deployments.push({ finishedAt, failed: d === 10, rework: d === 11 });
    changes.push({ deployedAt: finishedAt, leadSeconds: 1200 });
  }
  return {
    deployments,
    changes,
    restores: [{ resolvedAt: WINDOW.from + 11 * DAY_MS, seconds: 1500 }],
    incidentsEverReported: true,
  };
}

export const PROFILES = {
  defaultProfile: 'dora-2021',
  profiles: [DORA_2021, DORA_2023],
};

/** An entity's maturity as the backend computes it, from the real checks and math. */
export function maturityFrom(
  entity: Partial<CheckEntity>,
  signals: Partial<CheckSignals>,
  assessment?: CalmsAssessment,
): EntityMaturity {
  const dora = metricsFrom(eliteFacts());
  const checks = runChecks(BUILT_IN_CHECKS, {
    entity: {
      entityRef: 'component:default/svc',
      kind: 'Component',
      annotations: {},
      links: [],
      ...entity,
    },
    signals: {
      deploymentsLast30Days: 0,
      medianCommitsPerDeployment: null,
      incidentsEverReported: false,
      resolvedIncidents: 0,
      resolvedWithPostmortem: 0,
      ...signals,
    },
    settings: DEFAULT_CHECK_SETTINGS,
  });
  const calms = computeCalmsScores({
    checks,
    dora,
    assessment,
    now: NOW,
    staleAfterDays: 180,
    weights: DEFAULT_CALMS_WEIGHTS,
  });
  return {
    entityRef: 'component:default/svc',
    computedAt: new Date(NOW).toISOString(),
    window: dora.window,
    profile: dora.profile,
    ...evaluateMaturity(DEFAULT_MATURITY_LEVELS, { checks, calms, dora }),
    checks,
    calms,
    overallTier: dora.overallTier,
    history: [],
  };
}
