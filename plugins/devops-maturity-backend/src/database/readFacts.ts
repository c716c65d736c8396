import { Knex } from 'knex';
import {
  DoraFacts,
  emptyFacts,
  TimeWindow,
} from '@devops-maturity/backstage-plugin-common';
import { chunks, toBoolean, toNumber } from './util';
import { readByEntity, SQLITE_PAGE_ROWS } from './readByEntity';
import {
  causedIncidentExpression,
  fixedLater,
  latestFixes,
} from './failedDeployments';

/**
 * Reads the DORA facts of each entity for a window, with six indexed queries per chunk (more
 * on SQLite when the deployments or changes of a chunk exceed `pageRows`, see `readByEntity`).
 */
export async function readFacts(
  knex: Knex,
  entityRefs: string[],
  window: TimeWindow,
  pageRows = SQLITE_PAGE_ROWS,
): Promise<Map<string, DoraFacts>> {
  const facts = new Map<string, DoraFacts>();
  for (const ref of entityRefs) facts.set(ref, emptyFacts());
  const get = (ref: string) => facts.get(ref)!;

  for (const refs of chunks([...new Set(entityRefs)])) {
    const fixes = await latestFixes(knex, refs);
    const deployments = await readByEntity<any>(
      knex,
      refs,
      'd.entity_ref',
      () =>
        knex('dm_deployments as d')
          .where('d.counts', true)
          .where('d.finished_at', '>=', window.from)
          .where('d.finished_at', '<', window.to)
          .select(
            'd.pk',
            'd.entity_ref',
            'd.external_id',
            'd.finished_at',
            'd.kind',
            'd.fixes',
            'd.commits_complete',
            causedIncidentExpression(knex),
          ),
      [
        { column: 'd.finished_at', field: 'finished_at' },
        { column: 'd.pk', field: 'pk' },
      ],
      pageRows,
    );
    for (const d of deployments) {
      get(d.entity_ref).deployments.push({
        finishedAt: toNumber(d.finished_at),
        failed: toBoolean(d.caused_incident) || fixedLater(d, fixes),
        rework: d.kind === 'rollback' || d.kind === 'hotfix' || !!d.fixes,
        commitsComplete: toBoolean(d.commits_complete),
      });
    }

    const before = await knex('dm_deployments')
      .whereIn('entity_ref', refs)
      .where('counts', true)
      .where('finished_at', '<', window.from)
      .groupBy('entity_ref')
      .select('entity_ref');
    for (const b of before) get(b.entity_ref).deployedBefore = true;

    const changes = await readByEntity<any>(
      knex,
      refs,
      'entity_ref',
      () =>
        knex('dm_entity_changes')
          .where('first_deployed_at', '>=', window.from)
          .where('first_deployed_at', '<', window.to)
          .select('entity_ref', 'sha', 'first_deployed_at', 'committed_at'),
      [{ column: 'sha', field: 'sha' }],
      pageRows,
    );
    for (const c of changes) {
      const deployedAt = toNumber(c.first_deployed_at);
      get(c.entity_ref).changes.push({
        deployedAt,
        leadSeconds: (deployedAt - toNumber(c.committed_at)) / 1000,
      });
    }

    const incidents = await knex('dm_incidents')
      .whereIn('entity_ref', refs)
      .where('opened_at', '<', window.to)
      .where(q =>
        q.whereNull('resolved_at').orWhere('resolved_at', '>=', window.from),
      )
      .select('entity_ref', 'opened_at', 'resolved_at');
    for (const i of incidents) {
      const f = get(i.entity_ref);
      const openedAt = toNumber(i.opened_at);
      const resolvedAt =
        i.resolved_at === null ? null : toNumber(i.resolved_at);
      if (
        resolvedAt !== null &&
        resolvedAt >= window.from &&
        resolvedAt < window.to
      ) {
        f.restores.push({
          resolvedAt,
          seconds: (resolvedAt - openedAt) / 1000,
        });
      }
      if (resolvedAt === null || resolvedAt >= window.to) {
        f.openIncidents.count++;
        const oldest = f.openIncidents.oldestOpenedAt;
        if (oldest === null || openedAt < oldest)
          f.openIncidents.oldestOpenedAt = openedAt;
      }
    }

    const reported = await knex('dm_incidents')
      .whereIn('entity_ref', refs)
      .distinct('entity_ref');
    for (const r of reported) get(r.entity_ref).incidentsEverReported = true;
  }
  return facts;
}
