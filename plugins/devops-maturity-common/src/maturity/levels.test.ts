import { DORA_REASONS, DoraMetrics } from '../dora/metrics';
import { DoraTier, overallTier } from '../dora/tiers';
import { CALMS_QUESTIONS } from './calms';
import {
  BUILT_IN_CHECKS,
  CheckEntity,
  CheckSignals,
  DEFAULT_CHECK_SETTINGS,
  entityScope,
  GoldenPathCheck,
  runChecks,
  RunChecksOptions,
} from './checks';
import { computeCalmsScores, DEFAULT_CALMS_WEIGHTS } from './scores';
import {
  DEFAULT_MATURITY_LEVELS,
  evaluateMaturity,
  MaturityLevelDefinition,
} from './levels';

const NOW = Date.parse('2026-11-21T00:00:00Z');

/**
 * The checks the default ladder names, so that these cases test the level rules and stay
 * true as checks are added to the product.
 */
const LADDER_CHECK_IDS = new Set(
  DEFAULT_MATURITY_LEVELS.flatMap(l =>
    l.criteria.flatMap(c => ('check' in c ? [c.check] : [])),
  ),
);
const LADDER_CHECKS = BUILT_IN_CHECKS.filter(c => LADDER_CHECK_IDS.has(c.id));

/** Everything the default ladder reads from the catalog, on a service. */
const service: CheckEntity = {
  entityRef: 'component:default/svc',
  kind: 'Component',
  type: 'service',
  description: 'Takes payments',
  lifecycle: 'production',
  ownerRef: 'group:default/team-a',
  systemRef: 'system:default/shop',
  annotations: {
    'backstage.io/techdocs-ref': 'dir:.',
    'github.com/project-slug': 'acme/svc',
    'pagerduty.com/service-id': 'P123',
    'devops-maturity.io/slo': 'https://slo/svc',
    'grafana/alert-label-selector': 'service=svc',
    'sonarqube.org/project-key': 'acme_svc',
  },
  links: [
    { url: 'https://wiki/runbook', title: 'Runbook' },
    { url: 'https://grafana/d/svc', type: 'dashboard' },
  ],
};
/** A library: documented, built by CI, owned; nothing that runs. */
const library: CheckEntity = {
  entityRef: 'component:default/lib',
  kind: 'Component',
  type: 'library',
  description: 'Shared money arithmetic',
  lifecycle: 'production',
  ownerRef: 'group:default/team-a',
  systemRef: 'system:default/shop',
  annotations: {
    'backstage.io/techdocs-ref': 'dir:.',
    'github.com/project-slug': 'acme/lib',
    'sonarqube.org/project-key': 'acme_lib',
  },
  links: [],
};
const goodSignals: CheckSignals = {
  deploymentsLast30Days: 40,
  medianCommitsPerDeployment: 2,
  incidentsEverReported: true,
  resolvedIncidents: 4,
  resolvedWithPostmortem: 4,
};
const noSignals: CheckSignals = {
  deploymentsLast30Days: 0,
  medianCommitsPerDeployment: null,
  incidentsEverReported: false,
  resolvedIncidents: 0,
  resolvedWithPostmortem: 0,
};

/** DORA figures with these tiers; the overall tier computed as the product computes it. */
function dora(
  tiers: Partial<Record<'df' | 'lt' | 'cfr' | 'ttr', DoraTier>> = {},
): DoraMetrics {
  const t = (k: 'df' | 'lt' | 'cfr' | 'ttr') => tiers[k] ?? null;
  return {
    window: {
      from: '2026-08-23T00:00:00.000Z',
      to: '2026-11-21T00:00:00.000Z',
    },
    profile: 'dora-2021',
    deploymentFrequency: { tier: t('df') } as any,
    leadTime: { tier: t('lt') } as any,
    changeFailureRate: { tier: t('cfr') } as any,
    timeToRestore: { tier: t('ttr') } as any,
    reworkRate: { value: null, reworkDeployments: 0 },
    overallTier: overallTier([t('df'), t('lt'), t('cfr'), t('ttr')]),
    reasons: {},
  };
}
const elite = dora({ df: 'elite', lt: 'elite', cfr: 'elite', ttr: 'elite' });

