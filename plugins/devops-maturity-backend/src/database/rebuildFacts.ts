import { Knex } from 'knex';
import {
  compareUtf8,
  countsAsDeployment,
  DoraOptions,
} from '@devops-maturity/backstage-plugin-common';
import { chunks, isSqlite, selectWhereIn, toBoolean, toNumber } from './util';
import { recomputeChanges } from './entityChanges';
import { relinkIncidents } from './relinkIncidents';

/** Every entity that has stored deployments or incidents, in byte order. */
export async function entitiesWithEvents(knex: Knex): Promise<string[]> {
  const rows: Array<{ entity_ref: string }> = await knex
    .select('entity_ref')
    .from('dm_deployments')
    .union(qb => qb.select('entity_ref').from('dm_incidents'));
  return rows.map(r => r.entity_ref).sort(compareUtf8);
}

/**
 * Derives again, under `options`, what was derived when the entities' events were stored:
 * which deployments count, each change's first counted deployment, and each incident's cause.
 * The result equals storing the same events afresh under `options`. Answers how many
 * deployments changed whether they count.
 */
export async function rebuildEntityFacts(
  trx: Knex.Transaction,
  entityRefs: string[],
  options: DoraOptions,
): Promise<{ recounted: number }> {
  // On PostgreSQL, batches wait while a step runs (and a step waits for batches already
  // writing): a batch that read counts from before the step and committed after it would
  // otherwise keep facts derived from them. Steps are a few entities each, so the wait is short.
  // SQLite has one writer at a time anyway.
  if (!isSqlite(trx))
    await trx.raw(
      'LOCK TABLE dm_deployments, dm_incidents IN SHARE ROW EXCLUSIVE MODE',
    );
  const deployments = await selectWhereIn(
    () =>
      trx('dm_deployments').select(
        'pk',
        'entity_ref',
        'status',
        'environment',
        'counts',
        'commits',
      ),
    'entity_ref',
    entityRefs,
  );
  const nowCounting: number[] = [];
  const noLongerCounting: number[] = [];
  for (const d of deployments) {
    const counts = countsAsDeployment(d, options);
    if (counts === toBoolean(d.counts)) continue;
    (counts ? nowCounting : noLongerCounting).push(toNumber(d.pk));
  }
  for (const [pks, counts] of [
    [nowCounting, true],
    [noLongerCounting, false],
  ] as const) {
    for (const part of chunks(pks)) {
      await trx('dm_deployments').whereIn('pk', part).update({ counts });
    }
  }

  // Changes follow counted deployments: every sha of the entities is found again (those no
  // counted deployment has any more are dropped). Every entity, not only those recounted: a
  // rebuild also follows a new version of the derivation, or facts whose rules nobody recorded.
  const affected = new Map<string, Set<string>>();
  for (const entityRef of entityRefs) affected.set(entityRef, new Set());
  for (const d of deployments) {
    const shas = affected.get(d.entity_ref);
    if (!shas) continue;
    for (const c of JSON.parse(d.commits ?? '[]') as Array<{ sha: string }>)
      shas.add(c.sha);
  }
  const changes = await selectWhereIn(
    () => trx('dm_entity_changes').select('entity_ref', 'sha'),
    'entity_ref',
    entityRefs,
  );
  for (const c of changes) affected.get(c.entity_ref)?.add(c.sha);
  await recomputeChanges(trx, affected);

  // The linking rule may have changed too: every incident of the entities is linked again.
  await relinkIncidents(
    trx,
    new Map(
      entityRefs.map(entityRef => [
        entityRef,
        {
          // every incident of the entity: opened after the earliest time there is
          openedAfter: Number.MIN_SAFE_INTEGER,
          deploymentIds: new Set<string>(),
          shas: new Set<string>(),
          deploymentPks: new Set<number>(),
        },
      ]),
    ),
    options,
  );
  // The facts stored with their ranking rows were derived under the old rules: dropped, so
  // that no recomputation pools them (the rebuild's recomputation reads every entity's events).
  for (const part of chunks(entityRefs)) {
    await trx('dm_entity_facts').whereIn('entity_ref', part).delete();
  }
  return { recounted: nowCounting.length + noLongerCounting.length };
}
