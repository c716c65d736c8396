import { DeploymentEvent } from '../events';
import { parseInstant } from '../time';

/** Options that decide which events count and how incidents link to deployments. @public */
export interface DoraOptions {
  /** Environments that count as production, compared case-insensitively. */
  productionEnvironments: string[];
  /**
   * Link an incident with no resolvable explicit cause to the latest successful production
   * deployment of its entity that finished before it opened.
   */
  linkIncidentsToLatestDeployment: boolean;
}

/** The defaults the spec names. @public */
export const DEFAULT_DORA_OPTIONS: DoraOptions = {
  productionEnvironments: ['production', 'prod'],
  linkIncidentsToLatestDeployment: true,
};

/** Whether an environment counts as production. @internal */
export function isProductionEnvironment(
  environment: string,
  options: DoraOptions,
): boolean {
  const env = environment.trim().toLowerCase();
  return options.productionEnvironments.some(
    p => p.trim().toLowerCase() === env,
  );
}

/** Whether a deployment counts in DORA metrics: successful and to production. @internal */
export function countsAsDeployment(
  d: Pick<DeploymentEvent, 'status' | 'environment'>,
  options: DoraOptions,
): boolean {
  return (
    d.status === 'success' && isProductionEnvironment(d.environment, options)
  );
}

/** Whether a deployment is an unplanned repair (rework). @internal */
export function isRework(d: Pick<DeploymentEvent, 'kind' | 'fixes'>): boolean {
  return d.kind === 'rollback' || d.kind === 'hotfix' || !!d.fixes;
}

/** Whether a deployment marks the one its `fixes` names as failed. @internal */
export function marksFixedDeploymentFailed(
  d: Pick<DeploymentEvent, 'kind' | 'fixes'>,
): boolean {
  return (d.kind === 'rollback' || d.kind === 'hotfix') && !!d.fixes;
}

/**
 * The deployments an incident could be caused by, each found by one rule; keys are whatever
 * the caller uses to name deployments.
 * @internal
 */
export interface IncidentCauseCandidates<K> {
  /** A deployment of the entity whose id is the incident's `deploymentId`. */
  byDeploymentId?: K;
  /** The first successful production deployment of the entity containing `causeSha`. */
  byCauseSha?: K;
  /** The latest successful production deployment of the entity finished before `openedAt`. */
  latestBefore?: K;
}

/**
 * The precedence of the cause rules: an explicit deployment id that names a known
 * deployment, else a cause sha that a production deployment contained, else (when enabled)
 * the latest deployment before the incident opened. An explicit reference that names
 * nothing known falls through to the next rule.
 * @internal
 */
export function chooseIncidentCause<K>(
  candidates: IncidentCauseCandidates<K>,
  options: Pick<DoraOptions, 'linkIncidentsToLatestDeployment'>,
): K | undefined {
  if (candidates.byDeploymentId !== undefined) return candidates.byDeploymentId;
  if (candidates.byCauseSha !== undefined) return candidates.byCauseSha;
  if (options.linkIncidentsToLatestDeployment) return candidates.latestBefore;
  return undefined;
}

/**
 * Compares two strings by their UTF-8 bytes, the order SQLite's BINARY and PostgreSQL's
 * `COLLATE "C"` use. JavaScript's `<` compares UTF-16 code units, which differs only for
 * characters beyond U+FFFF (surrogate pairs, U+D800..U+DFFF): their UTF-8 bytes sort after
 * those of U+E000..U+FFFF, their code units before. Shifting the two ranges past each other
 * gives code point order, which is UTF-8 byte order.
 * @internal
 */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x !== y) {
      if (x >= 0xd800) x += x >= 0xe000 ? -0x800 : 0x2000;
      if (y >= 0xd800) y += y >= 0xe000 ? -0x800 : 0x2000;
      return x - y;
    }
  }
  return a.length - b.length;
}

/**
 * The canonical order of deployments: by finish time, then source, then id, the texts in
 * UTF-8 byte order (`compareUtf8`), so that "first" and "latest" are the same everywhere,
 * ties included, in JavaScript and in either database.
 * @internal
 */
export function compareDeployments(
  a: { finishedAt: number; source: string; id: string },
  b: { finishedAt: number; source: string; id: string },
): number {
  if (a.finishedAt !== b.finishedAt) return a.finishedAt - b.finishedAt;
  return compareUtf8(a.source, b.source) || compareUtf8(a.id, b.id);
}

/**
 * Whether a copy of an event is older than the stored copy, by the source's own times
 * (`updatedAt`, epoch ms): then it must not replace it. Equal or newer replaces it; without a
 * time on either copy, the last write wins.
 * @internal
 */
export function isStaleCopy(
  updatedAt: number | null | undefined,
  storedUpdatedAt: number | null | undefined,
): boolean {
  return (
    updatedAt !== null &&
    updatedAt !== undefined &&
    storedUpdatedAt !== null &&
    storedUpdatedAt !== undefined &&
    updatedAt < storedUpdatedAt
  );
}

/**
 * Of each (source, id), the copy that writing `events` in order leaves stored: a later copy
 * replaces an earlier one unless `isStaleCopy` says it is older. `stale` counts the copies
 * that lost that way.
 * @internal
 */
export function newestCopies<
  T extends { source: string; id: string; updatedAt?: string },
>(events: T[]): { latest: T[]; stale: number } {
  const byKey = new Map<string, { event: T; updatedAt?: number }>();
  let stale = 0;
  for (const event of events) {
    const key = `${event.source}\u0000${event.id}`;
    const updatedAt =
      event.updatedAt === undefined
        ? undefined
        : parseInstant(event.updatedAt, 'updatedAt');
    if (isStaleCopy(updatedAt, byKey.get(key)?.updatedAt)) stale++;
    else byKey.set(key, { event, updatedAt });
  }
  return { latest: [...byKey.values()].map(c => c.event), stale };
}

/** Keeps the stored copy of each (source, id): a resend updates, never duplicates. @internal */
export function latestCopies<
  T extends { source: string; id: string; updatedAt?: string },
>(events: T[]): T[] {
  return newestCopies(events).latest;
}
