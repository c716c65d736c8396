import { CalmsPillar } from './calms';

/** What a check may read of a catalog entity. @public */
export interface CheckEntity {
  entityRef: string;
  kind: string;
  /** `spec.type`, e.g. `service` or `library`: whether it deploys (see {@link entityScope}). */
  type?: string;
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
  /**
   * Which entities the check applies to (default `all`); for the others it is not applicable
   * without running, as {@link CheckAppliesTo} says.
   */
  appliesTo?: CheckAppliesTo;
  /**
   * Whether the outcome counts in its CALMS pillar's score (default true). `false` shows the
   * check, and lets a level ask for it, without moving any score.
   */
  scored?: boolean;
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
  /**
   * Set when the check was left out rather than run: `disabled` by
   * `devopsMaturity.maturity.checks.disabled`, or not meant for the entity's `type` or
   * `lifecycle`. Such a check is `not-applicable` and is left out of every level, even those
   * that ask for evidence; a check that ran and found nothing to judge has no `excludedBy`.
   */
  excludedBy?: 'disabled' | 'type' | 'lifecycle';
  /** `false` when the check never counts in a CALMS score (see `GoldenPathCheck.scored`). */
  scored?: false;
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

/**
 * Values that say a practice is missing rather than where it is: `on-call: none` or
 * `security-scan: TODO` must not pass a check (compared trimmed and case-insensitively).
 */
const PLACEHOLDER_VALUES = new Set([
  'none',
  'n/a',
  'na',
  'todo',
  'tbd',
  '-',
  'null',
  'false',
  'no',
]);

/** The annotation's value, trimmed, unless it is blank or a placeholder. */
function annotationValue(entity: CheckEntity, name: string) {
  const raw: unknown = entity.annotations[name];
  const value = typeof raw === 'string' ? raw.trim() : undefined;
  return value && !PLACEHOLDER_VALUES.has(value.toLocaleLowerCase('en-US'))
    ? value
    : undefined;
}

/** The first annotation of the list that the entity has a real value for, as `name: value`. */
function firstAnnotation(entity: CheckEntity, names: string[]) {
  const name = names.find(n => annotationValue(entity, n));
  return name ? `${name}: ${annotationValue(entity, name)}` : undefined;
}

/** The first link whose type or title says `word`. */
function linkOf(entity: CheckEntity, pattern: RegExp) {
  return entity.links.find(
    l => pattern.test(l.type ?? '') || pattern.test(l.title ?? ''),
  );
}

/**
 * The generic form a check accepts besides the tools it names: the annotation
 * `devops-maturity.io/<form>` (a URL or a short text) or a link of type `<form>`, so that the
 * golden path is the easy way, never the only one.
 */
const genericAnnotation = (form: string) => `devops-maturity.io/${form}`;

/** Evidence that a tool annotation or the generic form is there, or undefined. */
function toolOrGeneric(
  entity: CheckEntity,
  tools: string[],
  forms: string[],
): string | undefined {
  const found = firstAnnotation(entity, [
    ...tools,
    ...forms.map(genericAnnotation),
  ]);
  if (found) return found;
  const link = entity.links.find(l =>
    forms.includes((l.type ?? '').trim().toLowerCase()),
  );
  return link ? `link of type ${link.type}: ${link.url}` : undefined;
}

/** Fail evidence that names every form the check looked for. */
function notFound(what: string, forms: string[]) {
  const generic = forms.map(genericAnnotation).join(' or ');
  const links = forms.map(f => `"${f}"`).join(' or ');
  return `${what}, no ${generic} annotation and no link of type ${links}`;
}

/**
 * The evaluation of a check that passes on one of its tools' annotations or on its generic
 * form, and fails naming what it looked for.
 */
const toolOrGenericCheck =
  (tools: string[], forms: string[], missing: string) =>
  ({ entity }: { entity: CheckEntity }): CheckOutcome => {
    const found = toolOrGeneric(entity, tools, forms);
    return found ? pass(found) : fail(notFound(missing, forms));
  };

/** How-to-fix text for the generic form. */
const fixGeneric = (form: string, example: string) =>
  `or \`metadata.annotations.${genericAnnotation(
    form,
  )}: ${example}\`, or a link with \`type: ${form}\` in \`metadata.links\``;

/** Annotations that mean an on-call rotation pages for this service. @public */
export const ON_CALL_ANNOTATIONS = [
  'pagerduty.com/service-id',
  'pagerduty.com/integration-key',
  'opsgenie.com/team',
  'opsgenie.com/component-selector',
  'splunk.com/on-call-routing-key',
];

/**
 * Annotations that CI plugins read to find the service's pipeline: GitHub Actions
 * (`github.com/project-slug`, which names the repository the workflows run in), GitLab CI,
 * Jenkins, CircleCI, Buildkite (the Buildkite plugin's and Roadie's) and Azure Pipelines.
 * @public
 */
export const CI_ANNOTATIONS = [
  'github.com/project-slug',
  'gitlab.com/project-slug',
  'jenkins.io/job-full-name',
  'jenkins.io/github-folder',
  'circleci.com/project-slug',
  'buildkite.com/pipeline-slug',
  'buildkite.com/project-slug',
  'dev.azure.com/project-repo',
];

/**
 * Annotations of security scanners' Backstage plugins that name the service's scanned project:
 * SonarQube and SonarCloud (static analysis with security rules) and Snyk (dependency, code and
 * container scanning). Snyk's `snyk.io/org-name` and `snyk.io/org-id` are not here: they name
 * an organisation, not a project scanned for this service.
 * @public
 */
export const SECURITY_SCAN_ANNOTATIONS = [
  'sonarqube.org/project-key',
  'snyk.io/target-id',
  'snyk.io/targets',
  'snyk.io/project-ids',
];

/**
 * Annotations that select a service's alert rules: Grafana's unified alerting and the
 * Prometheus plugin's alert names.
 * @public
 */
export const ALERTING_ANNOTATIONS = [
  'grafana/alert-label-selector',
  'prometheus.io/alert',
];

/** Annotations of Argo CD, which deploys from Git what Git declares (GitOps). @public */
export const GITOPS_ANNOTATIONS = ['argocd/app-name', 'argocd/app-selector'];

/** The annotation of Backstage's ADR plugin: where the service's decision records live. @public */
export const ADR_ANNOTATION = 'backstage.io/adr-location';

/** Annotations that point to a monitoring dashboard. @public */
export const DASHBOARD_ANNOTATIONS = [
  'grafana/dashboard-selector',
  'grafana/overview-dashboard',
  'datadoghq.com/dashboard-url',
  'newrelic.com/dashboard-guid',
];

/** The annotation our docs define for a service's SLOs (a URL or a short text). @public */
export const SLO_ANNOTATION = 'devops-maturity.io/slo';

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
    title: 'Documentation',
    pillar: 'sharing',
    description:
      'Docs that others can find, ideally next to the code and published in the portal (TechDocs), stay current and are read where people look.',
    howToFix: `Add \`metadata.annotations.backstage.io/techdocs-ref: dir:.\` (TechDocs), ${fixGeneric(
      'docs',
      'https://wiki.example.com/my-service',
    )} (\`type: documentation\` works too).`,
    evaluate: toolOrGenericCheck(
      ['backstage.io/techdocs-ref'],
      ['docs', 'documentation'],
      'no backstage.io/techdocs-ref',
    ),
  },
  {
    id: 'runbook',
    appliesTo: 'production',
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
    appliesTo: 'deployable',
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
    appliesTo: 'production',
    title: 'On-call configured',
    pillar: 'culture',
    description:
      'An on-call rotation that pages the owning team is what "you run it" means in practice. The check reads an annotation or link that names the on-call tool or rotation, not whether anyone is paged.',
    howToFix: `Add the annotation of your paging tool, one of ${ON_CALL_ANNOTATIONS.join(
      ', ',
    )}, ${fixGeneric('on-call', 'https://oncall.example.com/team-a')}.`,
    evaluate: toolOrGenericCheck(
      ON_CALL_ANNOTATIONS,
      ['on-call'],
      'no on-call annotation',
    ),
  },
  {
    id: 'ci',
    title: 'CI linked',
    pillar: 'automation',
    description:
      'Every change built and tested automatically is the base of fast, safe delivery. The check reads the annotation a CI plugin uses to find the pipeline, not the pipeline itself.',
    howToFix: `Add the annotation your CI plugin reads, one of ${CI_ANNOTATIONS.join(
      ', ',
    )}, ${fixGeneric('ci', 'https://ci.example.com/my-service')}.`,
    evaluate: toolOrGenericCheck(CI_ANNOTATIONS, ['ci'], 'no CI annotation'),
  },
  {
    id: 'deployments-flowing',
    appliesTo: 'delivering',
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
    appliesTo: 'production',
    title: 'Incidents wired',
    pillar: 'measurement',
    description:
      'Without incident data, change failure rate and time to restore cannot be measured. The check passes once an incident has been reported, or while an on-call annotation names a paging tool; the annotation alone brings no incidents: they arrive only through the PagerDuty integration or the push API.',
    howToFix:
      'Connect PagerDuty (`pagerduty.com/service-id`) or report incidents through the push API (`POST /api/devops-maturity/incidents`). There is no Opsgenie or Splunk On-Call integration: incidents from those tools must be sent through the push API.',
    evaluate: ({ entity, signals }) => {
      if (signals.incidentsEverReported)
        return pass('incidents have been reported');
      const found = firstAnnotation(entity, ON_CALL_ANNOTATIONS);
      return found
        ? pass(
            `on-call tool named (${found}); incidents arrive only through PagerDuty or the push API`,
          )
        : fail('no incident reported and no incident source configured');
    },
  },
  {
    id: 'slo',
    appliesTo: 'production',
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
    appliesTo: 'delivering',
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
    appliesTo: 'production',
    title: 'Postmortem coverage',
    pillar: 'culture',
    description:
      'Blameless postmortems turn incidents into learning; the share of incidents with one shows the habit.',
    howToFix:
      'Write a blameless postmortem for each resolved incident, then push the full incident again through the push API (`POST /api/devops-maturity/incidents`): the same `source` and `id`, its `openedAt` and `resolvedAt`, a newer `updatedAt`, and `postmortemUrl`. Send every field: the copy replaces the stored incident (one without `resolvedAt` reopens it), and a different `source` creates a second incident. The check counts the resolved incidents of the last 90 days that carry a postmortem link; the PagerDuty, GitHub and GitLab integrations send none.',
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
    // A template is a way onto the paved road, not the road: how a service started must not
    // move its score, or a service that met every practice by hand would rank below its twin.
    scored: false,
    description:
      "Services created from the platform's software templates start on the paved road: CI, docs and monitoring included. Shown for information: it never counts in a CALMS score, and a service built another way is not applicable, not failing.",
    howToFix:
      'Nothing to fix: the practices the template sets up are checks of their own. New services can start from a software template, which sets `backstage.io/source-template`.',
    evaluate: ({ entity }) => {
      const found = firstAnnotation(entity, ['backstage.io/source-template']);
      return found
        ? pass(found)
        : {
            status: 'not-applicable',
            evidence:
              'no backstage.io/source-template: not created from a template, which is allowed',
          };
    },
  },
  {
    id: 'security-scanning',
    title: 'Security scanning',
    pillar: 'automation',
    description:
      "DevSecOps: code and dependencies scanned for vulnerabilities as an automatic step of the pipeline, not a review at the end. The check reads an annotation or link that names the service's project in a scanner, not whether scans run or what they find.",
    howToFix: `Add the annotation of your scanner's Backstage plugin, one of ${SECURITY_SCAN_ANNOTATIONS.join(
      ', ',
    )}, ${fixGeneric(
      'security-scan',
      'https://scanner.example.com/my-service',
    )}.`,
    docsUrl: 'https://owasp.org/www-project-devsecops-guideline/',
    evaluate: toolOrGenericCheck(
      SECURITY_SCAN_ANNOTATIONS,
      ['security-scan'],
      'no SonarQube or Snyk annotation',
    ),
  },
  {
    id: 'dependency-updates',
    title: 'Dependency updates automated',
    pillar: 'automation',
    description:
      'A bot such as Renovate or Dependabot proposes dependency upgrades as small, tested changes, so fixes for known vulnerabilities ship in days instead of a yearly upgrade project. The check reads an annotation or link in which the team says a bot is set up, not the repository or whether updates are merged.',
    howToFix: `Renovate and Dependabot are configured in the repository and have no catalog annotation, so say it in catalog-info.yaml: \`metadata.annotations.${genericAnnotation(
      'dependency-updates',
    )}: renovate\` (or the URL of its dashboard), or a link with \`type: dependency-updates\`.`,
    evaluate: ({ entity }) => {
      const found = toolOrGeneric(entity, [], ['dependency-updates']);
      return found
        ? pass(found)
        : fail(
            `no ${genericAnnotation(
              'dependency-updates',
            )} annotation and no link of type "dependency-updates"`,
          );
    },
  },
  {
    id: 'alerting',
    appliesTo: 'production',
    title: 'Alerting configured',
    pillar: 'measurement',
    description:
      'Alert rules selected for the service, ideally on symptoms users feel or on the SLO burning its error budget too fast, so the team hears of a problem before its users do. The check reads that alert rules are named, not what they alert on.',
    howToFix: `Add the annotation of your alerting plugin, one of ${ALERTING_ANNOTATIONS.join(
      ', ',
    )}, ${fixGeneric('alerting', 'https://alerts.example.com/my-service')}.`,
    evaluate: toolOrGenericCheck(
      ALERTING_ANNOTATIONS,
      ['alerting'],
      'no Grafana or Prometheus alert annotation',
    ),
  },
  {
    id: 'adr',
    title: 'Architecture decisions recorded',
    pillar: 'sharing',
    description:
      "Architecture decision records keep the reasons behind a design when the people who made it move on, so design decisions do not live in one person's head.",
    howToFix: `Add \`metadata.annotations.${ADR_ANNOTATION}: docs/adrs\` (read by Backstage's ADR plugin), ${fixGeneric(
      'adr',
      'https://wiki.example.com/my-service/decisions',
    )}.`,
    docsUrl: 'https://adr.github.io/',
    evaluate: toolOrGenericCheck(
      [ADR_ANNOTATION],
      ['adr'],
      `no ${ADR_ANNOTATION}`,
    ),
  },
  {
    id: 'infrastructure-as-code',
    appliesTo: 'deployable',
    title: 'Infrastructure as code',
    pillar: 'automation',
    description:
      'Infrastructure and deployment declared in versioned, reviewed files (Terraform, Helm, manifests that Argo CD applies from Git) make every environment reproducible and every change auditable. The check reads an Argo CD annotation or a link to the code, not the code itself.',
    howToFix: `Add the annotation of Argo CD, one of ${GITOPS_ANNOTATIONS.join(
      ', ',
    )}, ${fixGeneric(
      'infrastructure-as-code',
      'https://github.com/acme/infra/tree/main/my-service',
    )} pointing to the code.`,
    evaluate: toolOrGenericCheck(
      GITOPS_ANNOTATIONS,
      ['infrastructure-as-code'],
      'no Argo CD annotation',
    ),
  },
];

