import { Knex } from 'knex';
import { readInstant } from '@devops-maturity/backstage-plugin-common';
import { upsertRows } from './fastWrites';
import { notOlderThanStored } from './ordering';
import { UnmatchedEvent } from './types';

/** The source time of a kept push API item, if it has a readable one. */
function updatedAtOf(payload: unknown): number | null {
  const value = (payload as { updatedAt?: unknown } | null)?.updatedAt;
  return typeof value === 'string' ? readInstant(value) ?? null : null;
}

/**
 * Keeps events no catalog entity matched yet, one row per event: a later copy replaces the
 * kept one unless its source time is older (it would be replayed in place of the newer state),
 * and `received_at` stays the first arrival. Answers how many were kept and how many were stale.
 */
export async function writeUnmatched(
  trx: Knex.Transaction,
  unmatched: UnmatchedEvent[],
): Promise<{ kept: number; stale: number }> {
  const written = await upsertRows(
    trx,
    'dm_unmatched_events',
    unmatched.map(u => ({
      event_type: u.eventType,
      source: u.source,
      external_id: u.id,
      identity: JSON.stringify(u.identity),
      reason: u.reason,
      payload: JSON.stringify(u.payload),
      received_at: u.receivedAt,
      source_updated_at: updatedAtOf(u.payload),
      named_ref: u.namedRef ?? null,
    })),
    {
      conflict: ['event_type', 'source', 'external_id'],
      merge: [
        'identity',
        'reason',
        'payload',
        'source_updated_at',
        'named_ref',
      ],
      mergeWhere: notOlderThanStored('dm_unmatched_events'),
      returning: ['pk'],
    },
  );
  return { kept: written.length, stale: unmatched.length - written.length };
}
