import { CalmsPillar } from './calms';

/** What a check may read of a catalog entity. @public */
export interface CheckEntity {
  entityRef: string;
  kind: string;
  description?: string;
  lifecycle?: string;
  /** The owner's entity ref, lower case, e.g. `group:default/team-a`. */
  ownerRef?: string;
  systemRef?: string;
  annotations: Record<string, string>;
  links: Array<{ url: string; title?: string; type?: string }>;
}

/** What a check may read of the plugin's own data about an entity. @public */
export interface CheckSignals {
  /** Successful production deployments in the last 30 days. */
  deploymentsLast30Days: number;
  /** Median distinct commits per successful production deployment, last 90 days. */
  medianCommitsPerDeployment: number | null;
  /** Whether any incident was ever reported for the entity. */
  incidentsEverReported: boolean;
  /** Incidents resolved in the last 90 days, and how many of them have a postmortem URL. */
  resolvedIncidents: number;
  resolvedWithPostmortem: number;
}

/** Thresholds of the built-in checks, from app-config. @public */
export interface CheckSettings {
  /** Small batches: the median commits per deployment may not exceed this. Default 5. */
  smallBatchMaxCommits: number;
  /** Postmortem coverage: the share of resolved incidents with a postmortem. Default 0.8. */
  postmortemCoverageMin: number;
}

/** The golden-path checks' thresholds when app-config sets none. @public */
export const DEFAULT_CHECK_SETTINGS: CheckSettings = {
  smallBatchMaxCommits: 5,
  postmortemCoverageMin: 0.8,
};

/** What a golden-path check reads: the entity, its signals and the settings. @public */
export interface CheckContext {
  entity: CheckEntity;
  signals: CheckSignals;
  settings: CheckSettings;
}

/** What evaluating a check found. @public */
export interface CheckOutcome {
  /** `not-applicable` when there is nothing to judge (e.g. no incidents to have postmortems). */
  status: 'pass' | 'fail' | 'not-applicable';
  /** 0..1 for checks that are a share; 1 or 0 otherwise. */
  value?: number;
  /** What the outcome is based on, in words a developer can verify. */
  evidence: string;
}

/**
 * A golden-path check: one step of the platform's paved road. Modules add their own through
 * the devops-maturity checks extension point.
 * @public
 */
export interface GoldenPathCheck {
  id: string;
  title: string;
  /** The CALMS pillar the check is evidence for. */
  pillar: CalmsPillar;
  /** Why it matters. */
  description: string;
  /** What to do when it fails. */
  howToFix: string;
  /** A page that explains more, if any. */
  docsUrl?: string;
  evaluate(context: CheckContext): CheckOutcome;
}

/** A check's outcome with its definition, as the API answers it. @public */
export interface CheckResult {
  id: string;
  title: string;
  pillar: CalmsPillar;
  status: CheckOutcome['status'];
  /** 0..1; null when not applicable. */
  value: number | null;
  evidence: string;
  description: string;
  howToFix: string;
  docsUrl?: string;
}

const pass = (evidence: string): CheckOutcome => ({
  status: 'pass',
  value: 1,
  evidence,
});
const fail = (evidence: string): CheckOutcome => ({
  status: 'fail',
  value: 0,
  evidence,
});

/** The first annotation of the list that the entity has, as `name: value`. */
function firstAnnotation(entity: CheckEntity, names: string[]) {
  const name = names.find(n => entity.annotations[n]);
  return name ? `${name}: ${entity.annotations[name]}` : undefined;
}

/** The first link whose type or title says `word`. */
function linkOf(entity: CheckEntity, pattern: RegExp) {
  return entity.links.find(
    l => pattern.test(l.type ?? '') || pattern.test(l.title ?? ''),
  );
}

/** Annotations that mean an on-call rotation pages for this service. @public */
export const ON_CALL_ANNOTATIONS = [
  'pagerduty.com/service-id',
  'pagerduty.com/integration-key',
  'opsgenie.com/team',
  'opsgenie.com/component-selector',
  'splunk.com/on-call-routing-key',
];

/** Annotations that name the service's CI. @public */
export const CI_ANNOTATIONS = [
  'github.com/project-slug',
  'gitlab.com/project-slug',
  'jenkins.io/job-full-name',
  'jenkins.io/github-folder',
  'circleci.com/project-slug',
  'buildkite.com/project-slug',
  'dev.azure.com/project-repo',
];

/** Annotations that point to a monitoring dashboard. @public */
export const DASHBOARD_ANNOTATIONS = [
  'grafana/dashboard-selector',
  'grafana/overview-dashboard',
  'datadoghq.com/dashboard-url',
  'newrelic.com/dashboard-guid',
];

/** The annotation our docs define for a service's SLOs (a URL or a short text). @public */
export const SLO_ANNOTATION = 'devops-maturity.io/slo';

const fixAnnotation = (name: string, example: string) =>
  `Add \`metadata.annotations.${name}: ${example}\` to catalog-info.yaml.`;

