import { Knex } from 'knex';
import {
  decodePackedFacts,
  encodePackedFacts,
  PackedFacts,
} from '@devops-maturity/backstage-plugin-common';
import { chunks, toNumber } from './util';

/**
 * Stores the facts each entity's ranking rows were just computed from, unless facts computed
 * later are stored already (replicas recompute at the same time).
 */
export async function writeEntityFacts(
  knex: Knex,
  facts: Map<string, PackedFacts>,
  computedAt: number,
) {
  const records = [...facts].map(([ref, packed]) => ({
    entity_ref: ref,
    computed_at: computedAt,
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
 * The stored facts of these entities, with the time they were computed at; an entity with
 * none, or with facts stored in another layout, is left out.
 */
export async function readEntityFacts(
  knex: Knex,
  entityRefs: string[],
): Promise<Map<string, { facts: PackedFacts; computedAt: number }>> {
  const found = new Map<string, { facts: PackedFacts; computedAt: number }>();
  for (const part of chunks(entityRefs)) {
    const rows = await knex('dm_entity_facts')
      .select('entity_ref', 'computed_at', 'facts')
      .whereIn('entity_ref', part);
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

/** Removes the stored facts of every entity but these (the others left the catalog). */
export async function deleteEntityFactsExcept(knex: Knex, keep: string[]) {
  const stored = await knex('dm_entity_facts').select('entity_ref');
  const keepSet = new Set(keep);
  const gone = stored
    .map(r => r.entity_ref as string)
    .filter(ref => !keepSet.has(ref));
  for (const part of chunks(gone)) {
    await knex('dm_entity_facts').whereIn('entity_ref', part).delete();
  }
}
