import { DORA_REASONS, DoraMetrics } from '../dora/metrics';
import { DoraTier, tierScore } from '../dora/tiers';
import { CALMS_PILLAR_TITLES, CalmsPillar } from './calms';
import { CheckAppliesTo, CheckResult, EntityScope } from './checks';
import { CalmsScores } from './scores';

/** The DORA figures a criterion can ask a tier of. @public */
export type DoraCriterionMetric =
  | 'overall'
  | 'deploymentFrequency'
  | 'leadTime'
  | 'changeFailureRate'
  | 'timeToRestore';

/**
 * One criterion of a maturity level: a check passes, a CALMS pillar (or every pillar) scores at
 * least `min`, a DORA metric is at least a tier, or the team's self-assessment is current.
 * @public
 */
export type MaturityCriterion =
  | { check: string }
  | { calms: CalmsPillar | 'all'; min: number }
  | { dora: DoraCriterionMetric; min: DoraTier }
  | { assessment: 'current' };

/** One level of the maturity model: its number, name and the criteria to reach it. @public */
export interface MaturityLevelDefinition {
  level: number;
  name: string;
  description: string;
  criteria: MaturityCriterion[];
  /**
   * When true, a check that ran and found nothing to judge (`not-applicable` without
   * `excludedBy`: no incident resolved, no commits reported) does not pass this level's
   * criterion: the level asks for evidence, not for its absence. Checks left out by the
   * entity's type, lifecycle or `checks.disabled` are still left out. Default false; true at
   * the default ladder's level 5.
   */
  requireEvidence?: boolean;
}

/**
 * The default ladder; docs/maturity-model.md gives the reasons. Levels are cumulative: a level
 * counts only when it and every level below it pass.
 * @public
 */
export const DEFAULT_MATURITY_LEVELS: MaturityLevelDefinition[] = [
  {
    level: 1,
    name: 'Initial',
    description:
      'In the catalog. Delivery and operations depend on individuals; nothing is measured yet.',
    criteria: [],
  },
  {
    level: 2,
    name: 'Managed',
    description:
      'A team owns the service, says what it is and how long to rely on it, and the catalog names its CI.',
    criteria: [
      { check: 'owned-by-group' },
      { check: 'description' },
      { check: 'lifecycle' },
      { check: 'ci' },
    ],
  },
  {
    level: 3,
    name: 'Defined',
    description:
      'On the paved road: documented, monitored, on-call, with deployments and incidents flowing into the scorecard.',
    criteria: [
      { check: 'system' },
      { check: 'techdocs' },
      { check: 'runbook' },
      { check: 'monitoring-dashboard' },
      { check: 'on-call' },
      { check: 'deployments-flowing' },
      { check: 'incidents-wired' },
    ],
  },
  {
    level: 4,
    name: 'Measured',
    description:
      'Reliability has a target and alerts, security is scanned, the team reviews its practices, every CALMS pillar is at least half-way, delivery is at least medium and so is its change failure rate.',
    criteria: [
      { check: 'slo' },
      { check: 'alerting' },
      { check: 'security-scanning' },
      { assessment: 'current' },
      { calms: 'all', min: 50 },
      { dora: 'overall', min: 'medium' },
      { dora: 'changeFailureRate', min: 'medium' },
    ],
  },
  {
    level: 5,
    name: 'Optimizing',
    description:
      'Small batches and postmortems shown by data, strong CALMS practices, high or elite delivery and a high or elite change failure rate.',
    criteria: [
      { check: 'small-batches' },
      { check: 'postmortem-coverage' },
      { calms: 'all', min: 75 },
      { dora: 'overall', min: 'high' },
      { dora: 'changeFailureRate', min: 'high' },
    ],
    requireEvidence: true,
  },
];

/** A criterion with what was found. @public */
export interface CriterionResult {
  criterion: MaturityCriterion;
  /** What it asks, in words. */
  label: string;
  passed: boolean;
  /**
   * True when the criterion does not apply to the entity (a check left out by its type,
   * lifecycle or `checks.disabled`; a DORA tier of an entity that does not deliver): it is
   * counted as passed and says why in `evidence`.
   */
  notApplicable?: boolean;
  evidence: string;
  howToFix: string;
}

/** How an entity fares against one level: each criterion with its result. @public */
export interface MaturityLevelResult {
  level: number;
  name: string;
  description: string;
  passed: boolean;
  criteria: CriterionResult[];
}

/** An entity's maturity: the level reached, every level's results and the next steps. @public */
export interface MaturityResult {
  level: number;
  name: string;
  levels: MaturityLevelResult[];
  /** The failing criteria of the next level, most impact for the effort first; empty at the top. */
  nextSteps: CriterionResult[];
}

const DORA_TITLES: Record<DoraCriterionMetric, string> = {
  overall: 'Overall DORA tier',
  deploymentFrequency: 'Deployment frequency',
  leadTime: 'Lead time for changes',
  changeFailureRate: 'Change failure rate',
  timeToRestore: 'Time to restore',
};

