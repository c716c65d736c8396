import { DoraMetrics } from '../dora/metrics';
import {
  CALMS_QUESTIONS,
  scoreAssessment,
  validateCalmsAnswers,
} from './calms';
import {
  BUILT_IN_CHECKS,
  CheckEntity,
  CheckSignals,
  DEFAULT_CHECK_SETTINGS,
  runChecks,
} from './checks';
import { computeCalmsScores, DEFAULT_CALMS_WEIGHTS } from './scores';
import { DEFAULT_MATURITY_LEVELS, evaluateMaturity } from './levels';

const NOW = Date.parse('2026-11-21T00:00:00Z');

const bareEntity: CheckEntity = {
  entityRef: 'component:default/svc',
  kind: 'Component',
  annotations: {},
  links: [],
};
const fullEntity: CheckEntity = {
  ...bareEntity,
  description: 'Takes payments',
  lifecycle: 'production',
  ownerRef: 'group:default/team-a',
  systemRef: 'system:default/shop',
  annotations: {
    'backstage.io/techdocs-ref': 'dir:.',
    'github.com/project-slug': 'acme/svc',
    'pagerduty.com/service-id': 'P123',
    'devops-maturity.io/slo': 'https://slo/svc',
    'backstage.io/source-template': 'template:default/service',
    'sonarqube.org/project-key': 'acme_svc',
    'devops-maturity.io/dependency-updates': 'renovate',
    'grafana/alert-label-selector': 'service=svc',
    'backstage.io/adr-location': 'docs/adrs',
    'argocd/app-name': 'svc',
  },
  links: [
    { url: 'https://wiki/runbook', title: 'Runbook' },
    { url: 'https://grafana/d/svc', type: 'dashboard' },
  ],
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

const check = (entity: CheckEntity, signals: CheckSignals) =>
  runChecks(BUILT_IN_CHECKS, {
    entity,
    signals,
    settings: DEFAULT_CHECK_SETTINGS,
  });
const byId = (results: ReturnType<typeof check>) =>
  Object.fromEntries(results.map(r => [r.id, r]));

function dora(tiers: {
  df?: any;
  lt?: any;
  cfr?: any;
  ttr?: any;
  overall?: any;
}): DoraMetrics {
  return {
    window: {
      from: '2026-08-23T00:00:00.000Z',
      to: '2026-11-21T00:00:00.000Z',
    },
    profile: 'dora-2021',
    deploymentFrequency: { tier: tiers.df ?? null } as any,
    leadTime: { tier: tiers.lt ?? null } as any,
    changeFailureRate: { tier: tiers.cfr ?? null } as any,
    timeToRestore: { tier: tiers.ttr ?? null } as any,
    reworkRate: { value: null, reworkDeployments: 0 },
    overallTier: tiers.overall ?? null,
    reasons: {},
  };
}

const allAnswers = (v: number) =>
  Object.fromEntries(CALMS_QUESTIONS.map(q => [q.id, v]));

describe('golden-path checks', () => {
  it('fail on a bare entity with no data, each saying what is missing', () => {
    const r = byId(check(bareEntity, noSignals));
    expect(r['owned-by-group'].status).toBe('fail');
    expect(r['owned-by-group'].evidence).toBe('spec.owner is not set');
    expect(r.ci.evidence).toBe(
      'no CI annotation, no devops-maturity.io/ci annotation and no link of type "ci"',
    );
    expect(r['deployments-flowing'].status).toBe('fail');
    expect(r['incidents-wired'].status).toBe('fail');
    // nothing to judge: not applicable rather than failed
    expect(r['small-batches'].status).toBe('not-applicable');
    expect(r['small-batches'].value).toBeNull();
    expect(r['postmortem-coverage'].status).toBe('not-applicable');
  });

  it('pass on a complete entity, with the evidence they found', () => {
    const results = check(fullEntity, goodSignals);
    expect(results.filter(r => r.status !== 'pass')).toEqual([]);
    const r = byId(results);
    expect(r.ci.evidence).toBe('github.com/project-slug: acme/svc');
    expect(r.runbook.evidence).toBe('link "Runbook": https://wiki/runbook');
    expect(r['monitoring-dashboard'].evidence).toBe(
      'link "dashboard": https://grafana/d/svc',
    );
    expect(r['incidents-wired'].evidence).toBe('incidents have been reported');
  });

  it('an entity owned by a user is not owned by a team', () => {
    const r = byId(
      check({ ...fullEntity, ownerRef: 'user:default/jane' }, goodSignals),
    );
    expect(r['owned-by-group'].status).toBe('fail');
    expect(r['owned-by-group'].evidence).toBe(
      'owned by user:default/jane, not a Group',
    );
  });

  it('small batches and postmortem coverage compare with their thresholds', () => {
    const at = (median: number, resolved: number, withPm: number) =>
      byId(
        check(fullEntity, {
          ...goodSignals,
          medianCommitsPerDeployment: median,
          resolvedIncidents: resolved,
          resolvedWithPostmortem: withPm,
        }),
      );
    expect(at(5, 5, 4)['small-batches'].status).toBe('pass'); // limit 5 is inclusive
    expect(at(5.5, 5, 4)['small-batches'].status).toBe('fail');
    expect(at(5, 5, 4)['postmortem-coverage']).toMatchObject({
      status: 'pass', // 4/5 = 80% meets the 80% target
      value: 0.8,
    });
    expect(at(5, 4, 3)['postmortem-coverage']).toMatchObject({
      status: 'fail',
      value: 0.75,
      evidence:
        '3 of 4 incidents resolved in the last 90 days have a postmortem (75%, target 80%)',
    });
  });

  it('an incident source counts as wired before the first incident', () => {
    const r = byId(check(fullEntity, noSignals));
    expect(r['incidents-wired']).toMatchObject({
      status: 'pass',
      evidence:
        'on-call tool named (pagerduty.com/service-id: P123); incidents arrive only through PagerDuty or the push API',
    });
  });

  it('a check that throws fails alone, with the error as evidence', () => {
    const results = runChecks(
      [
        {
          ...BUILT_IN_CHECKS[0],
          id: 'broken',
          evaluate: () => {
            throw new Error('boom');
          },
        },
      ],
      {
        entity: fullEntity,
        signals: goodSignals,
        settings: DEFAULT_CHECK_SETTINGS,
      },
    );
    expect(results[0]).toMatchObject({
      status: 'fail',
      value: 0,
      evidence: 'the check failed to run: Error: boom',
    });
  });
});

describe('CALMS self-assessment', () => {
  it('names every bad field', () => {
    const answers = { ...allAnswers(3), 'lean.wip-limits': 6, extra: 1 } as any;
    delete answers['culture.shared-goals'];
    expect(validateCalmsAnswers(answers)).toEqual([
      'answers.extra is not a question',
      'answers.culture.shared-goals is missing',
      'answers.lean.wip-limits must be an integer from 1 to 5',
    ]);
    expect(validateCalmsAnswers(allAnswers(3))).toEqual([]);
    expect(validateCalmsAnswers([])).toHaveLength(1);
  });

  it('maps the mean answer of a pillar from 1..5 to 0..100', () => {
    // culture: 5, 4, 3, 2, 4, 3 -> mean 3.5 -> (3.5 - 1) / 4 = 62.5 -> 63
    const answers = {
      ...allAnswers(1),
      'culture.blameless-postmortems': 5,
      'culture.shared-goals': 4,
      'culture.you-build-it-you-run-it': 3,
      'culture.psychological-safety': 2,
      'culture.retrospectives-lead-to-action': 4,
      'culture.security-findings-fixed': 3,
    };
    const s = scoreAssessment(answers);
    expect(s.culture).toBe(63);
    expect(s.automation).toBe(0);
    expect(scoreAssessment(allAnswers(5)).sharing).toBe(100);
  });
});

describe('CALMS scores', () => {
  const checks = check(fullEntity, goodSignals);

  it('are signals-only without an assessment, and say so', () => {
    const s = computeCalmsScores({
      checks,
      dora: dora({ df: 'elite', lt: 'medium' }),
      now: NOW,
      staleAfterDays: 180,
      weights: DEFAULT_CALMS_WEIGHTS,
    });
    expect(s.basis).toBe('signals-only');
    const lean = s.pillars.find(p => p.pillar === 'lean')!;
    // small batches passes (1) and lead time is medium (1/3): mean 2/3 -> 67
    expect(lean.signals.map(x => [x.id, x.value])).toEqual([
      ['small-batches', 1],
      ['dora.lead-time', 1 / 3],
    ]);
    expect(lean).toMatchObject({ score: 67, basis: 'signals-only' });
  });

  it('weigh the assessment in while it is current, and drop it when stale', () => {
    const assessment = {
      entityRef: 'component:default/svc',
      answers: allAnswers(3), // 50 on every pillar
      author: 'user:default/jane',
      submittedAt: '2026-10-01T00:00:00.000Z',
    };
    const input = {
      checks: check(bareEntity, noSignals),
      now: NOW,
      weights: DEFAULT_CALMS_WEIGHTS,
    };
    const current = computeCalmsScores({
      ...input,
      assessment,
      staleAfterDays: 180,
    });
    const culture = current.pillars.find(p => p.pillar === 'culture')!;
    // owned-by-group 0, on-call 0 (postmortem coverage not applicable): signals 0; (0 + 50) / 2
    expect(culture).toMatchObject({
      signalsScore: 0,
      assessmentScore: 50,
      score: 25,
      basis: 'signals-and-assessment',
    });
    expect(current.assessment?.stale).toBe(false);

    const stale = computeCalmsScores({
      ...input,
      assessment,
      staleAfterDays: 30,
    });
    expect(stale.basis).toBe('signals-only');
    expect(stale.assessment?.stale).toBe(true);
    expect(stale.pillars.find(p => p.pillar === 'culture')!.score).toBe(0);
  });
});

describe('maturity levels', () => {
  const evaluate = (
    entity: CheckEntity,
    signals: CheckSignals,
    metrics: DoraMetrics,
    answers?: number,
  ) => {
    const checks = check(entity, signals);
    const calms = computeCalmsScores({
      checks,
      dora: metrics,
      assessment: answers
        ? {
            entityRef: entity.entityRef,
            answers: allAnswers(answers),
            author: 'user:default/jane',
            submittedAt: '2026-11-01T00:00:00.000Z',
          }
        : undefined,
      now: NOW,
      staleAfterDays: 180,
      weights: DEFAULT_CALMS_WEIGHTS,
    });
    return evaluateMaturity(DEFAULT_MATURITY_LEVELS, {
      checks,
      calms,
      dora: metrics,
    });
  };

  it('a bare entity is Initial, and its next steps are the Managed checks', () => {
    const m = evaluate(bareEntity, noSignals, dora({}));
    expect(m).toMatchObject({ level: 1, name: 'Initial' });
    expect(m.nextSteps.map(s => s.label)).toEqual([
      'Owned by a team',
      'Description',
      'Lifecycle set',
      'CI linked',
    ]);
  });

  it('a complete, elite service with a strong assessment is Optimizing', () => {
    const all = dora({
      df: 'elite',
      lt: 'elite',
      cfr: 'elite',
      ttr: 'elite',
      overall: 'elite',
    });
    const m = evaluate(fullEntity, goodSignals, all, 5);
    expect(m).toMatchObject({ level: 5, name: 'Optimizing', nextSteps: [] });
  });

  it('levels are cumulative: passing level 4 does not count while level 3 fails', () => {
    const noRunbook = { ...fullEntity, links: [fullEntity.links[1]] };
    const all = dora({
      df: 'elite',
      lt: 'elite',
      cfr: 'elite',
      overall: 'elite',
    });
    const m = evaluate(noRunbook, goodSignals, all, 5);
    expect(m.levels.find(l => l.level === 4)!.passed).toBe(true);
    expect(m.level).toBe(2);
    expect(m.nextSteps.map(s => s.label)).toEqual(['Runbook']);
  });

  it('orders next steps checks first, then CALMS, then DORA', () => {
    const noSlo = {
      ...fullEntity,
      annotations: { ...fullEntity.annotations },
    };
    delete noSlo.annotations['devops-maturity.io/slo'];
    const m = evaluate(
      noSlo,
      goodSignals,
      dora({ df: 'low', lt: 'low', overall: 'low' }),
      1,
    );
    expect(m.level).toBe(3);
    expect(m.nextSteps.map(s => s.label)).toEqual([
      'SLO defined',
      'Every CALMS pillar at least 50',
      'Overall DORA tier medium or better',
      'Change failure rate medium or better',
    ]);
    expect(m.nextSteps[2].evidence).toBe('Overall DORA tier: low');
  });

  it('asks for a current self-assessment from level 4, even with strong signals', () => {
    const all = dora({
      df: 'elite',
      lt: 'elite',
      cfr: 'elite',
      overall: 'elite',
    });
    const none = evaluate(fullEntity, goodSignals, all);
    expect(none.level).toBe(3);
    expect(none.nextSteps).toEqual([
      expect.objectContaining({
        label: 'CALMS self-assessment current',
        evidence: 'no self-assessment yet',
      }),
    ]);
  });

  it('a criterion naming a check nobody installed fails and says why', () => {
    const m = evaluateMaturity(
      [
        {
          level: 1,
          name: 'One',
          description: '',
          criteria: [{ check: 'nope' }],
        },
      ],
      {
        checks: [],
        calms: computeCalmsScores({
          checks: [],
          now: NOW,
          staleAfterDays: 180,
          weights: DEFAULT_CALMS_WEIGHTS,
        }),
      },
    );
    expect(m.level).toBe(0);
    expect(m.nextSteps[0].evidence).toBe(
      'no check with id "nope" is installed',
    );
  });
});
