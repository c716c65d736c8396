import { Knex } from 'knex';
import {
  decodePackedFacts,
  encodePackedFacts,
  PackedFacts,
} from '@devops-maturity/backstage-plugin-common';
import { chunks, deleteRefsExcept, toNumber } from './util';

/**
 * Stores the facts each entity's ranking rows were just computed from, unless facts computed
 * later are stored already (replicas recompute at the same time).
 */
export async function writeEntityFacts(
  knex: Knex,
  facts: Map<string, PackedFacts>,
  computedAt: number,
) {
  const ahead = await firstEventsAfter(knex, [...facts.keys()], computedAt);
  const records = [...facts].map(([ref, packed]) => ({
    entity_ref: ref,
    computed_at: computedAt,
    valid_until: ahead.get(ref) ?? null,
    facts: Buffer.from(encodePackedFacts(packed)),
  }));
  // A busy service's year is a few hundred kilobytes: a few dozen a statement.
  for (const part of chunks(records, 50)) {
    await knex('dm_entity_facts')
      .insert(part)
      .onConflict('entity_ref')
      .merge()
      .whereRaw('dm_entity_facts.computed_at <= excluded.computed_at');
  }
}

/**
 * Per entity, the earliest time at or after `time` of a stored event that facts read up to
 * `time` leave out: a counted deployment (its changes go with it), an incident opened or
 * resolved. Events are accepted up to a day ahead of the clock (`events.futureTolerance`), so
 * facts computed now can lack one that will be inside the windows of an hour later. Read after
 * the facts: an event stored in between is here too (and marked its entity).
 */
async function firstEventsAfter(
  knex: Knex,
  entityRefs: string[],
  time: number,
): Promise<Map<string, number>> {
  const first = new Map<string, number>();
  const keep = (ref: string, t: unknown) => {
    if (t === null || t === undefined) return;
    const at = toNumber(t);
    const known = first.get(ref);
    if (at >= time && (known === undefined || at < known)) first.set(ref, at);
  };

  for (const part of chunks(entityRefs)) {
    const deployments = await knex('dm_deployments')
      .whereIn('entity_ref', part)
      .where('counts', true)
      .where('finished_at', '>=', time)
      .groupBy('entity_ref')
      .select('entity_ref', knex.raw('min(finished_at) as t'));
    for (const d of deployments) keep(d.entity_ref, d.t);
    const incidents = await knex('dm_incidents')
      .whereIn('entity_ref', part)
      .where(q =>
        q.where('opened_at', '>=', time).orWhere('resolved_at', '>=', time),
      )
      .select('entity_ref', 'opened_at', 'resolved_at');
    for (const i of incidents) {
      keep(i.entity_ref, i.opened_at);
      keep(i.entity_ref, i.resolved_at);
    }
  }
  return first;
}

/**
 * The stored facts of these entities that hold every event up to `now`, with the time they
 * were computed at. Left out: an entity with none; facts stored in another layout; facts
 * computed after `now` (by a replica whose clock runs ahead) or lacking an event stamped
 * ahead that `now` has reached (see `firstEventsAfter`).
 */
export async function readEntityFacts(
  knex: Knex,
  entityRefs: string[],
  now: number,
): Promise<Map<string, { facts: PackedFacts; computedAt: number }>> {
  const found = new Map<string, { facts: PackedFacts; computedAt: number }>();
  for (const part of chunks(entityRefs)) {
    const rows = await knex('dm_entity_facts')
      .select('entity_ref', 'computed_at', 'facts')
      .whereIn('entity_ref', part)
      .where('computed_at', '<=', now)
      .where(q => q.whereNull('valid_until').orWhere('valid_until', '>', now));
    for (const row of rows) {
      const facts = decodePackedFacts(row.facts);
      if (facts) {
        found.set(row.entity_ref, {
          facts,
          computedAt: toNumber(row.computed_at),
        });
      }
    }
  }
  return found;
}

/**
 * The entities whose stored facts were computed longest ago, at most `count`: those a full
 * recomputation reads from their events again although their stored facts hold (see
 * `ScorecardService`).
 */
export async function entityFactsComputedFirst(
  knex: Knex,
  count: number,
): Promise<string[]> {
  if (count <= 0) return [];
  const rows = await knex('dm_entity_facts')
    .select('entity_ref')
    .orderBy([
      { column: 'computed_at', order: 'asc' },
      { column: 'entity_ref', order: 'asc' },
    ])
    .limit(count);
  return rows.map(r => r.entity_ref);
}

/** Removes the stored facts of every entity but these (the others left the catalog). */
export async function deleteEntityFactsExcept(knex: Knex, keep: string[]) {
  await deleteRefsExcept(knex, 'dm_entity_facts', 'entity_ref', keep);
}
