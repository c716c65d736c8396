import { Knex } from 'knex';
import { TimeWindow } from '@devops-maturity/backstage-plugin-common';
import { chunks, isSqlite, toNumber, whereInList } from './util';

/**
 * The deployments of these entities finished in the window that an incident names as its
 * cause, by pk: half of "this deployment failed".
 *
 * Why from the incidents: an incident's cause is always a deployment of its own entity (see
 * docs/metrics.md, change failure rate), and incidents are few beside deployments. A probe of
 * the incidents' cause index per deployment cost more than reading the deployments themselves
 * (16 ms of 29 for 10,000 deployments of the busiest service).
 */
export async function causedIncidents(
  knex: Knex,
  entityRefs: string[],
  window: TimeWindow,
): Promise<Set<number>> {
  const rows = await knex('dm_incidents as i')
    .join('dm_deployments as d', 'd.pk', 'i.cause_deployment_pk')
    .whereIn('i.entity_ref', entityRefs)
    .where('d.finished_at', '>=', window.from)
    .where('d.finished_at', '<', window.to)
    .distinct('i.cause_deployment_pk');
  return new Set(rows.map(r => toNumber(r.cause_deployment_pk)));
}

/** The key of `latestFixes`' answer: an entity and the id of the deployment fixed. */
const fixKey = (entityRef: string, deploymentId: string) =>
  `${entityRef}\u0000${deploymentId}`;

/**
 * The other half of "this deployment failed": a later counted rollback or hotfix of the same
 * entity names it in `fixes`. Answers, per entity and fixed id, the finish time of the latest
 * such fix; a deployment failed if that is after its own finish.
 *
 * Why not a correlated subquery per deployment, as the incidents are: without planner
 * statistics SQLite answered it from the (entity, counts, finished_at) index, scanning every
 * later deployment of the entity for each one: 54 s for a page of a service with 50,000
 * deployments. Fixes are few, so they are read once, by the partial index that holds only
 * them; on SQLite the index is named in the query so no missing statistics can change the plan.
 *
 * `fixedIds`, when given, restricts the answer to fixes of those ids (a page of a list).
 */
export async function latestFixes(
  knex: Knex,
  entityRefs: string[],
  fixedIds?: string[],
): Promise<Map<string, number>> {
  const latest = new Map<string, number>();
  if (fixedIds?.length === 0) return latest;
  const table = isSqlite(knex)
    ? knex.raw('?? INDEXED BY ??', [
        'dm_deployments',
        'dm_deployments_entity_fixes_idx',
      ])
    : 'dm_deployments';
  for (const refs of chunks([...new Set(entityRefs)])) {
    const q = knex
      .from(table)
      .whereIn('entity_ref', refs)
      .whereNotNull('fixes')
      .where('counts', true)
      .whereIn('kind', ['rollback', 'hotfix'])
      .select('entity_ref', 'fixes', 'finished_at');
    // one bound parameter, whatever the page size
    if (fixedIds) whereInList(q, 'fixes', fixedIds);
    for (const f of await q) {
      const key = fixKey(f.entity_ref, f.fixes);
      const at = toNumber(f.finished_at);
      const known = latest.get(key);
      if (known === undefined || at > known) latest.set(key, at);
    }
  }
  return latest;
}

/**
 * Whether a later counted rollback or hotfix of its entity names this deployment, from the
 * entity's latest fixes. The other half of "failed" is an incident naming it as cause.
 */
export function fixedLater(
  entityRef: string,
  deploymentId: string,
  finishedAt: unknown,
  fixes: Map<string, number>,
): boolean {
  if (fixes.size === 0) return false;
  const fixedAt = fixes.get(fixKey(entityRef, deploymentId));
  return fixedAt !== undefined && fixedAt > toNumber(finishedAt);
}
