import {
  CALMS_PILLARS,
  CALMS_QUESTIONS,
  CalmsAssessment,
  scoreAssessment,
  validateCalmsAnswers,
} from './calms';
import {
  ALERTING_ANNOTATIONS,
  BUILT_IN_CHECKS,
  CI_ANNOTATIONS,
  CheckEntity,
  CheckSignals,
  DEFAULT_CHECK_SETTINGS,
  GITOPS_ANNOTATIONS,
  ON_CALL_ANNOTATIONS,
  runChecks,
  SECURITY_SCAN_ANNOTATIONS,
} from './checks';
import { computeCalmsScores, DEFAULT_CALMS_WEIGHTS } from './scores';

const NOW = Date.parse('2026-11-21T00:00:00Z');

const bare: CheckEntity = {
  entityRef: 'component:default/svc',
  kind: 'Component',
  annotations: {},
  links: [],
};
const signals: CheckSignals = {
  deploymentsLast30Days: 12,
  medianCommitsPerDeployment: 2,
  incidentsEverReported: true,
  resolvedIncidents: 2,
  resolvedWithPostmortem: 2,
};

const run = (entity: Partial<CheckEntity>) =>
  Object.fromEntries(
    runChecks(BUILT_IN_CHECKS, {
      entity: { ...bare, ...entity },
      signals,
      settings: DEFAULT_CHECK_SETTINGS,
    }).map(r => [r.id, r]),
  );
const withAnnotation = (name: string, value = 'x') =>
  run({ annotations: { [name]: value } });
const withLink = (type: string) =>
  run({ links: [{ url: `https://example.com/${type}`, type }] });

/** Each check that names tools, the annotations it reads and its generic form(s). */
const toolChecks: Array<{
  id: string;
  pillar: string;
  tools: string[];
  forms: string[];
  fails: string;
}> = [
  {
    id: 'security-scanning',
    pillar: 'automation',
    tools: SECURITY_SCAN_ANNOTATIONS,
    forms: ['security-scan'],
    fails:
      'no SonarQube or Snyk annotation, no devops-maturity.io/security-scan annotation and no link of type "security-scan"',
  },
  {
    id: 'dependency-updates',
    pillar: 'automation',
    tools: [],
    forms: ['dependency-updates'],
    fails:
      'no devops-maturity.io/dependency-updates annotation and no link of type "dependency-updates"',
  },
  {
    id: 'alerting',
    pillar: 'measurement',
    tools: ALERTING_ANNOTATIONS,
    forms: ['alerting'],
    fails:
      'no Grafana or Prometheus alert annotation, no devops-maturity.io/alerting annotation and no link of type "alerting"',
  },
  {
    id: 'adr',
    pillar: 'sharing',
    tools: ['backstage.io/adr-location'],
    forms: ['adr'],
    fails:
      'no backstage.io/adr-location, no devops-maturity.io/adr annotation and no link of type "adr"',
  },
  {
    id: 'infrastructure-as-code',
    pillar: 'automation',
    tools: GITOPS_ANNOTATIONS,
    forms: ['infrastructure-as-code'],
    fails:
      'no Argo CD annotation, no devops-maturity.io/infrastructure-as-code annotation and no link of type "infrastructure-as-code"',
  },
  {
    id: 'on-call',
    pillar: 'culture',
    tools: ON_CALL_ANNOTATIONS,
    forms: ['on-call'],
    fails:
      'no on-call annotation, no devops-maturity.io/on-call annotation and no link of type "on-call"',
  },
  {
    id: 'techdocs',
    pillar: 'sharing',
    tools: ['backstage.io/techdocs-ref'],
    forms: ['docs', 'documentation'],
    fails:
      'no backstage.io/techdocs-ref, no devops-maturity.io/docs or devops-maturity.io/documentation annotation and no link of type "docs" or "documentation"',
  },
  {
    id: 'ci',
    pillar: 'automation',
    tools: CI_ANNOTATIONS,
    forms: ['ci'],
    fails:
      'no CI annotation, no devops-maturity.io/ci annotation and no link of type "ci"',
  },
];