/** The built-in golden-path checks. @public */
export const BUILT_IN_CHECKS: GoldenPathCheck[] = [
  {
    id: 'owned-by-group',
    title: 'Owned by a team',
    pillar: 'culture',
    description:
      'A service owned by a team (not a person, not nobody) has someone to run it, page and ask: "you build it, you run it".',
    howToFix:
      'Set `spec.owner` to the Group that builds and runs the service, e.g. `group:team-checkout`.',
    evaluate: ({ entity }) => {
      if (!entity.ownerRef) return fail('spec.owner is not set');
      return entity.ownerRef.startsWith('group:')
        ? pass(`owned by ${entity.ownerRef}`)
        : fail(`owned by ${entity.ownerRef}, not a Group`);
    },
  },
  {
    id: 'description',
    title: 'Description',
    pillar: 'sharing',
    description:
      'One sentence of what the service does is what a newcomer or an on-call engineer from another team reads first.',
    howToFix: 'Add `metadata.description` to catalog-info.yaml.',
    evaluate: ({ entity }) =>
      entity.description?.trim()
        ? pass(`"${entity.description.trim().slice(0, 80)}"`)
        : fail('metadata.description is empty'),
  },
  {
    id: 'lifecycle',
    title: 'Lifecycle set',
    pillar: 'sharing',
    description:
      'Whether a service is experimental, in production or deprecated tells others how much to rely on it.',
    howToFix: 'Set `spec.lifecycle` (experimental, production or deprecated).',
    evaluate: ({ entity }) =>
      entity.lifecycle
        ? pass(`spec.lifecycle: ${entity.lifecycle}`)
        : fail('spec.lifecycle is not set'),
  },
  {
    id: 'system',
    title: 'Part of a system',
    pillar: 'sharing',
    description:
      'Grouping services into systems shows how they fit together and who to talk to about a product.',
    howToFix: 'Set `spec.system` to the System the service belongs to.',
    evaluate: ({ entity }) =>
      entity.systemRef
        ? pass(`part of ${entity.systemRef}`)
        : fail('spec.system is not set'),
  },
  {
    id: 'techdocs',
    title: 'TechDocs',
    pillar: 'sharing',
    description:
      'Docs next to the code, published in the portal, stay current and are found where people look.',
    howToFix: fixAnnotation('backstage.io/techdocs-ref', 'dir:.'),
    evaluate: ({ entity }) => {
      const found = firstAnnotation(entity, ['backstage.io/techdocs-ref']);
      return found ? pass(found) : fail('no backstage.io/techdocs-ref');
    },
  },
  {
    id: 'runbook',
    title: 'Runbook',
    pillar: 'sharing',
    description:
      'A runbook lets any on-call engineer handle known failure modes, not only the author.',
    howToFix:
      'Add a link with `type: runbook` (or "Runbook" in its title) to `metadata.links`.',
    evaluate: ({ entity }) => {
      const link = linkOf(entity, /runbook/i);
      return link
        ? pass(`link "${link.title ?? link.type}": ${link.url}`)
        : fail('no link of type or title "runbook"');
    },
  },
  {
    id: 'monitoring-dashboard',
    title: 'Monitoring dashboard',
    pillar: 'measurement',
    description:
      'A dashboard of the golden signals (latency, traffic, errors, saturation) is where an incident starts.',
    howToFix: `Add a link with \`type: dashboard\` to \`metadata.links\`, or an annotation such as ${DASHBOARD_ANNOTATIONS.join(
      ', ',
    )}.`,
    evaluate: ({ entity }) => {
      const annotation = firstAnnotation(entity, DASHBOARD_ANNOTATIONS);
      if (annotation) return pass(annotation);
      const link = linkOf(entity, /dashboard/i);
      return link
        ? pass(`link "${link.title ?? link.type}": ${link.url}`)
        : fail('no dashboard link or annotation');
    },
  },
  {
    id: 'on-call',
    title: 'On-call configured',
    pillar: 'culture',
    description:
      'An on-call rotation that pages the owning team is what "you run it" means in practice.',
    howToFix: `Add one of ${ON_CALL_ANNOTATIONS.join(', ')}.`,
    evaluate: ({ entity }) => {
      const found = firstAnnotation(entity, ON_CALL_ANNOTATIONS);
      return found ? pass(found) : fail('no on-call annotation');
    },
  },
  {
    id: 'ci',
    title: 'CI configured',
    pillar: 'automation',
    description:
      'Every change built and tested automatically is the base of fast, safe delivery.',
    howToFix: `Add the annotation of your CI, one of ${CI_ANNOTATIONS.join(
      ', ',
    )}.`,
    evaluate: ({ entity }) => {
      const found = firstAnnotation(entity, CI_ANNOTATIONS);
      return found ? pass(found) : fail('no CI annotation');
    },
  },
  {
    id: 'deployments-flowing',
    title: 'Deployments flowing',
    pillar: 'automation',
    description:
      'Deployments reported in the last 30 days mean the delivery pipeline is wired and in use.',
    howToFix:
      'Report production deployments from your pipeline (push API, GitHub or GitLab webhooks); see the README.',
    evaluate: ({ signals }) =>
      signals.deploymentsLast30Days > 0
        ? pass(
            `${signals.deploymentsLast30Days} production deployments in the last 30 days`,
          )
        : fail('no production deployment in the last 30 days'),
  },
  {
    id: 'incidents-wired',
    title: 'Incidents wired',
    pillar: 'measurement',
    description:
      'Without incident data, change failure rate and time to restore cannot be measured.',
    howToFix:
      'Connect PagerDuty (`pagerduty.com/service-id`) or report incidents through the push API.',
    evaluate: ({ entity, signals }) => {
      if (signals.incidentsEverReported)
        return pass('incidents have been reported');
      const found = firstAnnotation(entity, ON_CALL_ANNOTATIONS);
      return found
        ? pass(`incident source configured (${found})`)
        : fail('no incident reported and no incident source configured');
    },
  },
  {
    id: 'slo',
    title: 'SLO defined',
    pillar: 'measurement',
    description:
      'An SLO says what "reliable enough" means; its error budget decides between features and reliability.',
    howToFix: `Add \`metadata.annotations.${SLO_ANNOTATION}\` (the SLO's URL or text), or a link with \`type: slo\`.`,
    evaluate: ({ entity }) => {
      const annotation = firstAnnotation(entity, [SLO_ANNOTATION]);
      if (annotation) return pass(annotation);
      const link = linkOf(entity, /\bslos?\b/i);
      return link
        ? pass(`link "${link.title ?? link.type}": ${link.url}`)
        : fail(`no ${SLO_ANNOTATION} annotation or SLO link`);
    },
  },
  {
    id: 'small-batches',
    title: 'Small batches',
    pillar: 'lean',
    description:
      'Small deployments are easier to review, test and roll back; risk grows faster than batch size.',
    howToFix:
      'Deploy more often with fewer commits each: trunk-based development, feature flags, an automated pipeline.',
    evaluate: ({ signals, settings }) => {
      const median = signals.medianCommitsPerDeployment;
      if (median === null)
        return {
          status: 'not-applicable',
          evidence: 'no deployment with commits in the last 90 days',
        };
      const text = `median ${median} commits per deployment (limit ${settings.smallBatchMaxCommits}), last 90 days`;
      return median <= settings.smallBatchMaxCommits ? pass(text) : fail(text);
    },
  },
  {
    id: 'postmortem-coverage',
    title: 'Postmortem coverage',
    pillar: 'culture',
    description:
      'Blameless postmortems turn incidents into learning; the share of incidents with one shows the habit.',
    howToFix:
      'Write a postmortem for each incident and send its URL as `postmortemUrl` (or in your incident tool).',
    evaluate: ({ signals, settings }) => {
      const { resolvedIncidents: n, resolvedWithPostmortem: k } = signals;
      if (n === 0)
        return {
          status: 'not-applicable',
          evidence: 'no incident resolved in the last 90 days',
        };
      const share = k / n;
      const text = `${k} of ${n} incidents resolved in the last 90 days have a postmortem (${Math.round(
        share * 100,
      )}%, target ${Math.round(settings.postmortemCoverageMin * 100)}%)`;
      return {
        status: share >= settings.postmortemCoverageMin ? 'pass' : 'fail',
        value: share,
        evidence: text,
      };
    },
  },
  {
    id: 'golden-path-template',
    title: 'Created from a template',
    pillar: 'automation',
    description:
      "Services created from the platform's software templates start on the paved road: CI, docs and monitoring included.",
    howToFix:
      "New services: create them with a software template. Existing ones: adopt the template's setup and set `backstage.io/source-template`.",
    evaluate: ({ entity }) => {
      const found = firstAnnotation(entity, ['backstage.io/source-template']);
      return found ? pass(found) : fail('no backstage.io/source-template');
    },
  },
];

/** Runs checks; a check that throws fails with the error as its evidence, never the whole run. @public */
export function runChecks(
  checks: GoldenPathCheck[],
  context: CheckContext,
): CheckResult[] {
  return checks.map(check => {
    let outcome: CheckOutcome;
    try {
      outcome = check.evaluate(context);
    } catch (error) {
      outcome = {
        status: 'fail',
        value: 0,
        evidence: `the check failed to run: ${String(error)}`,
      };
    }
    return {
      id: check.id,
      title: check.title,
      pillar: check.pillar,
      status: outcome.status,
      value:
        outcome.status === 'not-applicable'
          ? null
          : outcome.value ?? (outcome.status === 'pass' ? 1 : 0),
      evidence: outcome.evidence,
      description: check.description,
      howToFix: check.howToFix,
      docsUrl: check.docsUrl,
    };
  });
}
