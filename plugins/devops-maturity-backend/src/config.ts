import { Config, readDurationFromConfig } from '@backstage/config';
import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { durationToMilliseconds } from '@backstage/types';
import { InputError } from '@backstage/errors';
import {
  BUILT_IN_PROFILES,
  DEFAULT_DORA_OPTIONS,
  DEFAULT_PROFILE_ID,
  DoraOptions,
  DoraProfile,
  DoraProfileOverride,
  overrideProfile,
  TierBounds,
  CALMS_PILLARS,
  CalmsWeights,
  CheckSettings,
  DAY_MS,
  DEFAULT_CALMS_WEIGHTS,
  DEFAULT_CHECK_SETTINGS,
  DEFAULT_NON_DEPLOYABLE_TYPES,
  DEFAULT_MATURITY_LEVELS,
  DoraTier,
  MaturityCriterion,
  MaturityLevelDefinition,
  TIERS_WORST_FIRST,
  readInstant,
} from '@devops-maturity/backstage-plugin-common';
import {
  DEFAULT_EARLIEST_EVENT_TIME,
  DEFAULT_EVENT_FUTURE_TOLERANCE_MS,
} from './service/validation';

/** The plugin's settings, read once from app-config. */
export interface DevopsMaturitySettings {
  options: DoraOptions;
  profiles: Record<string, DoraProfile>;
  defaultProfile: string;
  includeChildGroups: boolean;
  /** Catalog kinds whose entities get scorecards. */
  kinds: string[];
  seedDemoData: boolean;
  maturity: MaturitySettings;
  events: EventTimeSettings;
  /** How long an unmatched event is kept, from its arrival. */
  unmatchedRetentionMs: number;
}

/** The instants pushed events may carry: from `earliest` to `futureToleranceMs` after now. */
export interface EventTimeSettings {
  /** Epoch ms. */
  earliest: number;
  futureToleranceMs: number;
}

/** The maturity model's settings. */
export interface MaturitySettings {
  levels: MaturityLevelDefinition[];
  weights: CalmsWeights;
  /** An assessment older than this no longer counts. */
  assessmentMaxAgeDays: number;
  checks: CheckSettings;
  /** Ids of checks that are not applicable everywhere, built-in or from modules. */
  disabledChecks: string[];
  /** The `spec.type`s that do not deploy: delivery checks and DORA tiers skip them. */
  nonDeployableTypes: string[];
}

const PILLARS_AND_ALL = [...CALMS_PILLARS, 'all'];
const DORA_METRICS = [
  'overall',
  'deploymentFrequency',
  'leadTime',
  'changeFailureRate',
  'timeToRestore',
];

function readCriterion(c: Config, at: string): MaturityCriterion {
  if (c.has('check')) return { check: c.getString('check') };
  if (c.has('assessment')) {
    if (c.getString('assessment') !== 'current')
      throw new InputError(`${at}.assessment: the only value is 'current'`);
    return { assessment: 'current' };
  }
  if (c.has('calms')) {
    const pillar = c.getString('calms');
    if (!PILLARS_AND_ALL.includes(pillar))
      throw new InputError(
        `${at}.calms: '${pillar}' is not one of ${PILLARS_AND_ALL.join(', ')}`,
      );
    return { calms: pillar as any, min: c.getNumber('min') };
  }
  if (c.has('dora')) {
    const metric = c.getString('dora');
    if (!DORA_METRICS.includes(metric))
      throw new InputError(
        `${at}.dora: '${metric}' is not one of ${DORA_METRICS.join(', ')}`,
      );
    const min = c.getString('min');
    if (!TIERS_WORST_FIRST.includes(min as DoraTier))
      throw new InputError(`${at}.min: '${min}' is not a DORA tier`);
    return { dora: metric as any, min: min as DoraTier };
  }
  throw new InputError(
    `${at}: a criterion needs check, calms, dora or assessment`,
  );
}