describe.each(toolChecks)(
  'the $id check',
  ({ id, pillar, tools, forms, fails }) => {
    it(`is evidence for ${pillar}`, () => {
      expect(BUILT_IN_CHECKS.find(c => c.id === id)?.pillar).toBe(pillar);
    });

    it('fails on an entity with none of its forms, naming every form it looked for', () => {
      expect(run({})[id]).toMatchObject({
        status: 'fail',
        value: 0,
        evidence: fails,
      });
    });

    if (tools.length)
      it.each(tools)('passes with the tool annotation %s', name => {
        expect(withAnnotation(name, 'acme/svc')[id]).toMatchObject({
          status: 'pass',
          value: 1,
          evidence: `${name}: acme/svc`,
        });
      });

    it.each(forms)('passes with the generic annotation for "%s"', form => {
      expect(
        withAnnotation(`devops-maturity.io/${form}`, 'https://x')[id],
      ).toMatchObject({
        status: 'pass',
        evidence: `devops-maturity.io/${form}: https://x`,
      });
    });

    it.each(forms)('passes with a link of type "%s"', form => {
      expect(withLink(form)[id]).toMatchObject({
        status: 'pass',
        evidence: `link of type ${form}: https://example.com/${form}`,
      });
    });

    it('is not fooled by a link whose title only mentions the form', () => {
      const r = run({
        links: forms.map(f => ({
          url: 'https://x',
          title: f,
          type: 'website',
        })),
      });
      expect(r[id].status).toBe('fail');
    });

    it('tells how to fix it with every annotation it reads and its generic form', () => {
      const check = BUILT_IN_CHECKS.find(c => c.id === id)!;
      for (const name of [
        ...tools,
        `devops-maturity.io/${forms[0]}`,
        `type: ${forms[0]}`,
      ])
        expect(check.howToFix).toContain(name);
    });
  },
);

describe('the CI check', () => {
  it('says it reads an annotation, not that CI is configured', () => {
    const ci = BUILT_IN_CHECKS.find(c => c.id === 'ci')!;
    expect(ci.title).toBe('CI linked');
    expect(ci.description).toMatch(/reads the annotation/);
  });

  it("accepts the official Buildkite plugin's annotation and Roadie's", () => {
    expect(withAnnotation('buildkite.com/pipeline-slug').ci.status).toBe(
      'pass',
    );
    expect(withAnnotation('buildkite.com/project-slug').ci.status).toBe('pass');
  });
});

describe('the postmortem check', () => {
  it('says exactly what it reads: postmortemUrl on incidents sent to the push API', () => {
    const check = BUILT_IN_CHECKS.find(c => c.id === 'postmortem-coverage')!;
    expect(check.howToFix).toContain('`postmortemUrl`');
    expect(check.howToFix).toContain('POST /api/devops-maturity/incidents');
    expect(check.howToFix).not.toMatch(/your incident tool/);
  });

  it('names the exact call: the full incident again, same source and id, newer updatedAt', () => {
    const check = BUILT_IN_CHECKS.find(c => c.id === 'postmortem-coverage')!;
    for (const field of [
      '`source`',
      '`id`',
      '`openedAt`',
      '`resolvedAt`',
      '`updatedAt`',
    ])
      expect(check.howToFix).toContain(field);
    expect(check.howToFix).toMatch(/a different `source` creates a second/);
  });
});

describe('the security-scanning check', () => {
  it("does not take a Snyk organisation for the service's scanned project", () => {
    for (const name of ['snyk.io/org-name', 'snyk.io/org-id']) {
      expect(SECURITY_SCAN_ANNOTATIONS).not.toContain(name);
      expect(withAnnotation(name, 'acme')['security-scanning'].status).toBe(
        'fail',
      );
    }
  });
});