function doraTier(
  dora: DoraMetrics | undefined,
  metric: DoraCriterionMetric,
): DoraTier | null {
  if (!dora) return null;
  return metric === 'overall' ? dora.overallTier : dora[metric].tier;
}

/** What a level is evaluated on. @public */
export interface MaturityInput {
  /** The entity's golden-path check results (`runChecks`). */
  checks: CheckResult[];
  /** Its CALMS scores (`computeCalmsScores`). */
  calms: CalmsScores;
  /** Its DORA figures in the window; absent where nothing is known. */
  dora?: DoraMetrics;
  /**
   * The entity's scope (`entityScope`): deployment frequency and lead time apply only to
   * entities that deliver (deployable, neither experimental nor deprecated); change failure
   * rate and time to restore to every deployable entity; the overall tier to those that
   * deliver, and to other deployable ones once a metric has data. An experimental entity
   * reaches level {@link EXPERIMENTAL_MAX_LEVEL} at most. Without a scope every criterion
   * applies.
   */
  scope?: EntityScope;
}

/**
 * The highest level an experimental entity reaches: what its lifecycle excuses it from
 * (on-call, SLO, delivery) is what levels 4 and 5 ask for, so it cannot pass them excused.
 * @public
 */
export const EXPERIMENTAL_MAX_LEVEL = 3;

const EXPERIMENTAL_CAP =
  'experimental: reaches level 3 at most; production practices are judged once it is in production';

/**
 * Whether the entity's scope holds it out of production for its lifecycle: only
 * `experimental` does (`deprecated` still runs in production), and a type reason, which
 * comes first, means the lifecycle excuses nothing.
 */
const isExperimental = (scope: EntityScope | undefined) =>
  scope?.excludedBy.production === 'lifecycle';

/** A criterion the experimental lifecycle excused, failed above the experimental cap. */
function experimentalCap(
  criterion: MaturityCriterion,
  label: string,
  level: MaturityLevelDefinition,
): CriterionResult {
  return {
    criterion,
    label,
    passed: false,
    evidence: EXPERIMENTAL_CAP,
    howToFix: `Level ${level.level} judges production practices: set \`spec.lifecycle: production\` once the entity runs in production, and meet this criterion.`,
  };
}

/**
 * Which scope class a DORA criterion needs. Stability (change failure rate, time to restore)
 * is judged while the entity runs anywhere, deprecated included; throughput only while it is
 * still changed and deployed.
 */
function doraClass(metric: DoraCriterionMetric): CheckAppliesTo {
  return metric === 'changeFailureRate' || metric === 'timeToRestore'
    ? 'deployable'
    : 'delivering';
}

/**
 * Whether the entity ever reported an incident, as its DORA figures know it: time to restore
 * says "no incidents reported" only when none ever was. Without incidents, a change failure
 * rate of 0% may only mean that failures are never reported.
 */
const incidentsReported = (dora: DoraMetrics | undefined) =>
  !!dora && dora.reasons.timeToRestore !== DORA_REASONS.noIncidentsEver;

