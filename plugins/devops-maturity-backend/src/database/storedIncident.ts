import { Knex } from 'knex';
import {
  IncidentEvent,
  StoredIncidentResponse,
} from '@devops-maturity/backstage-plugin-common';
import { incidentFromRow } from './eventRows';
import { StoredIncidentQuery } from './types';

/**
 * An incident (source, id) as stored for an entity, by its unique key: what a pipeline reads
 * before it reports the incident again, because a push replaces the stored copy whole. An
 * entity the mirror lacks answers nothing, as `GET /deployments/base` does: its events wait as
 * unmatched, and a push token learns no more than the push answer tells.
 */
export async function storedIncident(
  knex: Knex,
  query: StoredIncidentQuery,
): Promise<StoredIncidentResponse> {
  const { entityRef, source, id } = query;
  const row = await knex('dm_incidents as i')
    .join('dm_entities as e', 'e.entity_ref', 'i.entity_ref')
    .where({ 'i.source': source, 'i.external_id': id })
    .where('i.entity_ref', entityRef)
    .first('i.*');
  return {
    entityRef,
    stored: row ? (incidentFromRow(row) as IncidentEvent) : null,
  };
}
