import { Knex } from 'knex';
import { DoraOptions } from '@devops-maturity/backstage-plugin-common';
import { EventBatch, WriteResult } from './types';
import { writeDeployments } from './writeDeployments';
import { relinkIncidents } from './relinkIncidents';
import { writeIncidents } from './writeIncidents';
import { deleteUnmatchedCopies, writeUnmatched } from './writeUnmatched';
import { markStale } from './staleRankings';

/**
 * Writes one pushed batch in the caller's transaction: its deployments (and the incidents
 * they re-link), its incidents, its unmatched events, and the stale marks of the rankings of
 * every entity it touched.
 */
export async function writeEventBatch(
  trx: Knex.Transaction,
  batch: EventBatch,
  options: DoraOptions,
): Promise<WriteResult> {
  const d = await writeDeployments(trx, batch.deployments, options);
  await relinkIncidents(trx, d.relink, options);
  const i = await writeIncidents(trx, batch.incidents, options);
  const u = await writeUnmatched(trx, batch.unmatched);
  await deleteUnmatchedCopies(trx, batch);
  // With the facts, in the same transaction: the rows of these entities are stale for
  // every replica from the moment the batch is acknowledged.
  const touched = new Set([
    ...batch.deployments.map(e => e.entityRef),
    ...batch.incidents.map(e => e.entityRef),
    ...i.left,
    ...d.relink.keys(),
  ]);
  if (touched.size) await markStale(trx, touched);
  return {
    inserted: d.inserted + i.inserted,
    updated: d.updated + i.updated,
    unmatched: u.kept,
    stale: d.stale + i.stale + u.stale,
  };
}
