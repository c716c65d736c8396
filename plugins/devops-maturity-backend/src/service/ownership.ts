import { MirroredGroup } from '../database/types';
import { DoraStores } from '../database/openStores';

/**
 * Every group with the entities it owns: directly, and with `includeChildren` also through
 * its descendant groups. One read of the hierarchy for all groups, sorted entity refs.
 */
export async function ownedEntitiesByGroup(
  stores: Pick<DoraStores, 'catalog'>,
  includeChildren: boolean,
): Promise<Array<{ group: MirroredGroup; entityRefs: string[] }>> {
  const [groups, entities, ancestry] = await Promise.all([
    stores.catalog.listGroups(),
    stores.catalog.listEntities(),
    includeChildren ? stores.catalog.listGroupAncestry() : Promise.resolve([]),
  ]);
  const below = new Map(groups.map(g => [g.groupRef, new Set([g.groupRef])]));
  for (const { groupRef, ancestorRef } of ancestry)
    below.get(ancestorRef)?.add(groupRef);
  const byOwner = new Map<string, string[]>();
  for (const e of entities) {
    if (!e.ownerRef) continue;
    const owned = byOwner.get(e.ownerRef);
    // Pushed, not copied: a group that owns thousands of entities directly copied its list
    // once per entity.
    if (owned) owned.push(e.entityRef);
    else byOwner.set(e.ownerRef, [e.entityRef]);
  }
  return groups.map(group => ({
    group,
    entityRefs: [...below.get(group.groupRef)!]
      .flatMap(owner => byOwner.get(owner) ?? [])
      .sort(),
  }));
}