function evaluate(
  entity: CheckEntity,
  signals: CheckSignals,
  metrics: DoraMetrics | undefined,
  options: RunChecksOptions & {
    levels?: MaturityLevelDefinition[];
    checks?: GoldenPathCheck[];
    scoped?: boolean;
  } = {},
) {
  const checks = runChecks(
    options.checks ?? LADDER_CHECKS,
    { entity, signals, settings: DEFAULT_CHECK_SETTINGS },
    options,
  );
  const calms = computeCalmsScores({
    checks,
    dora: metrics,
    assessment: {
      entityRef: entity.entityRef,
      answers: Object.fromEntries(CALMS_QUESTIONS.map(q => [q.id, 5])),
      author: 'user:default/jane',
      submittedAt: '2026-11-01T00:00:00.000Z',
    },
    now: NOW,
    staleAfterDays: 180,
    weights: DEFAULT_CALMS_WEIGHTS,
  });
  const maturity = evaluateMaturity(options.levels ?? DEFAULT_MATURITY_LEVELS, {
    checks,
    calms,
    dora: metrics,
    scope:
      options.scoped === false
        ? undefined
        : entityScope(entity, options.nonDeployableTypes),
  });
  return { checks, calms, maturity };
}
const statusOf = (r: ReturnType<typeof evaluate>, id: string) =>
  r.checks.find(c => c.id === id)!;
const criterion = (
  r: ReturnType<typeof evaluate>,
  level: number,
  label: string,
) =>
  r.maturity.levels
    .find(l => l.level === level)!
    .criteria.find(c => c.label === label)!;

describe('the scope of an entity', () => {
  it('reads the type against the non-deployable types, and the lifecycle', () => {
    expect(entityScope({ type: 'service' }).applies).toEqual({
      all: true,
      deployable: true,
      production: true,
      delivering: true,
    });
    // No type: held to everything; types compare case-insensitively.
    expect(entityScope({}).applies.delivering).toBe(true);
    expect(entityScope({ type: 'Website' }).applies.delivering).toBe(true);
    const lib = entityScope({ type: 'library', lifecycle: 'deprecated' });
    expect(lib.applies).toEqual({
      all: true,
      deployable: false,
      production: false,
      delivering: false,
    });
    // The type is the first reason.
    expect(lib.excludedBy.delivering).toBe('type');
    expect(lib.reasons.delivering).toBe(
      'spec.type library does not deploy (devopsMaturity.maturity.nonDeployableTypes: library)',
    );
    expect(entityScope({ type: 'library' }, []).applies.deployable).toBe(true);
    expect(
      entityScope({ type: 'service', lifecycle: 'experimental' }).applies,
    ).toEqual({
      all: true,
      deployable: true,
      production: false,
      delivering: false,
    });
    expect(
      entityScope({ type: 'service', lifecycle: 'deprecated' }).applies,
    ).toEqual({
      all: true,
      deployable: true,
      production: true,
      delivering: false,
    });
  });

  it('holds a type nobody listed to everything a service is held to', () => {
    for (const type of ['backend', 'microservice', 'worker', 'Service ']) {
      expect(entityScope({ type }).applies.delivering).toBe(true);
    }
    // Listed types compare trimmed and case-insensitively.
    expect(entityScope({ type: ' Library ' }).applies.deployable).toBe(false);
    expect(
      entityScope({ type: 'config' }, [' CONFIG ']).applies.deployable,
    ).toBe(false);
  });
});