function readMaturity(config: Config): MaturitySettings {
  const m = config.getOptionalConfig('devopsMaturity.maturity');
  const levels = m?.getOptionalConfigArray('levels')?.map((l, i) => ({
    level: l.getNumber('level'),
    name: l.getString('name'),
    description: l.getOptionalString('description') ?? '',
    criteria: (l.getOptionalConfigArray('criteria') ?? []).map((c, j) =>
      readCriterion(c, `devopsMaturity.maturity.levels[${i}].criteria[${j}]`),
    ),
    ...(l.has('requireEvidence')
      ? { requireEvidence: l.getBoolean('requireEvidence') }
      : {}),
  }));
  const maxAge = m?.has('assessmentMaxAge')
    ? durationToMilliseconds(
        readDurationFromConfig(m, { key: 'assessmentMaxAge' }),
      ) / DAY_MS
    : 180;
  return {
    levels: levels ?? DEFAULT_MATURITY_LEVELS,
    weights: {
      signals:
        m?.getOptionalNumber('weights.signals') ??
        DEFAULT_CALMS_WEIGHTS.signals,
      assessment:
        m?.getOptionalNumber('weights.assessment') ??
        DEFAULT_CALMS_WEIGHTS.assessment,
    },
    assessmentMaxAgeDays: maxAge,
    checks: {
      smallBatchMaxCommits:
        m?.getOptionalNumber('checks.smallBatchMaxCommits') ??
        DEFAULT_CHECK_SETTINGS.smallBatchMaxCommits,
      postmortemCoverageMin:
        m?.getOptionalNumber('checks.postmortemCoverageMin') ??
        DEFAULT_CHECK_SETTINGS.postmortemCoverageMin,
    },
    disabledChecks: m?.getOptionalStringArray('checks.disabled') ?? [],
    nonDeployableTypes: m?.getOptionalStringArray('nonDeployableTypes') ?? [
      ...DEFAULT_NON_DEPLOYABLE_TYPES,
    ],
  };
}

/**
 * Refuses a maturity model that names a check nobody installed: an id in `checks.disabled`
 * (a typo would leave the check on, silently) or a level's check criterion (it would fail
 * that level for every entity, capping them all). Runs at start-up, once the modules have
 * added their checks; the message names the config key.
 */
export function assertKnownChecks(
  maturity: Pick<MaturitySettings, 'levels' | 'disabledChecks'>,
  checkIds: string[],
  levelsFromConfig: boolean,
): void {
  const known = new Set(checkIds);
  const installed = `installed checks: ${[...checkIds].sort().join(', ')}`;
  const problems: string[] = [];
  maturity.disabledChecks.forEach((id, i) => {
    if (!known.has(id))
      problems.push(
        `devopsMaturity.maturity.checks.disabled[${i}]: unknown check '${id}'`,
      );
  });
  maturity.levels.forEach((level, i) =>
    level.criteria.forEach((c, j) => {
      if (!('check' in c) || known.has(c.check)) return;
      problems.push(
        levelsFromConfig
          ? `devopsMaturity.maturity.levels[${i}].criteria[${j}].check: unknown check '${c.check}'`
          : `devopsMaturity.maturity.levels (the default ladder, level ${level.level}) needs check '${c.check}', which is not installed; set devopsMaturity.maturity.levels`,
      );
    }),
  );
  if (problems.length)
    throw new InputError(
      `Invalid maturity model: ${problems.join('; ')} (${installed})`,
    );
}

function durationBounds(
  config: Config | undefined,
): Partial<TierBounds<number>> | undefined {
  if (!config) return undefined;
  const out: Partial<TierBounds<number>> = {};
  for (const tier of ['elite', 'high', 'medium'] as const) {
    if (config.has(tier)) {
      const value = config.get(tier);
      out[tier] =
        typeof value === 'number'
          ? value
          : durationToMilliseconds(
              readDurationFromConfig(config, { key: tier }),
            ) / 1000;
    }
  }
  return out;
}

function numberBounds(
  config: Config | undefined,
): Partial<TierBounds<number>> | undefined {
  if (!config) return undefined;
  const out: Partial<TierBounds<number>> = {};
  for (const tier of ['elite', 'high', 'medium'] as const) {
    const v = config.getOptionalNumber(tier);
    if (v !== undefined) out[tier] = v;
  }
  return out;
}

