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
  isSqlite,
  selectWhereIn,
  selectWherePairs,
  toNumber,
  toNumberOrNull,
} from './util';
import { upsertRows } from './fastWrites';
import { notOlderThanStored } from './ordering';
import { storedChanges } from './entityChanges';
import { latestDeploymentsBefore } from './latestDeploymentBefore';

interface CauseInput {
  entity_ref: string;
  source: string;
  opened_at: number;
  deployment_id: string | null;
  cause_sha: string | null;
}

const pairKey = (a: string, b: string) => `${a}\u0000${b}`;

/**
 * Finds the deployment each incident makes failed, by the rules' precedence, for the whole
 * list in at most three queries: the named deployments, the shas' first deployments, and the
 * latest deployment before each incident the explicit rules did not settle.
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
  // Of the deployments with the named id: the incident's own source first, then the earliest.
  const named = incidents.map(incident =>
    incident.deployment_id
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
      : undefined,
  );
  const shas = incidents.map(incident =>
    incident.cause_sha
      ? bySha.get(pairKey(incident.entity_ref, incident.cause_sha))
      : undefined,
  );
  const asked = (n: number) => ({
    entityRef: incidents[n].entity_ref,
    before: incidents[n].opened_at,
  });
  const unsettled = incidents
    .map((_, n) => n)
    .filter(n => !named[n] && shas[n] === undefined);
  const latestBefore = await latestDeploymentsBefore(
    trx,
    options.linkIncidentsToLatestDeployment ? unsettled.map(asked) : [],
  );

  const causes: Array<number | null> = [];
  incidents.forEach((_, n) => {
    const cause = chooseIncidentCause(
      {
        byDeploymentId: named[n]?.pk,
        byCauseSha: shas[n],
        latestBefore:
          !named[n] && shas[n] === undefined
            ? latestBefore(asked(n))
            : undefined,
      },
      options,
    );
    causes.push(cause === undefined ? null : cause);
  });
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
): Promise<{
  inserted: number;
  updated: number;
  stale: number;
  /** Entities a stored incident of this batch belonged to and now may not: their facts changed. */
  left: string[];
}> {
  if (incidents.length === 0)
    return { inserted: 0, updated: 0, stale: 0, left: [] };
  const stored = await selectWherePairs(
    () => {
      const q = trx('dm_incidents').select(
        'source',
        'external_id',
        'source_updated_at',
        'entity_ref',
      );
      // Locked until the batch commits on PostgreSQL, as deployments are: the entity an
      // incident leaves is the one the row held when this batch replaced it.
      return isSqlite(trx) ? q : q.forUpdate();
    },
    ['source', 'external_id'],
    incidents.map(i => [i.source, i.id]),
  );
  const storedUpdatedAt = new Map(
    stored.map(r => [
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
  // An incident re-sent under another entity (its service mapped elsewhere since) leaves the
  // one it was stored under: that entity's figures change too, and its stored facts with them.
  const writtenTo = new Map(
    withCauses.map(r => [pairKey(r.source, r.external_id), r.entity_ref]),
  );
  const left = stored
    .filter(r => {
      const to = writtenTo.get(pairKey(r.source, r.external_id));
      return to !== undefined && to !== r.entity_ref;
    })
    .map(r => r.entity_ref as string);
  return {
    inserted: written.length - updated,
    updated,
    stale: incidents.length - written.length,
    left: [...new Set(left)],
  };
}