describe('checks by context', () => {
  const excluded = (r: ReturnType<typeof evaluate>) =>
    r.checks.filter(c => c.excludedBy).map(c => [c.id, c.excludedBy]);

  it('a library is not judged on what only running services do', () => {
    const r = evaluate(library, noSignals, undefined);
    expect(excluded(r)).toEqual([
      ['runbook', 'type'],
      ['monitoring-dashboard', 'type'],
      ['on-call', 'type'],
      ['deployments-flowing', 'type'],
      ['incidents-wired', 'type'],
      ['slo', 'type'],
      ['small-batches', 'type'],
      ['postmortem-coverage', 'type'],
      ['alerting', 'type'],
    ]);
    expect(statusOf(r, 'deployments-flowing')).toMatchObject({
      status: 'not-applicable',
      value: null,
      evidence:
        'spec.type library does not deploy (devopsMaturity.maturity.nonDeployableTypes: library)',
    });
  });

  it('an experimental service is not judged on production; a deprecated one not on delivery', () => {
    const experimental = evaluate(
      { ...service, lifecycle: 'experimental' },
      noSignals,
      undefined,
    );
    expect(excluded(experimental).map(([id]) => id)).toEqual([
      'runbook',
      'on-call',
      'deployments-flowing',
      'incidents-wired',
      'slo',
      'small-batches',
      'postmortem-coverage',
      'alerting',
    ]);
    // Watching what it runs is expected from the start.
    expect(statusOf(experimental, 'monitoring-dashboard').status).toBe('pass');
    const deprecated = evaluate(
      { ...service, lifecycle: 'deprecated' },
      noSignals,
      undefined,
    );
    expect(excluded(deprecated)).toEqual([
      ['deployments-flowing', 'lifecycle'],
      ['small-batches', 'lifecycle'],
    ]);
    // Still in production: someone is still paged for it.
    expect(statusOf(deprecated, 'on-call').status).toBe('pass');
  });

  it('a backend of an unlisted type is held to on-call and DORA like a service', () => {
    const backend = { ...service, type: 'backend' };
    const noOnCall = {
      ...backend,
      annotations: { ...backend.annotations },
    };
    delete noOnCall.annotations['pagerduty.com/service-id'];
    const r = evaluate(noOnCall, noSignals, undefined);
    expect(excluded(r)).toEqual([]);
    expect(statusOf(r, 'on-call').status).toBe('fail');
    expect(statusOf(r, 'deployments-flowing').status).toBe('fail');
    expect(r.maturity.level).toBe(2);
    // With everything in place but no delivery data, DORA holds it below level 4.
    const quiet = evaluate(backend, goodSignals, undefined);
    expect(quiet.maturity.level).toBe(3);
    expect(
      criterion(quiet, 4, 'Overall DORA tier medium or better'),
    ).toMatchObject({
      passed: false,
      evidence: 'Overall DORA tier: no tier (not enough data)',
    });
    expect(evaluate(backend, goodSignals, elite).maturity.level).toBe(5);
  });

  it('an experimental service reaches level 3 at most, however good its answers', () => {
    const r = evaluate(
      { ...service, lifecycle: 'experimental' },
      goodSignals,
      elite,
    );
    expect(r.maturity.level).toBe(3);
    const cap =
      'experimental: reaches level 3 at most; production practices are judged once it is in production';
    // Excused at level 3, where it is not judged on production yet.
    expect(criterion(r, 3, 'On-call configured')).toMatchObject({
      passed: true,
      notApplicable: true,
    });
    expect(criterion(r, 4, 'SLO defined')).toMatchObject({
      passed: false,
      evidence: cap,
    });
    expect(criterion(r, 5, 'Small batches')).toMatchObject({
      passed: false,
      evidence: cap,
    });
    // Its stability data is still judged as it is.
    expect(
      criterion(r, 4, 'Change failure rate medium or better'),
    ).toMatchObject({ passed: true, evidence: 'Change failure rate: elite' });
    expect(
      evaluate(
        { ...service, lifecycle: 'experimental' },
        goodSignals,
        undefined,
      ).maturity.nextSteps,
    ).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          label: 'Overall DORA tier medium or better',
          evidence: cap,
        }),
      ]),
    );
  });

  it('a library reaches the top level without deploying; a service with the same data does not', () => {
    const lib = evaluate(library, noSignals, undefined);
    expect(lib.maturity).toMatchObject({ level: 5, nextSteps: [] });
    expect(criterion(lib, 5, 'Overall DORA tier high or better')).toMatchObject(
      {
        passed: true,
        notApplicable: true,
        evidence:
          'does not apply: spec.type library does not deploy (devopsMaturity.maturity.nonDeployableTypes: library)',
      },
    );
    expect(criterion(lib, 3, 'Deployments flowing')).toMatchObject({
      passed: true,
      notApplicable: true,
    });
    // A service with a library's catalog data and no deliveries stays at level 2.
    expect(
      evaluate({ ...library, type: 'service' }, noSignals, undefined).maturity
        .level,
    ).toBe(2);
    // And a library counted as deployable is judged as a service.
    expect(
      evaluate(library, noSignals, undefined, {
        nonDeployableTypes: [],
      }).maturity.level,
    ).toBe(2);
  });
});

