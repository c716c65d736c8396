import { Knex } from 'knex';
import { CatalogStore, MirroredEntity, MirroredGroup } from './types';
import { recordDepartures } from './departedEntities';
import { catalogChanges, readMirror } from './catalogChanges';
import { markRowsStale } from './staleRankings';
import { transactionRetryingConflicts } from './transientConflicts';
import { holdCatalogExclusively } from './catalogLock';
import {
  chunks,
  selectWhereIn,
  selectWherePairs,
  undefinedIfNull,
} from './util';

/** The catalog mirror in the plugin's database: entities, their identities, groups. */
export class DatabaseCatalogStore implements CatalogStore {
  constructor(private readonly knex: Knex) {}

  /**
   * Replaces the mirror, and marks stale, in the same transaction, the ranking rows that the
   * change makes stale (see `catalogChanges`): every replica sees them, and a refresh that
   * changed 1% of the catalog recomputes about 1% of the rows.
   */
  async replaceCatalog(entities: MirroredEntity[], groups: MirroredGroup[]) {
    const ancestors = groupAncestors(groups);
    // Again if PostgreSQL aborts it for a deadlock with a batch or a flush on the marks: it
    // replaces everything, so a second run is a clean one.
    await transactionRetryingConflicts(this.knex, async trx => {
      // One replacement at a time: two at once would each compare with the mirror before
      // both, and miss what the first changed.
      await holdCatalogExclusively(trx);
      const before = await readMirror(trx);
      await recordDepartures(
        trx,
        before.entities.map(r => r.entity_ref!),
        entities,
        Date.now(),
      );
      for (const t of [
        'dm_entities',
        'dm_entity_identities',
        'dm_groups',
        'dm_group_ancestors',
      ]) {
        await trx(t).delete();
      }
      const entityRows = entities.map(e => ({
        entity_ref: e.entityRef,
        kind: e.kind,
        namespace: e.namespace,
        name: e.name,
        title: e.title ?? null,
        type: e.type ?? null,
        lifecycle: e.lifecycle ?? null,
        owner_ref: e.ownerRef ?? null,
        system_ref: e.systemRef ?? null,
        catalog_facts: JSON.stringify({
          description: e.description,
          annotations: e.annotations ?? {},
          links: e.links ?? [],
        }),
      }));
      for (const part of chunks(entityRows, 50))
        await trx('dm_entities').insert(part);
      const identityRows = entities.flatMap(e =>
        e.identities.map(i => ({
          annotation: i.annotation,
          value: i.value,
          entity_ref: e.entityRef,
        })),
      );
      for (const part of chunks(identityRows, 100)) {
        await trx('dm_entity_identities')
          .insert(part)
          .onConflict(['annotation', 'value', 'entity_ref'])
          .ignore();
      }
      const groupRows = groups.map(g => ({
        group_ref: g.groupRef,
        title: g.title ?? null,
        parent_ref: g.parentRef ?? null,
      }));
      for (const part of chunks(groupRows, 100))
        await trx('dm_groups').insert(part);
      for (const part of chunks(ancestors, 100))
        await trx('dm_group_ancestors').insert(part);
      await markRowsStale(
        trx,
        catalogChanges(before, { entities: entityRows, groups: groupRows }),
      );
    });
  }

  async existingEntities(entityRefs: string[]) {
    const rows = await selectWhereIn(
      () => this.knex('dm_entities').select('entity_ref'),
      'entity_ref',
      [...new Set(entityRefs)],
    );
    return new Set(rows.map(r => r.entity_ref as string));
  }

  async entitiesByIdentity(
    pairs: Array<{ annotation: string; value: string }>,
  ) {
    const result = new Map<string, string[]>();
    const rows = await selectWherePairs(
      () => this.knex('dm_entity_identities'),
      ['annotation', 'value'],
      pairs.map(p => [p.annotation, p.value]),
    );
    for (const r of rows) {
      const k = `${r.annotation}=${r.value}`;
      result.set(k, [...(result.get(k) ?? []), r.entity_ref]);
    }
    return result;
  }

  async listEntities() {
    const rows = await this.knex('dm_entities').orderBy('entity_ref');
    return rows.map(entityFromRow);
  }

  async getEntity(entityRef: string) {
    const row = await this.knex('dm_entities')
      .where('entity_ref', entityRef)
      .first();
    return row ? entityFromRow(row) : undefined;
  }

  async listGroups() {
    const rows = await this.knex('dm_groups').orderBy('group_ref');
    return rows.map(r => ({
      groupRef: r.group_ref,
      title: undefinedIfNull(r.title),
      parentRef: undefinedIfNull(r.parent_ref),
    }));
  }

  async listGroupAncestry() {
    const rows = await this.knex('dm_group_ancestors').select(
      'group_ref',
      'ancestor_ref',
    );
    return rows.map(r => ({
      groupRef: r.group_ref,
      ancestorRef: r.ancestor_ref,
    }));
  }

  async groupWithDescendants(groupRef: string, includeChildren: boolean) {
    if (!includeChildren) return [groupRef];
    const rows = await this.knex('dm_group_ancestors')
      .where('ancestor_ref', groupRef)
      .select('group_ref');
    return [...new Set([groupRef, ...rows.map(r => r.group_ref)])];
  }
}

/** Every group with each of its ancestors (itself at depth 0). */
function groupAncestors(groups: MirroredGroup[]) {
  const parents = new Map(groups.map(g => [g.groupRef, g.parentRef]));
  const ancestors: Array<{
    group_ref: string;
    ancestor_ref: string;
    depth: number;
  }> = [];
  for (const g of groups) {
    const seen = new Set<string>(); // guards against a cycle in bad catalog data
    for (
      let at: string | undefined = g.groupRef, depth = 0;
      at && !seen.has(at);
      at = parents.get(at), depth++
    ) {
      seen.add(at);
      ancestors.push({ group_ref: g.groupRef, ancestor_ref: at, depth });
    }
  }
  return ancestors;
}

function entityFromRow(r: any) {
  const facts = r.catalog_facts ? JSON.parse(r.catalog_facts) : {};
  return {
    description: facts.description,
    annotations: facts.annotations ?? {},
    links: facts.links ?? [],
    entityRef: r.entity_ref,
    kind: r.kind,
    namespace: r.namespace,
    name: r.name,
    title: undefinedIfNull(r.title),
    type: undefinedIfNull(r.type),
    lifecycle: undefinedIfNull(r.lifecycle),
    ownerRef: undefinedIfNull(r.owner_ref),
    systemRef: undefinedIfNull(r.system_ref),
  };
}