describe('an annotation that says nothing', () => {
  it('does not pass a check when blank or a placeholder', () => {
    expect(
      withAnnotation('devops-maturity.io/security-scan', ' ')[
        'security-scanning'
      ].status,
    ).toBe('fail');
    for (const value of ['none', ' N/A ', 'TODO', 'tbd', '-', 'false', 'No']) {
      expect(
        withAnnotation('devops-maturity.io/on-call', value)['on-call'],
      ).toMatchObject({ status: 'fail' });
    }
  });

  it('passes with a real value, trimmed in the evidence', () => {
    expect(
      withAnnotation('devops-maturity.io/on-call', ' https://oncall/team-a ')[
        'on-call'
      ],
    ).toMatchObject({
      status: 'pass',
      evidence: 'devops-maturity.io/on-call: https://oncall/team-a',
    });
    expect(
      withAnnotation('devops-maturity.io/security-scan', 'https://scan/svc')[
        'security-scanning'
      ].status,
    ).toBe('pass');
  });

  it('lets a later annotation of the list pass when the first is a placeholder', () => {
    expect(
      run({
        annotations: {
          'pagerduty.com/service-id': 'TBD',
          'devops-maturity.io/on-call': 'https://oncall/team-a',
        },
      })['on-call'],
    ).toMatchObject({
      status: 'pass',
      evidence: 'devops-maturity.io/on-call: https://oncall/team-a',
    });
  });
});

describe('checks that read a link or annotation', () => {
  it.each([
    'security-scanning',
    'dependency-updates',
    'infrastructure-as-code',
    'on-call',
  ])(
    '%s says it reads an annotation or link, not that the practice happens',
    id => {
      const check = BUILT_IN_CHECKS.find(c => c.id === id)!;
      expect(check.description).toMatch(
        /The check reads an? .*(annotation|link)/,
      );
    },
  );
});

describe('the incidents-wired check', () => {
  it('says an on-call annotation names a tool, and incidents arrive through PagerDuty or the push API', () => {
    // The evidence of an entity with no incident yet is asserted in maturity.test.ts.
    const check = BUILT_IN_CHECKS.find(c => c.id === 'incidents-wired')!;
    expect(check.description).toMatch(
      /arrive only through the PagerDuty integration or the push API/,
    );
    expect(check.howToFix).toMatch(/no Opsgenie or Splunk On-Call integration/);
  });
});

describe('the golden-path template check', () => {
  it('passes when built from a template, and is not applicable (never failing) otherwise', () => {
    expect(
      withAnnotation('backstage.io/source-template', 'template:default/svc')[
        'golden-path-template'
      ],
    ).toMatchObject({ status: 'pass', scored: false });
    expect(run({})['golden-path-template']).toMatchObject({
      status: 'not-applicable',
      value: null,
      scored: false,
      evidence:
        'no backstage.io/source-template: not created from a template, which is allowed',
    });
  });

  /** A service that does everything by hand, half of Automation included (no CI, no IaC). */
  const handBuilt: CheckEntity = {
    ...bare,
    description: 'Built by hand',
    lifecycle: 'production',
    ownerRef: 'group:default/team-a',
    systemRef: 'system:default/shop',
    annotations: {
      'sonarqube.org/project-key': 'svc',
      'devops-maturity.io/dependency-updates': 'renovate',
      'pagerduty.com/service-id': 'P1',
    },
    links: [],
  };
  const templateBuilt: CheckEntity = {
    ...handBuilt,
    annotations: {
      ...handBuilt.annotations,
      'backstage.io/source-template': 'template:default/service',
    },
  };
  const scores = (entity: CheckEntity) =>
    computeCalmsScores({
      checks: runChecks(BUILT_IN_CHECKS, {
        entity,
        signals,
        settings: DEFAULT_CHECK_SETTINGS,
      }),
      now: NOW,
      staleAfterDays: 180,
      weights: DEFAULT_CALMS_WEIGHTS,
    });

  it('moves no CALMS score: a template-built twin and an off-template twin score the same', () => {
    const withTemplate = scores(templateBuilt);
    const without = scores(handBuilt);
    const automation = (s: ReturnType<typeof scores>) =>
      s.pillars.find(p => p.pillar === 'automation')!;
    // ci 0, deployments 1, security 1, dependency updates 1, IaC 0: 3 of 5
    expect(automation(without).signalsScore).toBe(60);
    expect(automation(withTemplate).signalsScore).toBe(60);
    expect(automation(withTemplate).signals.map(s => s.id)).not.toContain(
      'golden-path-template',
    );
    expect(withTemplate.pillars).toEqual(without.pillars);
    expect(withTemplate.overall).toBe(without.overall);
  });
});

