import { Knex } from 'knex';
import {
  chooseIncidentCause,
  compareUtf8,
  DoraOptions,
  IncidentEvent,
  isStaleCopy,
  parseInstant,
} from '@devops-maturity/backstage-plugin-common';
import {
  byteOrder,
  selectWhereIn,
  selectWherePairs,
  toNumber,
  toNumberOrNull,
} from './util';
import { sqlitePrepare, upsertRows } from './fastWrites';
import { notOlderThanStored } from './ordering';
import { RelinkScope, storedChanges } from './writeDeployments';

interface CauseInput {
  entity_ref: string;
  source: string;
  opened_at: number;
  deployment_id: string | null;
  cause_sha: string | null;
}

const pairKey = (a: string, b: string) => `${a}\u0000${b}`;

/** Ties in finish time are broken by source and id in byte order, as `compareDeployments`. */
const latestBeforeSql = (bytes: string) =>
  'SELECT pk FROM dm_deployments WHERE entity_ref = ? AND counts = ? AND finished_at < ? ' +
  `ORDER BY finished_at DESC, source${bytes} DESC, external_id${bytes} DESC LIMIT 1`;

/**
 * A lookup of the entity's latest counted deployment finished before a time, by one SQL text
 * on both databases but for the collation. On SQLite a statement prepared once: it runs once
 * per incident that names no deployment or commit, and knex's compiling of each run cost more
 * than the indexed lookup itself.
 */
async function latestDeploymentBefore(
  trx: Knex.Transaction,
): Promise<(entityRef: string, before: number) => Promise<number | undefined>> {
  const sql = latestBeforeSql(byteOrder(trx));
  const prepare = await sqlitePrepare(trx);
  if (prepare) {
    const statement = prepare(sql);
    return async (entityRef, before) => {
      const row = statement.get(entityRef, 1, before);
      return row ? toNumber(row.pk) : undefined;
    };
  }
  return async (entityRef, before) => {
    const { rows } = await trx.raw(sql, [entityRef, true, before]);
    return rows.length ? toNumber(rows[0].pk) : undefined;
  };
}

/**
 * Finds the deployment each incident makes failed, by the rules' precedence. The explicit
 * rules are answered for the whole list in a few queries; "latest before" needs one query per
 * incident that the explicit rules did not settle.
 */
export async function findCauses(
  trx: Knex.Transaction,
  incidents: CauseInput[],
  options: DoraOptions,
): Promise<Array<number | null>> {
  const byId = new Map<
    string,
    Array<{ pk: number; source: string; finished_at: number }>
  >();
  const idPairs = incidents
    .filter(i => i.deployment_id)
    .map(i => [i.entity_ref, i.deployment_id!] as [string, string]);
  // By the unique key's leading column; the entity is checked here.
  const wanted = new Set(idPairs.map(([e, id]) => pairKey(e, id)));
  const namedRows = await selectWhereIn(
    () =>
      trx('dm_deployments').select(
        'pk',
        'entity_ref',
        'external_id',
        'source',
        'finished_at',
      ),
    'external_id',
    [...new Set(idPairs.map(([, id]) => id))],
  );
  for (const r of namedRows) {
    const k = pairKey(r.entity_ref, r.external_id);
    if (!wanted.has(k)) continue;
    byId.set(k, [
      ...(byId.get(k) ?? []),
      {
        pk: toNumber(r.pk),
        source: r.source,
        finished_at: toNumber(r.finished_at),
      },
    ]);
  }
  const bySha = new Map<string, number>();
  const changes = await storedChanges(
    trx,
    incidents
      .filter(i => i.cause_sha)
      .map(i => [i.entity_ref, i.cause_sha!] as [string, string]),
  );
  for (const r of changes) {
    bySha.set(pairKey(r.entity_ref, r.sha), toNumber(r.first_deployment_pk));
  }
  const latestBefore = await latestDeploymentBefore(trx);

  const causes: Array<number | null> = [];
  for (const incident of incidents) {
    // Of the deployments with the named id: the incident's own source first, then the earliest.
    const named = incident.deployment_id
      ? [
          ...(byId.get(pairKey(incident.entity_ref, incident.deployment_id)) ??
            []),
        ].sort(
          (a, b) =>
            Number(b.source === incident.source) -
              Number(a.source === incident.source) ||
            a.finished_at - b.finished_at ||
            compareUtf8(a.source, b.source),
        )[0]
      : undefined;
    const sha = incident.cause_sha
      ? bySha.get(pairKey(incident.entity_ref, incident.cause_sha))
      : undefined;
    const latest =
      !named && sha === undefined && options.linkIncidentsToLatestDeployment
        ? await latestBefore(incident.entity_ref, incident.opened_at)
        : undefined;
    const cause = chooseIncidentCause(
      {
        byDeploymentId: named?.pk,
        byCauseSha: sha,
        latestBefore: latest,
      },
      options,
    );
    causes.push(cause === undefined ? null : cause);
  }
  return causes;
}

/**
 * Upserts incidents, each linked to its cause; a copy older than the stored one (by the
 * source's time) is left out.
 */
