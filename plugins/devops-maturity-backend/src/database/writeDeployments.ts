import { Knex } from 'knex';
import {
  countsAsDeployment,
  DeploymentEvent,
  DoraOptions,
  isStaleCopy,
  parseInstant,
} from '@devops-maturity/backstage-plugin-common';
import { selectWherePairs, toBoolean, toNumber, toNumberOrNull } from './util';
import { inTurns, sqlitePrepare, upsertRows } from './fastWrites';
import { notOlderThanStored } from './ordering';
import {
  ChangeRow,
  compareChangeRows,
  recomputeChanges,
  StoredCommit,
  storedChanges,
  upsertEarlierChanges,
} from './entityChanges';

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
  counts: unknown;
  source: string;
  external_id: string;
  entity_ref: string;
  commits: string;
  finished_at: number;
  source_updated_at: number | null;
}

/** A deployment with its times read once: batches hold thousands of them. */
interface ParsedDeployment {
  event: DeploymentEvent;
  finishedAt: number;
  /** When the source last changed it, if it said. */
  updatedAt?: number;
  /** Its commits, each sha once, with their times. */
  commits: Array<{ sha: string; committedAt: number }>;
}

function parseDeployment(d: DeploymentEvent): ParsedDeployment {
  const seen = new Set<string>();
  return {
    event: d,
    finishedAt: parseInstant(d.finishedAt),
    updatedAt: d.updatedAt ? parseInstant(d.updatedAt) : undefined,
    commits: d.commits
      .filter(c => !seen.has(c.sha) && seen.add(c.sha))
      .map(c => ({ sha: c.sha, committedAt: parseInstant(c.committedAt) })),
  };
}

function toRow(p: ParsedDeployment, options: DoraOptions) {
  const d = p.event;
  return {
    source: d.source,
    external_id: d.id,
    entity_ref: d.entityRef,
    environment: d.environment,
    status: d.status,
    counts: countsAsDeployment(d, options),
    started_at: d.startedAt ? parseInstant(d.startedAt) : null,
    finished_at: p.finishedAt,
    source_updated_at: p.updatedAt ?? null,
    kind: d.kind,
    fixes: d.fixes ?? null,
    version: d.version ?? null,
    sha: d.sha ?? null,
    url: d.url ?? null,
    actor: d.actor ?? null,
    labels: d.labels ? JSON.stringify(d.labels) : null,
    commit_count: p.commits.length,
    commits_complete: d.commitsComplete !== false,
    // times stored as UTC instants, like every other time
    commits: JSON.stringify(
      p.commits.map(c => ({
        sha: c.sha,
        committedAt: new Date(c.committedAt).toISOString(),
      })),
    ),
  };
}

const EXISTING_COLUMNS = [
  'pk',
  'counts',
  'source',
  'external_id',
  'entity_ref',
  'finished_at',
  'commits',
  'source_updated_at',
];

async function findExisting(
  trx: Knex.Transaction,
  keys: Array<[string, string]>,
) {
  const rows: ExistingRow[] = [];
  const prepare = await sqlitePrepare(trx);
  if (prepare) {
    const statement = prepare(
      `SELECT ${EXISTING_COLUMNS.join(', ')} FROM dm_deployments ` +
        'WHERE source = ? AND external_id = ?',
    );
    await inTurns(keys, ([source, id]) => {
      const row = statement.get(source, id);
      if (row) rows.push(row);
    });
  } else {
    // Locked until the batch commits: a batch that skips work for a resend compares with the
    // very row its upsert replaces, not one a concurrent batch has replaced meanwhile.
    rows.push(
      ...(await selectWherePairs<ExistingRow>(
        () => trx('dm_deployments').select(EXISTING_COLUMNS).forUpdate(),
        ['source', 'external_id'],
        keys,
      )),
    );
  }
  return rows.map(r => ({
    ...r,
    pk: toNumber(r.pk),
    finished_at: toNumber(r.finished_at),
    source_updated_at: toNumberOrNull(r.source_updated_at),
  }));
}

/** Whether a stored deployment and its new copy give the same derived facts. */
function sameFacts(old: ExistingRow, row: ReturnType<typeof toRow>) {
  return (
    old.entity_ref === row.entity_ref &&
    old.finished_at === row.finished_at &&
    toBoolean(old.counts) === row.counts &&
    old.commits === row.commits
  );
}

/**
 * The (entity, sha) pairs whose first counted deployment is one of these stored deployments,
 * looked up by the changes' primary key from the deployments' stored commits.
 */