/** The questions of the first questionnaire: stored assessments are keyed by these ids. */
const FIRST_QUESTIONS = [
  'culture.blameless-postmortems',
  'culture.shared-goals',
  'culture.you-build-it-you-run-it',
  'culture.psychological-safety',
  'automation.tests',
  'automation.deploys',
  'automation.infrastructure-as-code',
  'lean.small-batches',
  'lean.wip-limits',
  'lean.value-stream',
  'measurement.slos',
  'measurement.symptom-alerts',
  'measurement.dora-reviewed',
  'sharing.runbooks',
  'sharing.adrs',
  'sharing.innersource',
];
const NEW_QUESTIONS: Record<string, string> = {
  'culture.retrospectives-lead-to-action': 'culture',
  'culture.security-findings-fixed': 'culture',
  'automation.toil-under-half': 'automation',
  'lean.every-change-reviewed': 'lean',
  'measurement.error-budget-policy': 'measurement',
  'measurement.outcomes-after-release': 'measurement',
  'sharing.game-days': 'sharing',
};

describe('the questionnaire', () => {
  it('keeps every question stored assessments answered, and adds the practices no annotation shows', () => {
    const ids = CALMS_QUESTIONS.map(q => q.id);
    expect(ids).toEqual(expect.arrayContaining(FIRST_QUESTIONS));
    for (const [id, pillar] of Object.entries(NEW_QUESTIONS)) {
      const q = CALMS_QUESTIONS.find(x => x.id === id);
      expect(q).toMatchObject({ pillar });
      expect(q!.why.length).toBeGreaterThan(20);
    }
    expect(new Set(ids).size).toBe(ids.length);
    for (const pillar of CALMS_PILLARS)
      expect(
        CALMS_QUESTIONS.filter(q => q.pillar === pillar).length,
      ).toBeGreaterThanOrEqual(3);
  });

  it('asks a new submission to answer the new questions too', () => {
    const old = Object.fromEntries(FIRST_QUESTIONS.map(id => [id, 4]));
    expect(validateCalmsAnswers(old)).toEqual(
      Object.keys(NEW_QUESTIONS).map(id => `answers.${id} is missing`),
    );
  });

  it('scores a new question like the others', () => {
    const answers = {
      ...Object.fromEntries(CALMS_QUESTIONS.map(q => [q.id, 5])),
      'automation.toil-under-half': 1,
    };
    // automation: 5, 5, 5, 1 -> mean 4 -> 75
    expect(scoreAssessment(answers).automation).toBe(75);
    expect(scoreAssessment(answers).culture).toBe(100);
  });

  it('scores an assessment stored before the new questions as it did, current and counted', () => {
    // culture 5, 4, 3, 2 (mean 3.5 -> 63); every other pillar 4 (75)
    const answers = {
      ...Object.fromEntries(FIRST_QUESTIONS.map(id => [id, 4])),
      'culture.blameless-postmortems': 5,
      'culture.shared-goals': 4,
      'culture.you-build-it-you-run-it': 3,
      'culture.psychological-safety': 2,
    };
    expect(scoreAssessment(answers)).toEqual({
      culture: 63,
      automation: 75,
      lean: 75,
      measurement: 75,
      sharing: 75,
    });
    const assessment: CalmsAssessment = {
      entityRef: bare.entityRef,
      answers,
      author: 'user:default/jane',
      submittedAt: '2026-11-01T00:00:00.000Z',
    };
    const s = computeCalmsScores({
      checks: [],
      assessment,
      now: NOW,
      staleAfterDays: 180,
      weights: DEFAULT_CALMS_WEIGHTS,
    });
    expect(s.basis).toBe('signals-and-assessment');
    expect(s.assessment?.stale).toBe(false);
    expect(s.pillars.map(p => [p.pillar, p.assessmentScore])).toEqual([
      ['culture', 63],
      ['automation', 75],
      ['lean', 75],
      ['measurement', 75],
      ['sharing', 75],
    ]);
  });
});
