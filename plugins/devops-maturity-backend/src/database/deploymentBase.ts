import { Knex } from 'knex';
import {
  DeploymentBaseResponse,
  DeploymentStatus,
} from '@devops-maturity/backstage-plugin-common';
import { DeploymentBaseQuery } from './types';
import { byteOrder, isoOrUndefined, toNumber, undefinedIfNull } from './util';

/** A point in the order of an entity's deployments: finish time, then source, then id. */
interface ReferencePoint {
  finishedAt: number;
  /** Without it, only deployments finished strictly earlier precede the point. */
  tie?: { source: string; id: string };
}

/**
 * A pipeline's previous production deployment of an entity and the stored copy of the
 * deployment it reports, in two indexed lookups whatever the entity's history: the stored copy
 * by the unique key, joined to the mirror (one row tells whether the entity is known); the
 * previous one by `dm_deployments_entity_time_idx`, whose last column orders the deployments
 * that count, ties then sorted among those finished in the same millisecond only.
 *
 * An entity the mirror lacks answers nothing: its events wait as unmatched, and a push token
 * must not learn more of it than the push answer (`unmatched`) tells.
 */
export async function deploymentBase(
  knex: Knex,
  query: DeploymentBaseQuery,
): Promise<DeploymentBaseResponse> {
  const { entityRef, source, id } = query;
  const none = { entityRef, previous: null, stored: null };
  const entity = knex('dm_entities as e').where('e.entity_ref', entityRef);
  const found =
    id === undefined
      ? await entity.first('e.entity_ref')
      : await entity
          .leftJoin('dm_deployments as d', join =>
            join
              .on('d.entity_ref', 'e.entity_ref')
              .andOnVal('d.source', '=', source)
              .andOnVal('d.external_id', '=', id),
          )
          .first(
            'e.entity_ref',
            'd.environment',
            'd.status',
            'd.sha',
            'd.started_at',
            'd.finished_at',
          );
  if (!found) return none;
  const stored =
    found.finished_at === null || found.finished_at === undefined
      ? null
      : {
          environment: found.environment as string,
          status: found.status as DeploymentStatus,
          sha: (found.sha as string | null) ?? null,
          startedAt: isoOrUndefined(found.started_at),
          finishedAt: isoOrUndefined(found.finished_at)!,
        };

  let point: ReferencePoint | undefined;
  if (query.before !== undefined) {
    point = {
      finishedAt: query.before,
      tie: id === undefined ? undefined : { source, id },
    };
  } else if (stored) {
    point = {
      finishedAt: toNumber(found.finished_at),
      tie: { source, id: id! },
    };
  }

  const bytes = byteOrder(knex);
  const candidates = () => {
    const q = knex('dm_deployments')
      .where('entity_ref', entityRef)
      .where('counts', true);
    // Its own stored copy is never its base, wherever its finish time puts it.
    if (id !== undefined)
      q.whereNot(own => own.where('source', source).where('external_id', id));
    if (point?.tie) {
      const { finishedAt, tie } = point;
      q.where('finished_at', '<=', finishedAt).where(earlier =>
        earlier
          .where('finished_at', '<', finishedAt)
          .orWhere(same =>
            same
              .where('finished_at', finishedAt)
              .where(lower =>
                lower
                  .whereRaw(`source${bytes} < ?${bytes}`, [tie.source])
                  .orWhere(sameSource =>
                    sameSource
                      .where('source', tie.source)
                      .whereRaw(`external_id${bytes} < ?${bytes}`, [tie.id]),
                  ),
              ),
          ),
      );
    } else if (point) {
      q.where('finished_at', '<', point.finishedAt);
    }
    return q;
  };
  // The latest finish time first (read backwards along the index), then the last of the
  // deployments finished in that millisecond.
  const latest = candidates()
    .select('finished_at')
    .orderBy('finished_at', 'desc')
    .limit(1);
  const previous = await candidates()
    .where('finished_at', latest)
    .orderByRaw(`source${bytes} DESC, external_id${bytes} DESC`)
    .first(
      'source',
      'external_id',
      'environment',
      'sha',
      'version',
      'started_at',
      'finished_at',
    );
  return {
    entityRef,
    previous: previous
      ? {
          source: previous.source,
          id: previous.external_id,
          environment: previous.environment,
          sha: previous.sha ?? null,
          version: undefinedIfNull(previous.version),
          startedAt: isoOrUndefined(previous.started_at),
          finishedAt: isoOrUndefined(previous.finished_at)!,
        }
      : null,
    stored,
  };
}