describe('disabled checks', () => {
  const noRunbook = { ...service, links: [service.links[1]] };

  it('are not applicable everywhere: never run, never counted in CALMS, never cap a level', () => {
    const evaluated: string[] = [];
    const spy = LADDER_CHECKS.map(c => ({
      ...c,
      evaluate: (ctx: Parameters<GoldenPathCheck['evaluate']>[0]) => {
        evaluated.push(c.id);
        return c.evaluate(ctx);
      },
    }));
    const r = evaluate(noRunbook, goodSignals, elite, {
      checks: spy,
      disabled: ['runbook'],
    });
    expect(evaluated).not.toContain('runbook');
    expect(statusOf(r, 'runbook')).toMatchObject({
      status: 'not-applicable',
      value: null,
      excludedBy: 'disabled',
      evidence: 'disabled in devopsMaturity.maturity.checks.disabled',
    });
    const sharing = r.calms.pillars.find(p => p.pillar === 'sharing')!;
    expect(sharing.signals.map(s => s.id)).not.toContain('runbook');
    expect(r.maturity.level).toBe(5);
    expect(criterion(r, 3, 'Runbook')).toMatchObject({
      passed: true,
      notApplicable: true,
      evidence:
        'does not apply: disabled in devopsMaturity.maturity.checks.disabled',
    });
    // Enabled, the missing runbook holds the service at level 2.
    expect(evaluate(noRunbook, goodSignals, elite).maturity.level).toBe(2);
  });
});

describe('level 5 asks for evidence', () => {
  it('a check with nothing to judge does not pass level 5', () => {
    const quiet = {
      ...goodSignals,
      resolvedIncidents: 0,
      resolvedWithPostmortem: 0,
    };
    const r = evaluate(service, quiet, elite);
    expect(statusOf(r, 'postmortem-coverage').status).toBe('not-applicable');
    expect(r.maturity.level).toBe(4);
    expect(r.maturity.nextSteps).toEqual([
      expect.objectContaining({
        label: 'Postmortem coverage',
        passed: false,
        evidence:
          'nothing to judge yet (no incident resolved in the last 90 days); level 5 asks for evidence',
      }),
    ]);
    // The same criterion on a level without the rule passes.
    const relaxed = DEFAULT_MATURITY_LEVELS.map(l => ({
      ...l,
      requireEvidence: false,
    }));
    expect(
      evaluate(service, quiet, elite, { levels: relaxed }).maturity.level,
    ).toBe(5);
  });

  it('small batches with no commits reported does not pass level 5 either', () => {
    const r = evaluate(
      service,
      { ...goodSignals, medianCommitsPerDeployment: null },
      elite,
    );
    expect(r.maturity.level).toBe(4);
    expect(r.maturity.nextSteps.map(s => s.label)).toEqual(['Small batches']);
  });
});