async function changesFirstDeployedBy(
  trx: Knex.Transaction,
  deployments: ExistingRow[],
): Promise<Map<string, Set<string>>> {
  const pks = new Set(deployments.map(d => d.pk));
  const pairs = deployments.flatMap(d =>
    (JSON.parse(d.commits ?? '[]') as StoredCommit[]).map(
      c => [d.entity_ref, c.sha] as [string, string],
    ),
  );
  const rows = await storedChanges(trx, pairs);
  const affected = new Map<string, Set<string>>();
  for (const r of rows) {
    if (!pks.has(toNumber(r.first_deployment_pk))) continue;
    if (!affected.has(r.entity_ref)) affected.set(r.entity_ref, new Set());
    affected.get(r.entity_ref)!.add(r.sha);
  }
  return affected;
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
  /** Copies not written: the stored copy has a newer source time. */
  stale: number;
  relink: Map<string, RelinkScope>;
}> {
  const relink = new Map<string, RelinkScope>();
  if (deployments.length === 0)
    return { inserted: 0, updated: 0, stale: 0, relink };

  const key = (source: string, id: string) => `${source}\u0000${id}`;
  const offered = deployments.map(parseDeployment);
  const existing = await findExisting(
    trx,
    deployments.map(d => [d.source, d.id]),
  );
  const existingByKey = new Map(
    existing.map(r => [key(r.source, r.external_id), r]),
  );
  // A copy older than the stored one changes nothing: not written, no change recomputed, no
  // incident relinked.
  const fresh = offered.filter(
    p =>
      !isStaleCopy(
        p.updatedAt,
        existingByKey.get(key(p.event.source, p.event.id))?.source_updated_at,
      ),
  );

  const rows = fresh.map(p => toRow(p, options));
  const written = await upsertRows(trx, 'dm_deployments', rows, {
    conflict: ['source', 'external_id'],
    mergeWhere: notOlderThanStored('dm_deployments'),
    returning: ['pk', 'source', 'external_id'],
  });
  const pkByKey = new Map(
    written.map(r => [
      key(r.source as string, r.external_id as string),
      toNumber(r.pk),
    ]),
  );
  // Those the guard refused went stale after the read (a concurrent batch stored a newer copy).
  const parsed = fresh.filter(p =>
    pkByKey.has(key(p.event.source, p.event.id)),
  );

  // A copy that changes none of what the derived facts are made of (a redelivery, a retried
  // report, a status update that keeps it counted where it was) needs no change recomputed
  // and no incident relinked: resends cost what a lookup and a write cost.
  const rowByKey = new Map(rows.map(r => [key(r.source, r.external_id), r]));
  const changed = parsed.filter(p => {
    const k = key(p.event.source, p.event.id);
    const old = existingByKey.get(k);
    return !old || !sameFacts(old, rowByKey.get(k)!);
  });

  // Each sha keeps its first counted deployment with a conditional upsert of the new and
  // changed deployments' commits, no read needed. Only shas whose first deployment was a
  // changed one may now have a later first: those are found again from the stored commits.
  const firstInBatch = new Map<string, ChangeRow>();
  for (const { event: d, finishedAt, commits } of changed) {
    if (!countsAsDeployment(d, options)) continue;
    for (const c of commits) {
      const row: ChangeRow = {
        entity_ref: d.entityRef,
        sha: c.sha,
        committed_at: c.committedAt,
        first_deployment_pk: pkByKey.get(key(d.source, d.id))!,
        first_deployed_at: finishedAt,
        first_source: d.source,
        first_external_id: d.id,
      };
      const k = `${d.entityRef}\u0000${c.sha}`;
      const best = firstInBatch.get(k);
      if (!best || compareChangeRows(row, best) < 0) firstInBatch.set(k, row);
    }
  }
  const changedStored = changed
    .map(p => existingByKey.get(key(p.event.source, p.event.id)))
    .filter((old): old is ExistingRow => old !== undefined);
  await recomputeChanges(trx, await changesFirstDeployedBy(trx, changedStored));
  await upsertEarlierChanges(trx, [...firstInBatch.values()]);

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
  for (const { event: d, finishedAt } of changed) {
    const s = scope(d.entityRef);
    const old = existingByKey.get(key(d.source, d.id));
    s.openedAfter = Math.min(
      s.openedAfter,
      finishedAt,
      old?.finished_at ?? Infinity,
    );
    s.deploymentIds.add(d.id);
    d.commits.forEach(c => s.shas.add(c.sha));
    // Incidents can only be linked to a deployment that was stored before this batch.
    if (old) s.deploymentPks.add(old.pk);
    if (old && old.entity_ref !== d.entityRef) {
      const o = scope(old.entity_ref);
      o.openedAfter = Math.min(o.openedAfter, old.finished_at);
      o.deploymentPks.add(old.pk);
    }
  }
  const updated = parsed.filter(p =>
    existingByKey.has(key(p.event.source, p.event.id)),
  ).length;
  return {
    inserted: parsed.length - updated,
    updated,
    stale: deployments.length - parsed.length,
    relink,
  };
}
