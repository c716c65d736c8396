import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type { GoldenPathCheck } from '@devops-maturity/backstage-plugin-common';
import type { CommitHistory } from './commitHistory';

/**
 * An event as a source module delivers it: like a push API item, naming its entity by
 * `entityRef` or by annotations the entity carries.
 * @public
 */
export interface SourceEventIdentity {
  entityRef?: string;
  annotations?: Record<string, string>;
}

/**
 * What a push of deployments or incidents did, as the push API answers it.
 * @public
 */
export interface PushResult {
  /** New events stored against a catalog entity. */
  accepted: number;
  /** Events that replaced an earlier copy with the same source and id. */
  updated: number;
  /** Events kept for later because no catalog entity matched them yet. */
  unmatched: number;
  /**
   * Events ignored because a copy with the same source and id and a newer `updatedAt` was
   * stored before (or came earlier in the same batch): a late or repeated delivery.
   */
  stale: number;
}

/**
 * What the plugin hands a source: write deployments and incidents through the same
 * validation and ingest path as the push API. Items are push API items; see the OpenAPI spec.
 * @public
 */
export interface DoraEventSink {
  /** Stores deployments; throws an InputError naming bad items, storing none of them. */
  pushDeployments(
    items: Array<Record<string, unknown> & SourceEventIdentity>,
  ): Promise<PushResult>;
  /** Stores incidents; throws an InputError naming bad items, storing none of them. */
  pushIncidents(
    items: Array<Record<string, unknown> & SourceEventIdentity>,
  ): Promise<PushResult>;
  /**
   * Runs `handle` for a webhook delivery unless this source handled a delivery with the same
   * id before (GitHub's `X-GitHub-Delivery`, GitLab's `Idempotency-Key`, PagerDuty's
   * `event.id`; see `deliveryHeader`), and answers whether it ran. The id is remembered in the
   * plugin's database, for every replica, once `handle` succeeded: a delivery whose handling
   * failed is taken again when redelivered. Without an id, `handle` always runs. Two copies
   * handled at the same moment may both run; the ordering by `updatedAt` makes that harmless.
   */
  handleOnce(
    deliveryId: string | undefined,
    handle: () => Promise<void>,
  ): Promise<boolean>;
  /**
   * The commit history learnt from this source's pushes, kept in the plugin's database (its
   * repositories never mix with another source's): what its deployments report as changes.
   */
  commits: CommitHistory;
}

/**
 * A module that brings deployments or incidents (GitHub, GitLab, PagerDuty, ...).
 * @public
 */
export interface DoraEventSource {
  /** A stable id, used in logs. */
  readonly id: string;
  /** Called once the plugin is ready to take events. */
  connect(sink: DoraEventSink): Promise<void>;
}

/**
 * Lets backend modules add event sources and the annotations that identify entities to them.
 * @public
 */
export interface DevopsMaturityEventsExtensionPoint {
  /** Adds one source or several. */
  addEventSource(...sources: Array<DoraEventSource | DoraEventSource[]>): void;
  /**
   * Adds catalog annotations whose values identify an entity to a source, such as
   * `jenkins.io/job-full-name`; the defaults are `github.com/project-slug`,
   * `gitlab.com/project-slug` and `pagerduty.com/service-id`.
   */
  addIdentityAnnotation(...annotations: Array<string | string[]>): void;
}

/** The extension point through which modules bring events and identity annotations. @public */
export const devopsMaturityEventsExtensionPoint =
  createExtensionPoint<DevopsMaturityEventsExtensionPoint>({
    id: 'devops-maturity.events',
  });

/**
 * Lets backend modules add golden-path checks: pure evaluators over the catalog entity and the
 * plugin's data (see `GoldenPathCheck` in the common package). A check with the id of a
 * built-in one replaces it.
 * @public
 */
export interface DevopsMaturityChecksExtensionPoint {
  /** Adds one check or several. */
  addCheck(...checks: Array<GoldenPathCheck | GoldenPathCheck[]>): void;
}

/** The extension point through which modules add golden-path checks. @public */
export const devopsMaturityChecksExtensionPoint =
  createExtensionPoint<DevopsMaturityChecksExtensionPoint>({
    id: 'devops-maturity.checks',
  });
