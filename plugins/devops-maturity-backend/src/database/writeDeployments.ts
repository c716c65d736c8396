import { Knex } from 'knex';
import {
  compareDeployments,
  countsAsDeployment,
  DeploymentEvent,
  DoraOptions,
  parseInstant,
} from '@devops-maturity/backstage-plugin-common';
import {
  chunks,
  MAX_INSERT_ROWS,
  toBoolean,
  toNumber,
  wherePairs,
} from './util';

/** What an entity's incidents must be re-linked for, after its deployments changed. */
export interface RelinkScope {
  /** Incidents opened after this may now have another "latest deployment before". */
  openedAfter: number;
  deploymentIds: Set<string>;
  shas: Set<string>;
  deploymentPks: Set<number>;
}

interface ExistingRow {
  pk: number;
  source: string;
  external_id: string;
  entity_ref: string;
  finished_at: number;
}

function toRow(d: DeploymentEvent, options: DoraOptions) {
  return {
    source: d.source,
    external_id: d.id,
    entity_ref: d.entityRef,
    environment: d.environment,
    status: d.status,
    counts: countsAsDeployment(d, options),
    started_at: d.startedAt ? parseInstant(d.startedAt) : null,
    finished_at: parseInstant(d.finishedAt),
    kind: d.kind,
    fixes: d.fixes ?? null,
    version: d.version ?? null,
    url: d.url ?? null,
    actor: d.actor ?? null,
    labels: d.labels ? JSON.stringify(d.labels) : null,
    commit_count: d.commits.length,
  };
}

async function findExisting(
  trx: Knex.Transaction,
  keys: Array<[string, string]>,
) {
  const rows: ExistingRow[] = [];
  for (const part of chunks(keys)) {
    const { query, isWanted } = wherePairs(
      trx('dm_deployments').select(
        'pk',
        'source',
        'external_id',
        'entity_ref',
        'finished_at',
      ),
      ['source', 'external_id'],
      part,
    );
    rows.push(
      ...(await query).filter((r: ExistingRow) =>
        isWanted(r.source, r.external_id),
      ),
    );
  }
  return rows.map(r => ({
    ...r,
    pk: toNumber(r.pk),
    finished_at: toNumber(r.finished_at),
  }));
}

/**
 * Upserts deployments and their commits, then recomputes the first counted deployment of
 * every change they touch. Returns what was new, what was updated, and per entity what the
 * incidents must be re-linked for.
 */
