import { Knex } from 'knex';
import { DoraOptions } from '@devops-maturity/backstage-plugin-common';
import { ChangeRow, upsertEarlierChanges } from './entityChanges';
import { relinkIncidents } from './relinkIncidents';
import { toNumber } from './util';

/**
 * Moves the history of an entity that left the catalog to the entity that carries its
 * identity now, and forgets the departure; `from === to` (the entity came back) only forgets.
 * Run in one transaction: a move is whole or not at all. Answers false when the departure was
 * already settled (by an earlier or concurrent run), so nothing moves twice.
 */
export async function moveEntityHistory(
  trx: Knex.Transaction,
  from: string,
  to: string,
  options: DoraOptions,
): Promise<boolean> {
  // Deleting first: on PostgreSQL a concurrent run waits for this row and then finds none.
  const forgotten = await trx('dm_departed_entities')
    .where('entity_ref', from)
    .delete();
  if (forgotten === 0) return false;
  if (from === to) return true;

  // A sha both entities deployed keeps the earlier of their first deployments, by the same
  // rule and the same guarded upsert that ingestion uses; the pks stay valid as the
  // deployments move unchanged.
  const changes: ChangeRow[] = (
    await trx('dm_entity_changes').where('entity_ref', from)
  ).map(c => ({
    entity_ref: to,
    sha: c.sha,
    committed_at: toNumber(c.committed_at),
    first_deployment_pk: toNumber(c.first_deployment_pk),
    first_deployed_at: toNumber(c.first_deployed_at),
    first_source: c.first_source,
    first_external_id: c.first_external_id,
  }));
  await upsertEarlierChanges(trx, changes);
  await trx('dm_entity_changes').where('entity_ref', from).delete();

  // Source and id stay each event's key, so no event of either entity collides.
  await trx('dm_deployments')
    .where('entity_ref', from)
    .update({ entity_ref: to });
  await trx('dm_incidents')
    .where('entity_ref', from)
    .update({ entity_ref: to });
  // Each incident's cause may now be a deployment of the other entity ("latest before", a
  // named id, a sha's first deployment): every incident of the merged entity is linked again.
  await relinkIncidents(
    trx,
    new Map([
      [
        to,
        {
          openedAfter: Number.MIN_SAFE_INTEGER,
          deploymentIds: new Set<string>(),
          shas: new Set<string>(),
          deploymentPks: new Set<number>(),
        },
      ],
    ]),
    options,
  );

  // The maturity history is the service's too: assessments move (the newest counts, as
  // always); a day both entities have keeps the target's own record.
  await trx('dm_assessments')
    .where('entity_ref', from)
    .update({ entity_ref: to });
  await trx.raw(
    `INSERT INTO dm_check_history (entity_ref, day, level, calms_score, results)
     SELECT ?, day, level, calms_score, results FROM dm_check_history WHERE entity_ref = ?
     ON CONFLICT (entity_ref, day) DO NOTHING`,
    [to, from],
  );
  await trx('dm_check_history').where('entity_ref', from).delete();
  // The facts stored with either entity's rows no longer match their events, and no stale
  // mark says so for the old ref: dropped, so that no recomputation pools them.
  await trx('dm_entity_facts').whereIn('entity_ref', [from, to]).delete();
  // The old ref's ranking rows are stale; the caller marks the target's for recomputation.
  await trx('dm_scorecards')
    .where({ subject_type: 'entity', subject_ref: from })
    .delete();
  return true;
}
