import { Knex } from 'knex';
import { readInstant } from '@devops-maturity/backstage-plugin-common';
import { upsertRows } from './fastWrites';
import { notOlderThanStored } from './ordering';
import { EventBatch, UnmatchedEvent } from './types';
import { chunks, isSqlite } from './util';

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

/**
 * A matched event supersedes an earlier unmatched copy of it: deletes the kept copies of the
 * batch's matched events. On PostgreSQL one statement, the keys bound as three arrays; on
 * SQLite one per event type and source.
 */
export async function deleteUnmatchedCopies(
  trx: Knex.Transaction,
  batch: EventBatch,
) {
  // Most installations keep none: then no event needs looking up.
  if (
    batch.unmatched.length === 0 &&
    (await trx('dm_unmatched_events').first('pk')) === undefined
  ) {
    return;
  }
  const keys = [
    ...batch.deployments.map(e => ['deployment', e.source, e.id]),
    ...batch.incidents.map(e => ['incident', e.source, e.id]),
  ];
  if (keys.length === 0) return;
  if (!isSqlite(trx)) {
    await trx.raw(
      `DELETE FROM dm_unmatched_events
       WHERE (event_type, source, external_id) IN
         (SELECT * FROM unnest(?::text[], ?::text[], ?::text[]))`,
      [0, 1, 2].map(n => keys.map(k => k[n])),
    );
    return;
  }
  const matched = new Map<string, string[]>();
  for (const [type, source, id] of keys) {
    const key = `${type}\u0000${source}`;
    if (!matched.has(key)) matched.set(key, []);
    matched.get(key)!.push(id);
  }
  for (const [key, ids] of matched) {
    const [type, source] = key.split('\u0000');
    for (const part of chunks(ids)) {
      await trx('dm_unmatched_events')
        .where({ event_type: type, source })
        .whereIn('external_id', part)
        .delete();
    }
  }
}
