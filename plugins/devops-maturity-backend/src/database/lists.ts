import { Knex } from 'knex';
import {
  DeploymentKind,
  DeploymentStatus,
} from '@devops-maturity/backstage-plugin-common';
import {
  DeploymentListItem,
  IncidentListItem,
  ListOptions,
  Page,
} from './types';
import { fixedLater, latestFixes } from './failedDeployments';
import { deploymentFromRow, incidentFromRow } from './eventRows';
import {
  byteOrder,
  isoOrUndefined,
  toBoolean,
  toNumber,
  toNumberOrNull,
} from './util';

function windowed(q: Knex.QueryBuilder, column: string, options: ListOptions) {
  if (options.window) {
    q.where(column, '>=', options.window.from).where(
      column,
      '<',
      options.window.to,
    );
  }
  return q;
}

/** An entity's deployments, newest first, with commits, failure marks and caused incidents. */
export async function listDeployments(
  knex: Knex,
  entityRef: string,
  options: ListOptions,
): Promise<Page<DeploymentListItem>> {
  const base = () =>
    windowed(
      knex('dm_deployments as d').where('d.entity_ref', entityRef),
      'd.finished_at',
      options,
    );
  const [{ n }] = await base().count({ n: '*' });
  // Newest first in the canonical order, so that of deployments finished in the same
  // millisecond the one listed first is the one "latest before" picks.
  const bytes = byteOrder(knex);
  const newestFirst = `d.finished_at DESC, d.source${bytes} DESC, d.external_id${bytes} DESC`;
  // The page's keys first, then its rows: ordering whole rows (commits included) carried
  // every deployment of the entity through the sort; a busy service's page took 151 ms on
  // SQLite, 48 ms with only the keys sorted.
  const page = base()
    .select('d.pk')
    .orderByRaw(newestFirst)
    .limit(options.limit)
    .offset(options.offset);
  const rows = await knex('dm_deployments as d')
    .whereIn('d.pk', page)
    .select('d.*')
    .orderByRaw(newestFirst);
  const fixes = await latestFixes(
    knex,
    [entityRef],
    rows.map((r: any) => r.external_id),
  );
  const pks = rows.map((r: any) => r.pk);
  const incidents = pks.length
    ? await knex('dm_incidents')
        .whereIn('cause_deployment_pk', pks)
        .select('cause_deployment_pk', 'source', 'external_id')
    : [];
  const items = rows.map((r: any) => {
    const causedIncidents = incidents
      .filter(i => toNumber(i.cause_deployment_pk) === toNumber(r.pk))
      .map(i => ({ source: i.source, id: i.external_id }));
    return {
      ...deploymentFromRow(r),
      status: r.status as DeploymentStatus,
      finishedAt: isoOrUndefined(r.finished_at)!,
      kind: r.kind as DeploymentKind,
      counts: toBoolean(r.counts),
      // the incidents of the page are read anyway: no subquery per row for them
      failed:
        causedIncidents.length > 0 ||
        fixedLater(entityRef, r.external_id, r.finished_at, fixes),
      causedIncidents,
    };
  });
  return { items, totalCount: toNumber(n) };
}

/** An entity's incidents: open ones first, then newest first. */
export async function listIncidents(
  knex: Knex,
  entityRef: string,
  options: ListOptions,
): Promise<Page<IncidentListItem>> {
  const base = () =>
    windowed(
      knex('dm_incidents as i').where('i.entity_ref', entityRef),
      'i.opened_at',
      options,
    );
  const [{ n }] = await base().count({ n: '*' });
  const rows = await base()
    .leftJoin('dm_deployments as d', 'd.pk', 'i.cause_deployment_pk')
    .select('i.*', 'd.source as cause_source', 'd.external_id as cause_id')
    .orderByRaw('CASE WHEN i.resolved_at IS NULL THEN 0 ELSE 1 END')
    .orderBy([
      { column: 'i.opened_at', order: 'desc' },
      { column: 'i.pk', order: 'desc' },
    ])
    .limit(options.limit)
    .offset(options.offset);
  const items = rows.map((r: any) => {
    const resolvedAt = toNumberOrNull(r.resolved_at);
    return {
      ...incidentFromRow(r),
      openedAt: isoOrUndefined(r.opened_at)!,
      causeDeployment: r.cause_id
        ? { source: r.cause_source, id: r.cause_id }
        : null,
      restoreSeconds:
        resolvedAt === null
          ? null
          : (resolvedAt - toNumber(r.opened_at)) / 1000,
    };
  });
  return { items, totalCount: toNumber(n) };
}