export async function writeDeployments(
  trx: Knex.Transaction,
  deployments: DeploymentEvent[],
  options: DoraOptions,
): Promise<{
  inserted: number;
  updated: number;
  relink: Map<string, RelinkScope>;
}> {
  const relink = new Map<string, RelinkScope>();
  if (deployments.length === 0) return { inserted: 0, updated: 0, relink };

  const key = (source: string, id: string) => `${source}\u0000${id}`;
  const existing = await findExisting(
    trx,
    deployments.map(d => [d.source, d.id]),
  );
  const existingByKey = new Map(
    existing.map(r => [key(r.source, r.external_id), r]),
  );

  const rows = deployments.map(d => toRow(d, options));
  for (const part of chunks(rows, MAX_INSERT_ROWS)) {
    await trx('dm_deployments')
      .insert(part)
      .onConflict(['source', 'external_id'])
      .merge();
  }
  const written = await findExisting(
    trx,
    deployments.map(d => [d.source, d.id]),
  );
  const pkByKey = new Map(
    written.map(r => [key(r.source, r.external_id), r.pk]),
  );

  // Commits: replace those of updated deployments, insert those of new ones.
  const affected = new Map<string, Set<string>>(); // entity -> shas whose first deploy may change
  const touch = (entityRef: string, sha: string) => {
    if (!affected.has(entityRef)) affected.set(entityRef, new Set());
    affected.get(entityRef)!.add(sha);
  };
  const updatedPks = existing.map(r => r.pk);
  for (const part of chunks(updatedPks)) {
    const old = await trx('dm_deployment_commits')
      .whereIn('deployment_pk', part)
      .select('entity_ref', 'sha');
    old.forEach(c => touch(c.entity_ref, c.sha));
    await trx('dm_deployment_commits').whereIn('deployment_pk', part).delete();
  }
  const commitRows = deployments.flatMap(d => {
    const pk = pkByKey.get(key(d.source, d.id))!;
    const seen = new Set<string>();
    return d.commits
      .filter(c => !seen.has(c.sha) && seen.add(c.sha))
      .map(c => {
        touch(d.entityRef, c.sha);
        return {
          deployment_pk: pk,
          entity_ref: d.entityRef,
          sha: c.sha,
          committed_at: parseInstant(c.committedAt),
        };
      });
  });
  for (const part of chunks(commitRows, MAX_INSERT_ROWS)) {
    await trx('dm_deployment_commits').insert(part);
  }
  await recomputeChanges(trx, affected);

  // Relink scopes, per entity (old entity too, when a resend moved a deployment).
  const scope = (entityRef: string) => {
    if (!relink.has(entityRef)) {
      relink.set(entityRef, {
        openedAfter: Infinity,
        deploymentIds: new Set(),
        shas: new Set(),
        deploymentPks: new Set(),
      });
    }
    return relink.get(entityRef)!;
  };
  for (const d of deployments) {
    const s = scope(d.entityRef);
    const old = existingByKey.get(key(d.source, d.id));
    s.openedAfter = Math.min(
      s.openedAfter,
      parseInstant(d.finishedAt),
      old?.finished_at ?? Infinity,
    );
    s.deploymentIds.add(d.id);
    d.commits.forEach(c => s.shas.add(c.sha));
    s.deploymentPks.add(pkByKey.get(key(d.source, d.id))!);
    if (old && old.entity_ref !== d.entityRef) {
      const o = scope(old.entity_ref);
      o.openedAfter = Math.min(o.openedAfter, old.finished_at);
      o.deploymentPks.add(old.pk);
    }
  }
  return {
    inserted: deployments.length - existing.length,
    updated: existing.length,
    relink,
  };
}

/**
 * For each (entity, sha), finds the first counted deployment that contains it, in the
 * canonical order, and stores it with that deployment's commit time; drops pairs that no
 * counted deployment contains any more.
 */
async function recomputeChanges(
  trx: Knex.Transaction,
  affected: Map<string, Set<string>>,
) {
  const pairs: Array<[string, string]> = [];
  affected.forEach((shas, entityRef) =>
    shas.forEach(sha => pairs.push([entityRef, sha])),
  );
  for (const part of chunks(pairs, 500)) {
    const { query, isWanted } = wherePairs(
      trx('dm_deployment_commits as c')
        .join('dm_deployments as d', 'd.pk', 'c.deployment_pk')
        .select(
          'c.entity_ref',
          'c.sha',
          'c.committed_at',
          'd.pk',
          'd.finished_at',
          'd.source',
          'd.external_id',
          'd.counts',
        ),
      ['c.entity_ref', 'c.sha'],
      part,
    );
    const first = new Map<string, any>();
    for (const r of await query) {
      if (!toBoolean(r.counts) || !isWanted(r.entity_ref, r.sha)) continue;
      const candidate = {
        ...r,
        finishedAt: toNumber(r.finished_at),
        id: r.external_id,
      };
      const k = `${r.entity_ref}\u0000${r.sha}`;
      const best = first.get(k);
      if (!best || compareDeployments(candidate, best) < 0)
        first.set(k, candidate);
    }
    const upserts = [...first.values()].map(r => ({
      entity_ref: r.entity_ref,
      sha: r.sha,
      committed_at: toNumber(r.committed_at),
      first_deployment_pk: toNumber(r.pk),
      first_deployed_at: r.finishedAt,
    }));
    for (const ins of chunks(upserts, MAX_INSERT_ROWS)) {
      await trx('dm_entity_changes')
        .insert(ins)
        .onConflict(['entity_ref', 'sha'])
        .merge();
    }
    // Changes no counted deployment contains any more (a resend moved or failed it): rare.
    for (const [entityRef, sha] of part) {
      if (!first.has(`${entityRef}\u0000${sha}`)) {
        await trx('dm_entity_changes')
          .where({ entity_ref: entityRef, sha })
          .delete();
      }
    }
  }
}