function evaluateCriterion(
  criterion: MaturityCriterion,
  input: MaturityInput,
  level: MaturityLevelDefinition,
): CriterionResult {
  if ('check' in criterion) {
    const check = input.checks.find(c => c.id === criterion.check);
    if (!check) {
      return {
        criterion,
        label: `Check ${criterion.check}`,
        passed: false,
        evidence: `no check with id "${criterion.check}" is installed`,
        howToFix:
          'Fix the maturity level configuration or install the module that provides the check.',
      };
    }
    if (
      check.status === 'not-applicable' &&
      check.excludedBy === 'lifecycle' &&
      isExperimental(input.scope) &&
      level.level > EXPERIMENTAL_MAX_LEVEL
    )
      return experimentalCap(criterion, check.title, level);
    if (check.status === 'not-applicable' && check.excludedBy) {
      // Left out for this entity or everywhere: the level is judged without it.
      return {
        criterion,
        label: check.title,
        passed: true,
        notApplicable: true,
        evidence: `does not apply: ${check.evidence}`,
        howToFix: '',
      };
    }
    if (check.status === 'not-applicable' && level.requireEvidence) {
      return {
        criterion,
        label: check.title,
        passed: false,
        evidence: `nothing to judge yet (${check.evidence}); level ${level.level} asks for evidence`,
        howToFix: `Level ${level.level} counts what the data shows, not its absence. ${check.howToFix}`,
      };
    }
    return {
      criterion,
      label: check.title,
      // Nothing to judge (e.g. no incidents to write postmortems for) does not hold a level
      // back, except at a level that asks for evidence.
      passed: check.status !== 'fail',
      evidence:
        check.status === 'not-applicable'
          ? `not applicable: ${check.evidence}`
          : check.evidence,
      howToFix: check.howToFix,
    };
  }
  if ('assessment' in criterion) {
    const a = input.calms.assessment;
    let evidence = 'no self-assessment yet';
    if (a) {
      const when = `${a.submittedAt.slice(0, 10)} by ${a.author}`;
      evidence = a.stale
        ? `last submitted ${when}, older than ${a.staleAfterDays} days`
        : `submitted ${when}`;
    }
    return {
      criterion,
      label: 'CALMS self-assessment current',
      passed: !!a && !a.stale,
      evidence,
      howToFix:
        'The owning team answers the CALMS questionnaire on the CALMS tab (about five minutes).',
    };
  }
  if ('calms' in criterion) {
    const pillars =
      criterion.calms === 'all'
        ? input.calms.pillars
        : input.calms.pillars.filter(p => p.pillar === criterion.calms);
    const below = pillars.filter(
      p => p.score === null || p.score < criterion.min,
    );
    const label =
      criterion.calms === 'all'
        ? `Every CALMS pillar at least ${criterion.min}`
        : `${CALMS_PILLAR_TITLES[criterion.calms]} at least ${criterion.min}`;
    return {
      criterion,
      label,
      passed: below.length === 0,
      evidence: pillars
        .map(p => `${p.title} ${p.score === null ? 'no score' : p.score}`)
        .join(', '),
      howToFix: below.length
        ? `Raise ${below
            .map(p => p.title)
            .join(
              ', ',
            )}: fix the failing checks of the pillar and keep the team's self-assessment current.`
        : '',
    };
  }
  const label = `${DORA_TITLES[criterion.dora]} ${criterion.min} or better`;
  const tier = doraTier(input.dora, criterion.dora);
  const scope = input.scope;
  const cls = doraClass(criterion.dora);
  // The overall tier of a deployable entity that no longer delivers still counts once a
  // metric has data (its stability), so that retiring a service does not hide how it fails.
  const excused =
    scope &&
    !scope.applies[cls] &&
    !(criterion.dora === 'overall' && scope.applies.deployable && tier);
  if (scope && excused) {
    if (
      scope.excludedBy[cls] === 'lifecycle' &&
      isExperimental(scope) &&
      level.level > EXPERIMENTAL_MAX_LEVEL
    )
      return experimentalCap(criterion, label, level);
    // A library is not judged on DORA; a retired service not on its throughput.
    return {
      criterion,
      label,
      passed: true,
      notApplicable: true,
      evidence: `does not apply: ${scope.reasons[cls]}`,
      howToFix: '',
    };
  }
  const good = tier !== null && tierScore(tier) >= tierScore(criterion.min);
  if (
    good &&
    criterion.dora === 'changeFailureRate' &&
    !incidentsReported(input.dora)
  ) {
    const rate = input.dora?.changeFailureRate.value;
    return {
      criterion,
      label,
      passed: false,
      evidence: `no incidents reported yet: a change failure rate of ${
        rate ? Math.round(rate * 100) : 0
      }% is not known to be low`,
      howToFix:
        'Connect PagerDuty or report incidents through the push API (`POST /api/devops-maturity/incidents`), so that failed changes are counted.',
    };
  }
  return {
    criterion,
    label,
    passed: good,
    evidence: tier
      ? `${DORA_TITLES[criterion.dora]}: ${tier}`
      : `${DORA_TITLES[criterion.dora]}: no tier (not enough data)`,
    howToFix: `Improve ${DORA_TITLES[
      criterion.dora
    ].toLocaleLowerCase()}: see the DORA tab for what the next tier needs.`,
  };
}

/**
 * Checks first (mostly one catalog edit, and they raise CALMS too), then the self-assessment
 * (minutes of the team's time), then CALMS, then DORA (outcomes that follow the practices).
 */
function effortRank(c: CriterionResult, calms: CalmsScores): number {
  if ('check' in c.criterion) return 0;
  if ('assessment' in c.criterion) return 0.5;
  if ('calms' in c.criterion) {
    const scores = calms.pillars.map(p => p.score ?? 0);
    return 1 + Math.min(...scores) / 1000; // the weaker the pillars, the sooner
  }
  return 2;
}

/**
 * A service's maturity: the highest level whose criteria and every lower level's pass, and the
 * failing criteria of the next level as next steps.
 * @public
 */
export function evaluateMaturity(
  levels: MaturityLevelDefinition[],
  input: MaturityInput,
): MaturityResult {
  const sorted = [...levels].sort((a, b) => a.level - b.level);
  let reached: MaturityLevelResult | undefined;
  let blocked = false;
  const results = sorted.map(def => {
    const criteria = def.criteria.map(c => evaluateCriterion(c, input, def));
    const result: MaturityLevelResult = {
      level: def.level,
      name: def.name,
      description: def.description,
      passed: criteria.every(c => c.passed),
      criteria,
    };
    if (!blocked && result.passed) reached = result;
    else blocked = true;
    return result;
  });
  const next = results.find(r => r.level > (reached?.level ?? 0));
  const nextSteps = (next?.criteria ?? [])
    .filter(c => !c.passed)
    .map((c, i) => ({ c, i }))
    .sort(
      (a, b) =>
        effortRank(a.c, input.calms) - effortRank(b.c, input.calms) ||
        a.i - b.i,
    )
    .map(({ c }) => c);
  return {
    level: reached?.level ?? 0,
    name: reached?.name ?? 'Unrated',
    levels: results,
    nextSteps,
  };
}
