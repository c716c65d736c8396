import { Knex } from 'knex';
import {
  chooseIncidentCause,
  DoraOptions,
  IncidentEvent,
  parseInstant,
} from '@devops-maturity/backstage-plugin-common';
import { chunks, toNumber } from './util';
import { RelinkScope } from './writeDeployments';

interface CauseInput {
  entity_ref: string;
  source: string;
  opened_at: number;
  deployment_id: string | null;
  cause_sha: string | null;
}

/** Finds the deployment an incident makes failed, by the rules' precedence. */
export async function findCause(
  trx: Knex.Transaction | Knex,
  incident: CauseInput,
  options: DoraOptions,
): Promise<number | null> {
  const byDeploymentId = incident.deployment_id
    ? await trx('dm_deployments')
        .where({
          entity_ref: incident.entity_ref,
          external_id: incident.deployment_id,
        })
        .orderByRaw(
          'CASE WHEN source = ? THEN 0 ELSE 1 END, finished_at, source',
          [incident.source],
        )
        .first('pk')
    : undefined;
  const byCauseSha =
    !byDeploymentId && incident.cause_sha
      ? await trx('dm_entity_changes')
          .where({ entity_ref: incident.entity_ref, sha: incident.cause_sha })
          .first('first_deployment_pk as pk')
      : undefined;
  const latestBefore =
    !byDeploymentId && !byCauseSha && options.linkIncidentsToLatestDeployment
      ? await trx('dm_deployments')
          .where({ entity_ref: incident.entity_ref, counts: true })
          .where('finished_at', '<', incident.opened_at)
          .orderBy([
            { column: 'finished_at', order: 'desc' },
            { column: 'source', order: 'desc' },
            { column: 'external_id', order: 'desc' },
          ])
          .first('pk')
      : undefined;
  const cause = chooseIncidentCause(
    {
      byDeploymentId: byDeploymentId?.pk,
      byCauseSha: byCauseSha?.pk,
      latestBefore: latestBefore?.pk,
    },
    options,
  );
  return cause === undefined ? null : toNumber(cause);
}

/** Upserts incidents, each linked to its cause. */
export async function writeIncidents(
  trx: Knex.Transaction,
  incidents: IncidentEvent[],
  options: DoraOptions,
): Promise<{ inserted: number; updated: number }> {
  if (incidents.length === 0) return { inserted: 0, updated: 0 };
  let updated = 0;
  for (const part of chunks(
    incidents.map(i => [i.source, i.id] as [string, string]),
  )) {
    const [{ n }] = await trx('dm_incidents')
      .whereIn(['source', 'external_id'], part)
      .count({ n: '*' });
    updated += toNumber(n);
  }
  const rows = [];
  for (const i of incidents) {
    const row = {
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
    };
    rows.push({
      ...row,
      cause_deployment_pk: await findCause(trx, row, options),
    });
  }
  for (const part of chunks(rows, 100)) {
    await trx('dm_incidents')
      .insert(part)
      .onConflict(['source', 'external_id'])
      .merge();
  }
  return { inserted: incidents.length - updated, updated };
}

/**
 * Re-links the incidents of an entity whose cause may have changed because deployments
 * arrived or changed: those opened after the earliest of them, those naming one of them or
 * one of their commits, and those linked to one of them.
 */
export async function relinkIncidents(
  trx: Knex.Transaction,
  entityRef: string,
  scope: RelinkScope,
  options: DoraOptions,
): Promise<void> {
  const candidates = await trx('dm_incidents')
    .where('entity_ref', entityRef)
    .andWhere(q => {
      q.where('opened_at', '>', scope.openedAfter);
      if (scope.deploymentIds.size)
        q.orWhereIn('deployment_id', [...scope.deploymentIds]);
      if (scope.shas.size) q.orWhereIn('cause_sha', [...scope.shas]);
      if (scope.deploymentPks.size)
        q.orWhereIn('cause_deployment_pk', [...scope.deploymentPks]);
    })
    .select(
      'pk',
      'entity_ref',
      'source',
      'opened_at',
      'deployment_id',
      'cause_sha',
      'cause_deployment_pk',
    );
  for (const c of candidates) {
    const cause = await findCause(
      trx,
      { ...c, opened_at: toNumber(c.opened_at) },
      options,
    );
    const current =
      c.cause_deployment_pk === null ? null : toNumber(c.cause_deployment_pk);
    if (cause !== current) {
      await trx('dm_incidents')
        .where('pk', c.pk)
        .update({ cause_deployment_pk: cause });
    }
  }
}