describe('the change failure rate floor', () => {
  it('three elite tiers do not hide a low change failure rate', () => {
    const metrics = dora({
      df: 'elite',
      lt: 'elite',
      ttr: 'elite',
      cfr: 'low',
    });
    expect(metrics.overallTier).toBe('elite');
    const r = evaluate(service, goodSignals, metrics);
    expect(r.maturity.level).toBe(3);
    expect(r.maturity.nextSteps.map(s => s.label)).toEqual([
      'Change failure rate medium or better',
    ]);
    expect(r.maturity.nextSteps[0].evidence).toBe('Change failure rate: low');
  });

  it('a medium change failure rate allows level 4 and blocks level 5', () => {
    const metrics = dora({
      df: 'elite',
      lt: 'elite',
      ttr: 'elite',
      cfr: 'medium',
    });
    const r = evaluate(service, goodSignals, metrics);
    expect(r.maturity.level).toBe(4);
    expect(r.maturity.nextSteps.map(s => s.label)).toEqual([
      'Change failure rate high or better',
    ]);
    expect(
      evaluate(service, goodSignals, {
        ...metrics,
        ...dora({ df: 'elite', lt: 'elite', ttr: 'elite', cfr: 'high' }),
      }).maturity.level,
    ).toBe(5);
  });

  it('applies to a deprecated service: it still runs and can still fail', () => {
    const metrics = dora({ ttr: 'low', cfr: 'low' });
    const deprecated = { ...service, lifecycle: 'deprecated' };
    const r = evaluate(deprecated, goodSignals, metrics);
    expect(
      criterion(r, 4, 'Change failure rate medium or better'),
    ).toMatchObject({ passed: false, evidence: 'Change failure rate: low' });
    // The overall tier counts once a metric has data.
    expect(criterion(r, 4, 'Overall DORA tier medium or better')).toMatchObject(
      { passed: false, evidence: 'Overall DORA tier: low' },
    );
    expect(r.maturity.level).toBe(3);
    // Its throughput is not judged: it is no longer changed and deployed.
    const throughput = evaluate(deprecated, goodSignals, metrics, {
      levels: [
        {
          level: 1,
          name: 'Fast',
          description: '',
          criteria: [
            { dora: 'deploymentFrequency', min: 'elite' },
            { dora: 'leadTime', min: 'elite' },
          ],
        },
      ],
    });
    expect(throughput.maturity.levels[0].criteria).toEqual([
      expect.objectContaining({ passed: true, notApplicable: true }),
      expect.objectContaining({ passed: true, notApplicable: true }),
    ]);
    // With good stability and no deliveries it reaches level 5.
    expect(
      evaluate(deprecated, goodSignals, dora({ ttr: 'elite', cfr: 'elite' }))
        .maturity.level,
    ).toBe(5);
  });

  it('does not apply to a library', () => {
    const r = evaluate(library, noSignals, dora({ cfr: 'low' }));
    expect(
      criterion(r, 4, 'Change failure rate medium or better'),
    ).toMatchObject({ passed: true, notApplicable: true });
    expect(r.maturity.level).toBe(5);
  });

  it('does not pass while no incident was ever reported', () => {
    const metrics: DoraMetrics = {
      ...dora({ df: 'elite', lt: 'elite', cfr: 'elite' }),
      reasons: { timeToRestore: DORA_REASONS.noIncidentsEver },
    };
    const r = evaluate(service, goodSignals, metrics);
    expect(r.maturity.level).toBe(3);
    expect(r.maturity.nextSteps).toEqual([
      expect.objectContaining({
        label: 'Change failure rate medium or better',
        passed: false,
        evidence:
          'no incidents reported yet: a change failure rate of 0% is not known to be low',
      }),
    ]);
    // Once one was (resolved before the window), the same figures pass.
    expect(
      evaluate(service, goodSignals, {
        ...metrics,
        reasons: { timeToRestore: DORA_REASONS.noRestoresInWindow },
      }).maturity.level,
    ).toBe(5);
  });
});
