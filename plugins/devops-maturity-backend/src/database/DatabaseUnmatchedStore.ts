import { Knex } from 'knex';
import { DoraOptions } from '@devops-maturity/backstage-plugin-common';
import { UnmatchedStore } from './types';
import { moveDepartedEntities } from './departedEntities';
import {
  listUnmatched,
  unmatchedFromRow,
  unmatchedNamedRefs,
} from './unmatchedList';
import { toNumber } from './util';

/**
 * Events no catalog entity matched, kept for a replay when the catalog changes, and the events
 * of entities that left the catalog.
 */
export class DatabaseUnmatchedStore implements UnmatchedStore {
  constructor(private readonly knex: Knex) {}

  listUnmatched(options: {
    limit: number;
    offset: number;
    hiddenRefs?: string[];
    departed?: boolean;
  }) {
    return listUnmatched(this.knex, options);
  }

  unmatchedNamedRefs() {
    return unmatchedNamedRefs(this.knex);
  }

  moveDepartedEntities(options: DoraOptions) {
    return moveDepartedEntities(this.knex, options);
  }

  async deleteUnmatchedBefore(cutoff: number) {
    return this.knex('dm_unmatched_events')
      .where('received_at', '<', cutoff)
      .delete();
  }

  async unmatchedAfter(pk: number, limit: number, receivedSince?: number) {
    const query = this.knex('dm_unmatched_events').where('pk', '>', pk);
    if (receivedSince !== undefined)
      query.where('received_at', '>=', receivedSince);
    const rows = await query.orderBy('pk').limit(limit);
    return rows.map(r => ({ ...unmatchedFromRow(r), pk: toNumber(r.pk) }));
  }
}