/**
 * Which entities a check applies to, by the entity's `spec.type` and `spec.lifecycle`:
 * - `all`: every entity;
 * - `deployable`: a deployable type (see {@link entityScope});
 * - `production`: deployable and not `experimental`: it runs in production, so it can fail
 *   there and someone answers for it;
 * - `delivering`: in production and not `deprecated`: it is still changed and deployed.
 * @public
 */
export type CheckAppliesTo = 'all' | 'deployable' | 'production' | 'delivering';

/**
 * The `spec.type`s that do not deploy when app-config names none
 * (`devopsMaturity.maturity.nonDeployableTypes`): `library`, the one well-known component type
 * that does not run. Every other type deploys, so that a type nobody listed (`backend`,
 * `worker`) is held to on-call and DORA rather than excused from them.
 * @public
 */
export const DEFAULT_NON_DEPLOYABLE_TYPES: readonly string[] = ['library'];

/** Where an entity's type and lifecycle place it, and what holds it out of the rest. @public */
export interface EntityScope {
  /** Which of the {@link CheckAppliesTo} classes the entity belongs to. */
  applies: Record<CheckAppliesTo, boolean>;
  /**
   * Why the entity is out of a class, in words a developer can verify, e.g.
   * `spec.type library does not deploy (devopsMaturity.maturity.nonDeployableTypes: library)`.
   */
  reasons: Partial<Record<CheckAppliesTo, string>>;
  /** Whether the type or the lifecycle keeps it out of a class. */
  excludedBy: Partial<Record<CheckAppliesTo, 'type' | 'lifecycle'>>;
}

