import { Knex } from 'knex';

/** A mirrored entity's row as stored: every column a ranking row or a check reads. */
export type EntityRow = Record<string, string | null>;
/** The mirror's rows: entities, groups, and each group's ancestors (itself included). */
export interface Mirror {
  entities: EntityRow[];
  groups: GroupRow[];
  ancestors: Array<{ group_ref: string; ancestor_ref: string }>;
}

/** A mirrored group's row as stored. */
export interface GroupRow {
  group_ref: string;
  title: string | null;
  parent_ref: string | null;
}

/**
 * The ranking rows a catalog refresh makes stale, from the mirror before and after it:
 * - `entities`: each entity added, removed, or with any column changed (owner, system, title,
 *   what the checks read): its own rows;
 * - `teamsOf`: those of them added, removed or moved to another owner: the rows of the groups
 *   that own them now (a group's row holds its entities' events and refs, nothing else of
 *   them, so a new title or annotation leaves it as it is);
 * - `groups`: the group that owned an entity before it moved or left; each group added,
 *   removed, retitled or moved in the hierarchy, and the groups it was under before (with
 *   child groups counted, they lose its entities).
 * The groups above a marked group now are added when the rows are recomputed (the hierarchy
 * there is the current one).
 */
export function catalogChanges(
  before: Mirror,
  after: Omit<Mirror, 'ancestors'>,
): { entities: string[]; teamsOf: string[]; groups: string[] } {
  const entities = new Set<string>();
  const teamsOf = new Set<string>();
  const groups = new Set<string>();
  const old = new Map(before.entities.map(r => [r.entity_ref!, r]));
  for (const row of after.entities) {
    const ref = row.entity_ref!;
    const was = old.get(ref);
    old.delete(ref);
    if (was && sameRow(was, row)) continue;
    entities.add(ref);
    if (!was || was.owner_ref !== row.owner_ref) teamsOf.add(ref);
    if (was?.owner_ref && was.owner_ref !== row.owner_ref)
      groups.add(was.owner_ref);
  }
  for (const [ref, was] of old) {
    entities.add(ref);
    teamsOf.add(ref);
    if (was.owner_ref) groups.add(was.owner_ref);
  }

  const oldGroups = new Map(before.groups.map(g => [g.group_ref, g]));
  const changedGroups = new Set<string>();
  for (const g of after.groups) {
    const was = oldGroups.get(g.group_ref);
    oldGroups.delete(g.group_ref);
    if (!was || was.title !== g.title || was.parent_ref !== g.parent_ref)
      changedGroups.add(g.group_ref);
  }
  for (const ref of oldGroups.keys()) changedGroups.add(ref);
  for (const ref of changedGroups) groups.add(ref);
  for (const a of before.ancestors)
    if (changedGroups.has(a.group_ref)) groups.add(a.ancestor_ref);
  return {
    entities: [...entities],
    teamsOf: [...teamsOf],
    groups: [...groups],
  };
}

/** Whether the stored row `was` has the values of every column the new `row` writes. */
function sameRow(was: EntityRow, row: EntityRow) {
  return Object.keys(row).every(k => (was[k] ?? null) === (row[k] ?? null));
}

/** The mirror as `catalogChanges` compares it, read in the replacing transaction. */
export async function readMirror(trx: Knex.Transaction): Promise<Mirror> {
  const entities = await trx('dm_entities').select();
  const groups = await trx('dm_groups').select(
    'group_ref',
    'title',
    'parent_ref',
  );
  const ancestors = await trx('dm_group_ancestors').select(
    'group_ref',
    'ancestor_ref',
  );
  return { entities, groups, ancestors };
}