export async function writeIncidents(
  trx: Knex.Transaction,
  incidents: IncidentEvent[],
  options: DoraOptions,
): Promise<{ inserted: number; updated: number; stale: number }> {
  if (incidents.length === 0) return { inserted: 0, updated: 0, stale: 0 };
  const storedUpdatedAt = new Map(
    (
      await selectWherePairs(
        () =>
          trx('dm_incidents').select(
            'source',
            'external_id',
            'source_updated_at',
          ),
        ['source', 'external_id'],
        incidents.map(i => [i.source, i.id]),
      )
    ).map(r => [
      pairKey(r.source, r.external_id),
      toNumberOrNull(r.source_updated_at),
    ]),
  );
  const all = incidents.map(i => ({
    source: i.source,
    external_id: i.id,
    entity_ref: i.entityRef,
    opened_at: parseInstant(i.openedAt),
    resolved_at: i.resolvedAt ? parseInstant(i.resolvedAt) : null,
    severity: i.severity ?? null,
    title: i.title ?? null,
    url: i.url ?? null,
    postmortem_url: i.postmortemUrl ?? null,
    deployment_id: i.deploymentId ?? null,
    cause_sha: i.causeSha ?? null,
    source_updated_at: i.updatedAt ? parseInstant(i.updatedAt) : null,
  }));
  const rows = all.filter(
    r =>
      !isStaleCopy(
        r.source_updated_at,
        storedUpdatedAt.get(pairKey(r.source, r.external_id)),
      ),
  );
  const causes = await findCauses(trx, rows, options);
  const withCauses = rows.map((r, n) => ({
    ...r,
    cause_deployment_pk: causes[n],
  }));
  // The guard refuses copies a concurrent batch made stale after the read. A postmortem is
  // written after the incident, often by hand through the push API, while the incident tool's
  // later events (PagerDuty's resolve, a redelivery) know nothing of it: a copy without a
  // postmortem URL keeps the stored one.
  const written = await upsertRows(trx, 'dm_incidents', withCauses, {
    conflict: ['source', 'external_id'],
    mergeWhere: notOlderThanStored('dm_incidents'),
    keepWhenNull: ['postmortem_url'],
    returning: ['source', 'external_id'],
  });
  const updated = written.filter(r =>
    storedUpdatedAt.has(pairKey(r.source as string, r.external_id as string)),
  ).length;
  return {
    inserted: written.length - updated,
    updated,
    stale: incidents.length - written.length,
  };
}

const RELINK_COLUMNS = [
  'pk',
  'entity_ref',
  'source',
  'opened_at',
  'deployment_id',
  'cause_sha',
  'cause_deployment_pk',
];

/**
 * Re-links the incidents whose cause may have changed because deployments arrived or changed:
 * per entity, those opened after the earliest of them, those naming one of them or one of
 * their commits, and those linked to one of them. Each of the four is its own indexed lookup
 * (an OR of them would scan every incident of every entity in the batch); only the incidents
 * found are looked at again.
 */
export async function relinkIncidents(
  trx: Knex.Transaction,
  scopes: Map<string, RelinkScope>,
  options: DoraOptions,
): Promise<void> {
  const found = new Map<number, any>();
  const collect = (rows: any[]) =>
    rows.forEach(r => found.set(toNumber(r.pk), r));
  const keys = [...scopes.keys()];
  const minOpened = keys.reduce(
    (min, e) => Math.min(min, scopes.get(e)!.openedAfter),
    Infinity,
  );
  collect(
    await selectWhereIn(
      () =>
        trx('dm_incidents')
          .where('opened_at', '>', minOpened)
          .select(RELINK_COLUMNS),
      'entity_ref',
      keys,
      1000,
    ),
  );
  const all = [...scopes.values()];
  for (const [column, values] of [
    ['deployment_id', all.flatMap(s => [...s.deploymentIds])],
    ['cause_sha', all.flatMap(s => [...s.shas])],
    ['cause_deployment_pk', all.flatMap(s => [...s.deploymentPks])],
  ] as const) {
    collect(
      await selectWhereIn(
        () => trx('dm_incidents').select(RELINK_COLUMNS),
        column,
        [...new Set<string | number>(values)],
        2000,
      ),
    );
  }
  const candidates: any[] = [];
  for (const r of found.values()) {
    const s = scopes.get(r.entity_ref);
    if (!s) continue; // named a deployment or commit of another entity
    const current =
      r.cause_deployment_pk === null ? null : toNumber(r.cause_deployment_pk);
    if (
      toNumber(r.opened_at) > s.openedAfter ||
      (r.deployment_id && s.deploymentIds.has(r.deployment_id)) ||
      (r.cause_sha && s.shas.has(r.cause_sha)) ||
      (current !== null && s.deploymentPks.has(current))
    ) {
      candidates.push({ ...r, opened_at: toNumber(r.opened_at), current });
    }
  }
  const causes = await findCauses(trx, candidates, options);
  for (let n = 0; n < candidates.length; n++) {
    if (causes[n] !== candidates[n].current) {
      await trx('dm_incidents')
        .where('pk', candidates[n].pk)
        .update({ cause_deployment_pk: causes[n] });
    }
  }
}
