import { Knex } from 'knex';
import { DoraOptions } from '@devops-maturity/backstage-plugin-common';
import { EntityMove, MirroredEntity } from './types';
import { selectWhereIn, selectWherePairs } from './util';
import { moveEntityHistory } from './moveEntityHistory';

/** Why the events of an entity that left the catalog are listed as unmatched. */
export const DEPARTED_REASON = 'no longer in the catalog';

type Identity = { annotation: string; value: string };

const pairKey = (i: Identity) => `${i.annotation}=${i.value}`;

/**
 * Remembers the mirrored entities (`mirrored`, the refs the mirror holds now) that the new
 * mirror (`entities`) drops and that have events,
 * with the identity annotations they were known by. Runs in the mirror's transaction before
 * the old mirror is deleted, since only the old mirror still knows their annotations.
 *
 * An annotation value the entity shared with another mirrored entity (a monorepo's slug) is
 * not kept: it never identified this entity, and keeping it would hand the history to the
 * sibling that stays.
 */
export async function recordDepartures(
  trx: Knex.Transaction,
  mirrored: string[],
  entities: MirroredEntity[],
  now: number,
): Promise<void> {
  const staying = new Set(entities.map(e => e.entityRef));
  const leaving = mirrored.filter(ref => !staying.has(ref));
  if (leaving.length === 0) return;
  const withEvents = new Set<string>();
  for (const table of ['dm_deployments', 'dm_incidents']) {
    const rows = await selectWhereIn(
      () => trx(table).distinct('entity_ref'),
      'entity_ref',
      leaving,
    );
    rows.forEach(r => withEvents.add(r.entity_ref));
  }
  if (withEvents.size === 0) return;

  const own = await selectWhereIn<Identity & { entity_ref: string }>(
    () =>
      trx('dm_entity_identities').select('annotation', 'value', 'entity_ref'),
    'entity_ref',
    [...withEvents],
  );
  const carriers = new Map<string, number>();
  const everyCarrier = await selectWherePairs<Identity>(
    () => trx('dm_entity_identities').select('annotation', 'value'),
    ['annotation', 'value'],
    own.map(i => [i.annotation, i.value]),
  );
  everyCarrier.forEach(i =>
    carriers.set(pairKey(i), (carriers.get(pairKey(i)) ?? 0) + 1),
  );
  const rows = [...withEvents].map(entityRef => ({
    entity_ref: entityRef,
    identities: JSON.stringify(
      own
        .filter(
          i => i.entity_ref === entityRef && carriers.get(pairKey(i)) === 1,
        )
        .map(i => ({ annotation: i.annotation, value: i.value })),
    ),
    departed_at: now,
  }));
  for (const row of rows) {
    // Left before, came back, and left again before its return was settled: the latest counts.
    await trx('dm_departed_entities')
      .insert(row)
      .onConflict('entity_ref')
      .merge();
  }
}

/**
 * Settles the entities that left the catalog against the mirror as it is now: one whose ref is
 * mirrored again is forgotten (its events never moved); one whose identity annotations are
 * carried by exactly one mirrored entity has its history moved there. Several carriers are a
 * guess this does not make: the entity stays listed until the catalog tells them apart.
 */
export async function moveDepartedEntities(
  knex: Knex,
  options: DoraOptions,
): Promise<EntityMove[]> {
  const departed = (await knex('dm_departed_entities').select()).map(r => ({
    entityRef: r.entity_ref as string,
    identities: JSON.parse(r.identities) as Identity[],
  }));
  if (departed.length === 0) return [];
  const back = new Set(
    (
      await selectWhereIn(
        () => knex('dm_entities').select('entity_ref'),
        'entity_ref',
        departed.map(d => d.entityRef),
      )
    ).map(r => r.entity_ref as string),
  );
  const carriers = new Map<string, Set<string>>();
  const carried = await selectWherePairs<Identity & { entity_ref: string }>(
    () =>
      knex('dm_entity_identities').select('annotation', 'value', 'entity_ref'),
    ['annotation', 'value'],
    departed.flatMap(d =>
      d.identities.map(i => [i.annotation, i.value] as [string, string]),
    ),
  );
  for (const c of carried) {
    const set = carriers.get(pairKey(c)) ?? new Set<string>();
    carriers.set(pairKey(c), set.add(c.entity_ref));
  }

  const moves: EntityMove[] = [];
  for (const d of departed) {
    let to: string | undefined = back.has(d.entityRef)
      ? d.entityRef
      : undefined;
    if (!to) {
      const successors = new Set(
        d.identities.flatMap(i => [...(carriers.get(pairKey(i)) ?? [])]),
      );
      if (successors.size === 1) [to] = successors;
    }
    if (!to) continue;
    const target = to;
    const moved = await knex.transaction(trx =>
      moveEntityHistory(trx, d.entityRef, target, options),
    );
    if (moved) moves.push({ from: d.entityRef, to: target });
  }
  return moves;
}
