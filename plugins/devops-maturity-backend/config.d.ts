import { HumanDuration } from '@backstage/types';
import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  /** Settings of the devops-maturity plugins. */
  devopsMaturity?: {
    /**
     * Environments whose successful deployments count in DORA metrics, compared
     * case-insensitively. Default: `production`, `prod`. A change applies to stored events
     * too: after a restart, stored facts are rebuilt in the background (docs/metrics.md,
     * "When the rules change").
     */
    productionEnvironments?: string[];
    /**
     * The benchmark profile used when a request names none: `dora-2021` (the default),
     * `dora-2023`, or the id of a profile under `profiles`.
     * @visibility frontend
     */
    profile?: string;
    /**
     * Profiles that override thresholds of a built-in one, or add new ones. Use a built-in id
     * (`dora-2021`, `dora-2023`) to change its thresholds, or a new id with `extends`.
     */
    profiles?: {
      [id: string]: {
        /** The profile to start from; default the built-in of the same id, else `dora-2021`. */
        extends?: string;
        /** A name to show. */
        title?: string;
        /** Deployment-frequency rules per tier: at least `atLeast` of `measure`. */
        deploymentFrequency?: {
          [tier in 'elite' | 'high' | 'medium']?: {
            measure: 'weeklyDeployDays' | 'monthlyDeployDays' | 'deployments';
            atLeast: number;
          };
        };
        /** Median lead time must be strictly below these for each tier. */
        leadTime?: {
          [tier in 'elite' | 'high' | 'medium']?: HumanDuration | string;
        };
        /** Change failure rate (0..1) must be at most these for each tier. */
        changeFailureRate?: { [tier in 'elite' | 'high' | 'medium']?: number };
        /** Median time to restore must be strictly below these for each tier. */
        timeToRestore?: {
          [tier in 'elite' | 'high' | 'medium']?: HumanDuration | string;
        };
      };
    };
    incidents?: {
      /**
       * Link an incident that names no known deployment or commit to the latest successful
       * production deployment of its entity before it opened. Default: true. A change
       * applies to stored incidents too, after a restart, as for `productionEnvironments`.
       */
      linkToLatestDeployment?: boolean;
    };
    /** What pushed events (the push API and source modules) may carry. */
    events?: {
      /**
       * The earliest time an event may carry: a date (`2015-01-01`, midnight UTC) or an
       * ISO-8601 date-time with an offset. An earlier time is refused with a 400 naming the
       * field. Default: 2000-01-01.
       */
      earliest?: string;
      /**
       * How far after now (the server's clock) an event's time may lie, for clocks that run a
       * little ahead; a later time is refused with a 400 naming the field. Default: 1 day.
       */
      futureTolerance?: HumanDuration | string;
    };
    unmatched?: {
      /**
       * How long an event that matched no catalog entity is kept waiting for its entity, from
       * its arrival; older ones are deleted at the next catalog refresh. Default: 30 days. The
       * events of entities that left the catalog are history, not waiting: they are kept.
       */
      retention?: HumanDuration | string;
    };
    owners?: {
      /** Pool the entities of child groups into a team's figures. Default: true. */
      includeChildGroups?: boolean;
    };
    catalog?: {
      /** Catalog kinds whose entities get scorecards. Default: `Component`. */
      kinds?: string[];
      /**
       * How often the plugin re-reads ownership and the group hierarchy from the catalog.
       * Default: every 5 minutes, first after 10 seconds.
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    };
    scorecards?: {
      /**
       * How often every ranking row is recomputed, as the 30/90/180/365-day windows move with
       * time. Rows of entities with new events are recomputed at the next ranking read anyway,
       * and all rows after a catalog change. Default: hourly, first after 5 minutes.
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    };
    /** The maturity model; docs/maturity-model.md explains each default. */
    maturity?: {
      /**
       * The levels, replacing the default five (1 Initial .. 5 Optimizing). Each is cumulative:
       * a service has the highest level whose criteria and all lower levels' criteria pass.
       * A criterion is `{ check: id }`, `{ calms: pillar | 'all', min: 0..100 }` or
       * `{ dora: 'overall' | metric, min: 'elite' | 'high' | 'medium' | 'low' }` or
       * `{ assessment: 'current' }` (the team's self-assessment is not stale). A check
       * criterion must name an installed check, or the backend refuses to start.
       */
      levels?: Array<{
        level: number;
        name: string;
        description?: string;
        /**
         * When true, a check that found nothing to judge (no incident resolved, no commits
         * reported) does not pass this level; checks left out by type, lifecycle or
         * `checks.disabled` stay left out. Default false (the default ladder sets it on level 5).
         */
        requireEvidence?: boolean;
        criteria?: Array<{
          check?: string;
          calms?: string;
          dora?: string;
          assessment?: 'current';
          min?: number | string;
        }>;
      }>;
      /** How a CALMS pillar weighs automated signals and the self-assessment. Default 0.5 / 0.5. */
      weights?: { signals?: number; assessment?: number };
      /** A self-assessment older than this no longer counts. Default: 180 days. */
      assessmentMaxAge?: HumanDuration | string;
      checks?: {
        /** Small batches: the median commits per deployment may not exceed this. Default 5. */
        smallBatchMaxCommits?: number;
        /** Postmortem coverage: the share of resolved incidents with a postmortem. Default 0.8. */
        postmortemCoverageMin?: number;
        /**
         * Ids of checks (built-in or from modules) that are not applicable everywhere: they
         * never fail a level and never count in CALMS. An unknown id stops the start-up.
         */
        disabled?: string[];
      };
      /**
       * The `spec.type`s that do not deploy. For these types the delivery and operations
       * checks are not applicable and DORA-tier criteria do not apply; every other type, and
       * an entity without `spec.type`, counts as deployable and is held to them. Compared
       * trimmed and case-insensitively. Default `['library']`.
       */
      nonDeployableTypes?: string[];
    };
    demo?: {
      /**
       * Seed 180 days of generated history for catalog entities annotated with
       * `devops-maturity.io/demo-profile`. For the demo only; default false.
       */
      seed?: boolean;
    };
  };
}
