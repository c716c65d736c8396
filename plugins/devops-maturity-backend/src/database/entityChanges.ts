import { Knex } from 'knex';
import {
  compareDeployments,
  parseInstant,
} from '@devops-maturity/backstage-plugin-common';
import {
  byteOrder,
  chunks,
  isSqlite,
  selectWherePairs,
  toNumber,
} from './util';
import { upsertRows } from './fastWrites';

/** A deployment's stored commit, as its `commits` column lists them. */
export type StoredCommit = { sha: string; committedAt: string };

/** A change of an entity at its first counted deployment: a row of dm_entity_changes. */
export interface ChangeRow {
  entity_ref: string;
  sha: string;
  committed_at: number;
  first_deployment_pk: number;
  first_deployed_at: number;
  first_source: string;
  first_external_id: string;
}

export const compareChangeRows = (a: ChangeRow, b: ChangeRow) =>
  compareDeployments(
    {
      finishedAt: a.first_deployed_at,
      source: a.first_source,
      id: a.first_external_id,
    },
    {
      finishedAt: b.first_deployed_at,
      source: b.first_source,
      id: b.first_external_id,
    },
  );

/** The stored changes of these (entity, sha) pairs, each with its first deployment. */
export function storedChanges(
  trx: Knex.Transaction,
  pairs: Array<[string, string]>,
) {
  return selectWherePairs<{
    entity_ref: string;
    sha: string;
    first_deployment_pk: unknown;
  }>(
    () =>
      trx('dm_entity_changes').select(
        'entity_ref',
        'sha',
        'first_deployment_pk',
      ),
    ['entity_ref', 'sha'],
    pairs,
  );
}

/**
 * Stores each change unless a deployment earlier in the canonical order (finish time, then
 * source, then id) already brought it.
 */
export async function upsertEarlierChanges(
  trx: Knex.Transaction,
  rows: ChangeRow[],
) {
  const bytes = byteOrder(trx);
  await upsertRows(trx, 'dm_entity_changes', rows as any[], {
    conflict: ['entity_ref', 'sha'],
    merge: [
      'committed_at',
      'first_deployment_pk',
      'first_deployed_at',
      'first_source',
      'first_external_id',
    ],
    mergeWhere:
      '(excluded.first_deployed_at < dm_entity_changes.first_deployed_at OR ' +
      '(excluded.first_deployed_at = dm_entity_changes.first_deployed_at AND ' +
      `(excluded.first_source${bytes} < dm_entity_changes.first_source${bytes} OR ` +
      '(excluded.first_source = dm_entity_changes.first_source AND ' +
      `excluded.first_external_id${bytes} < dm_entity_changes.first_external_id${bytes}))))`,
  });
}

/**
 * For each (entity, sha) whose deployments changed, finds again the first counted deployment
 * of the entity that contains it, from the deployments' stored commits; drops changes no
 * counted deployment contains any more.
 *
 * SQLite reads 200 entities at a time, within its limit on bound parameters; PostgreSQL takes
 * the batch's entities in one array parameter: a read, an upsert and a delete per batch.
 */
export async function recomputeChanges(
  trx: Knex.Transaction,
  affected: Map<string, Set<string>>,
) {
  const entities = [...affected.keys()];
  const sqlite = isSqlite(trx);
  for (const part of chunks(entities, sqlite ? 200 : entities.length)) {
    const query = trx('dm_deployments')
      .where('counts', true)
      .select(
        'pk',
        'entity_ref',
        'finished_at',
        'source',
        'external_id',
        'commits',
      );
    const deployments = await (sqlite
      ? query.whereIn('entity_ref', part)
      : query.whereRaw('entity_ref = ANY(?::text[])', [part]));
    const first = new Map<string, ChangeRow>();
    for (const d of deployments) {
      const shas = affected.get(d.entity_ref)!;
      for (const c of JSON.parse(d.commits ?? '[]') as StoredCommit[]) {
        if (!shas.has(c.sha)) continue;
        const row: ChangeRow = {
          entity_ref: d.entity_ref,
          sha: c.sha,
          committed_at: parseInstant(c.committedAt),
          first_deployment_pk: toNumber(d.pk),
          first_deployed_at: toNumber(d.finished_at),
          first_source: d.source,
          first_external_id: d.external_id,
        };
        const k = `${d.entity_ref}\u0000${c.sha}`;
        const best = first.get(k);
        if (!best || compareChangeRows(row, best) < 0) first.set(k, row);
      }
    }
    await upsertRows(trx, 'dm_entity_changes', [...first.values()] as any[], {
      conflict: ['entity_ref', 'sha'],
    });
    await deleteChanges(
      trx,
      part.flatMap(entityRef =>
        [...affected.get(entityRef)!]
          .filter(sha => !first.has(`${entityRef}\u0000${sha}`))
          .map(sha => [entityRef, sha] as [string, string]),
      ),
    );
  }
}

/**
 * Deletes these (entity, sha) changes: on SQLite by entity, on PostgreSQL in one statement
 * with the pairs bound as two arrays, rather than a round trip per entity.
 */
async function deleteChanges(
  trx: Knex.Transaction,
  pairs: Array<[string, string]>,
) {
  if (pairs.length === 0) return;
  if (!isSqlite(trx)) {
    await trx.raw(
      `DELETE FROM dm_entity_changes
       WHERE (entity_ref, sha) IN (SELECT * FROM unnest(?::text[], ?::text[]))`,
      [pairs.map(p => p[0]), pairs.map(p => p[1])],
    );
    return;
  }
  const byEntity = new Map<string, string[]>();
  for (const [entityRef, sha] of pairs) {
    if (!byEntity.has(entityRef)) byEntity.set(entityRef, []);
    byEntity.get(entityRef)!.push(sha);
  }
  for (const [entityRef, shas] of byEntity) {
    for (const part of chunks(shas)) {
      await trx('dm_entity_changes')
        .where('entity_ref', entityRef)
        .whereIn('sha', part)
        .delete();
    }
  }
}