/**
 * The scope of an entity. Only a `spec.type` listed in `nonDeployableTypes` is excused from
 * what running services are judged on; every other type, and an entity without one (a kind
 * without types, e.g. a System, if scored), is held to everything. Types compare trimmed and
 * case-insensitively.
 * @public
 */
export function entityScope(
  entity: Pick<CheckEntity, 'type' | 'lifecycle'>,
  nonDeployableTypes: readonly string[] = DEFAULT_NON_DEPLOYABLE_TYPES,
): EntityScope {
  const norm = (s: string) => s.trim().toLocaleLowerCase('en-US');
  const type = entity.type === undefined ? undefined : norm(entity.type);
  const lifecycle = entity.lifecycle?.toLocaleLowerCase('en-US');
  const deployable = !type || !nonDeployableTypes.some(t => norm(t) === type);
  const typeReason = `spec.type ${
    entity.type
  } does not deploy (devopsMaturity.maturity.nonDeployableTypes: ${nonDeployableTypes.join(
    ', ',
  )})`;
  const scope: EntityScope = {
    applies: {
      all: true,
      deployable,
      production: deployable,
      delivering: deployable,
    },
    reasons: {},
    excludedBy: {},
  };
  const exclude = (
    classes: CheckAppliesTo[],
    by: 'type' | 'lifecycle',
    reason: string,
  ) => {
    for (const c of classes) {
      if (!scope.applies[c] && scope.excludedBy[c]) continue; // the first reason stands
      scope.applies[c] = false;
      scope.excludedBy[c] = by;
      scope.reasons[c] = reason;
    }
  };
  if (!deployable)
    exclude(['deployable', 'production', 'delivering'], 'type', typeReason);
  if (lifecycle === 'experimental')
    exclude(
      ['production', 'delivering'],
      'lifecycle',
      'spec.lifecycle experimental: not in production',
    );
  if (lifecycle === 'deprecated')
    exclude(
      ['delivering'],
      'lifecycle',
      'spec.lifecycle deprecated: no longer changed and deployed',
    );
  return scope;
}