function readProfiles(config: Config): Record<string, DoraProfile> {
  const profiles: Record<string, DoraProfile> = { ...BUILT_IN_PROFILES };
  const custom = config.getOptionalConfig('devopsMaturity.profiles');
  for (const id of custom?.keys() ?? []) {
    const c = custom!.getConfig(id);
    const baseId =
      c.getOptionalString('extends') ??
      (Object.hasOwn(BUILT_IN_PROFILES, id) ? id : DEFAULT_PROFILE_ID);
    const base = Object.hasOwn(profiles, baseId) ? profiles[baseId] : undefined;
    if (!base)
      throw new InputError(
        `devopsMaturity.profiles.${id}.extends: unknown profile '${baseId}'`,
      );
    const df = c.getOptionalConfig('deploymentFrequency');
    const override: DoraProfileOverride = {
      title: c.getOptionalString('title'),
      leadTimeSeconds: durationBounds(c.getOptionalConfig('leadTime')),
      timeToRestoreSeconds: durationBounds(
        c.getOptionalConfig('timeToRestore'),
      ),
      changeFailureRate: numberBounds(c.getOptionalConfig('changeFailureRate')),
      deploymentFrequency: df
        ? Object.fromEntries(
            (['elite', 'high', 'medium'] as const)
              .filter(t => df.has(t))
              .map(t => [
                t,
                {
                  measure: df.getString(`${t}.measure`) as any,
                  atLeast: df.getNumber(`${t}.atLeast`),
                },
              ]),
          )
        : undefined,
    };
    profiles[id] = overrideProfile(base, id, override);
  }
  return profiles;
}

/** Long enough to fix a missing annotation; short enough that the table stays small. */
export const DEFAULT_UNMATCHED_RETENTION_MS = 30 * 86_400_000;

function readEventTimes(config: Config): EventTimeSettings {
  const key = 'devopsMaturity.events.earliest';
  const raw = config.getOptionalString(key);
  // A plain date is midnight UTC; anything else needs its offset, as the push API's times.
  const earliest =
    raw === undefined
      ? DEFAULT_EARLIEST_EVENT_TIME
      : readInstant(/^\d{4}-\d{2}-\d{2}$/.test(raw) ? `${raw}T00:00:00Z` : raw);
  if (earliest === undefined)
    throw new InputError(
      `${key}: '${raw}' is not a date (2000-01-01) or an ISO-8601 date-time with an offset`,
    );
  const events = config.getOptionalConfig('devopsMaturity.events');
  return {
    earliest,
    futureToleranceMs: events?.has('futureTolerance')
      ? durationToMilliseconds(
          readDurationFromConfig(events, { key: 'futureTolerance' }),
        )
      : DEFAULT_EVENT_FUTURE_TOLERANCE_MS,
  };
}

/** Reads `devopsMaturity.*` with the defaults documented in config.d.ts. */
export function readSettings(config: Config): DevopsMaturitySettings {
  const profiles = readProfiles(config);
  const defaultProfile =
    config.getOptionalString('devopsMaturity.profile') ?? DEFAULT_PROFILE_ID;
  if (!Object.hasOwn(profiles, defaultProfile)) {
    throw new InputError(
      `devopsMaturity.profile: unknown profile '${defaultProfile}'`,
    );
  }
  return {
    options: {
      productionEnvironments:
        config.getOptionalStringArray(
          'devopsMaturity.productionEnvironments',
        ) ?? DEFAULT_DORA_OPTIONS.productionEnvironments,
      linkIncidentsToLatestDeployment:
        config.getOptionalBoolean(
          'devopsMaturity.incidents.linkToLatestDeployment',
        ) ?? DEFAULT_DORA_OPTIONS.linkIncidentsToLatestDeployment,
    },
    profiles,
    defaultProfile,
    includeChildGroups:
      config.getOptionalBoolean('devopsMaturity.owners.includeChildGroups') ??
      true,
    kinds: config.getOptionalStringArray('devopsMaturity.catalog.kinds') ?? [
      'Component',
    ],
    seedDemoData:
      config.getOptionalBoolean('devopsMaturity.demo.seed') ?? false,
    maturity: readMaturity(config),
    events: readEventTimes(config),
    unmatchedRetentionMs: config.has('devopsMaturity.unmatched.retention')
      ? durationToMilliseconds(
          readDurationFromConfig(config, {
            key: 'devopsMaturity.unmatched.retention',
          }),
        )
      : DEFAULT_UNMATCHED_RETENTION_MS,
  };
}

/** A task's schedule from app-config at `key`, or the given default. */
export function readSchedule(
  config: Config,
  key: string,
  fallback: SchedulerServiceTaskScheduleDefinition,
): SchedulerServiceTaskScheduleDefinition {
  return config.has(key)
    ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
        config.getConfig(key),
      )
    : fallback;
}