/** Which checks to leave out, and how to tell the entity's scope. @public */
export interface RunChecksOptions {
  /** The `spec.type`s that do not deploy; default {@link DEFAULT_NON_DEPLOYABLE_TYPES}. */
  nonDeployableTypes?: readonly string[];
  /** Ids of checks that are not applicable everywhere (`devopsMaturity.maturity.checks.disabled`). */
  disabled?: readonly string[];
}

/**
 * Runs checks; a check that throws fails with the error as its evidence, never the whole run.
 * A disabled check, or one whose `appliesTo` leaves the entity out, is not applicable without
 * running, with `excludedBy` saying why.
 * @public
 */
export function runChecks(
  checks: GoldenPathCheck[],
  context: CheckContext,
  options: RunChecksOptions = {},
): CheckResult[] {
  const scope = entityScope(context.entity, options.nonDeployableTypes);
  const disabled = new Set(options.disabled ?? []);
  return checks.map(check => {
    const appliesTo = check.appliesTo ?? 'all';
    let outcome: CheckOutcome;
    let excludedBy: CheckResult['excludedBy'];
    if (disabled.has(check.id)) {
      excludedBy = 'disabled';
      outcome = {
        status: 'not-applicable',
        evidence: 'disabled in devopsMaturity.maturity.checks.disabled',
      };
    } else if (!scope.applies[appliesTo]) {
      excludedBy = scope.excludedBy[appliesTo];
      outcome = {
        status: 'not-applicable',
        evidence: scope.reasons[appliesTo] ?? 'not meant for this entity',
      };
    } else {
      try {
        outcome = check.evaluate(context);
      } catch (error) {
        outcome = {
          status: 'fail',
          value: 0,
          evidence: `the check failed to run: ${String(error)}`,
        };
      }
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
      ...(excludedBy ? { excludedBy } : {}),
      ...(check.scored === false ? { scored: false as const } : {}),
    };
  });
}
