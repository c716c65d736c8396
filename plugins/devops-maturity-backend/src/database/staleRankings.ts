import { randomUUID } from 'crypto';
import { Knex } from 'knex';
import { chunks, isSqlite } from './util';
import { pgUpsertRows } from './pgRows';

/**
 * Beside each entity's own mark, a mark that the team rows are stale because of it: any
 * event can change a team's figures. One per entity rather than one for all teams, so that
 * concurrent batches for different entities never wait on the same row.
 */
const TEAMS_OF = 'teams-of:';
/**
 * A group's own rows are stale, e.g. it lost an entity to another owner. With a hyphen, as
 * `teams-of:`, so that no entity ref (`kind:namespace/name`, kinds have none) reads as one.
 */
const GROUP = 'group-rows:';

/** Whether a mark is one that makes team rows stale. */
export const isTeamMark = (mark: StaleMark) =>
  mark.subjectRef.startsWith(TEAMS_OF) || mark.subjectRef.startsWith(GROUP);

/** The entities whose teams' rows are stale, and the groups marked themselves. */
export function teamsOfMarks(marks: StaleMark[]) {
  const entities = new Set<string>();
  const groups = new Set<string>();
  for (const { subjectRef: ref } of marks) {
    if (ref.startsWith(TEAMS_OF)) entities.add(ref.slice(TEAMS_OF.length));
    else if (ref.startsWith(GROUP)) groups.add(ref.slice(GROUP.length));
  }
  return { entities, groups };
}

/** A stale mark as read: the subject and the token of its latest mark. */
export interface StaleMark {
  subjectRef: string;
  token: string;
}

/** Marks the subjects' ranking rows stale (a new token each time), and the teams'. */
export async function markStale(
  knex: Knex | Knex.Transaction,
  subjectRefs: Iterable<string>,
): Promise<void> {
  const refs = [...subjectRefs];
  await markRowsStale(knex, { entities: refs, teamsOf: refs, groups: [] });
}

/**
 * Marks stale the rows of `entities`, of the teams that own `teamsOf`, and of `groups` (not
 * the groups above them): in one statement, in the same order as every other marking.
 */
export async function markRowsStale(
  knex: Knex | Knex.Transaction,
  marks: { entities: string[]; teamsOf: string[]; groups: string[] },
): Promise<void> {
  await writeMarks(knex, [
    ...new Set([
      ...marks.entities,
      ...marks.teamsOf.map(ref => `${TEAMS_OF}${ref}`),
      ...marks.groups.map(ref => `${GROUP}${ref}`),
    ]),
  ]);
}

async function writeMarks(knex: Knex | Knex.Transaction, marks: string[]) {
  if (marks.length === 0) return;
  // In one order for every batch: two concurrent batches that mark the same entities then
  // lock their rows in the same order, and cannot deadlock on them (they did, on PostgreSQL,
  // with 8 clients pushing for the same 26 services).
  const refs = [...marks].sort();
  if (!isSqlite(knex)) {
    // One statement whatever the batch's size; it writes the rows in the order given.
    await pgUpsertRows(
      knex,
      'dm_stale_rankings',
      refs.map(subject_ref => ({ subject_ref, token: randomUUID() })),
      { conflict: ['subject_ref'], merge: ['token'] },
    );
    return;
  }
  for (const part of chunks(refs, 200)) {
    await knex('dm_stale_rankings')
      .insert(part.map(subject_ref => ({ subject_ref, token: randomUUID() })))
      .onConflict('subject_ref')
      .merge(['token']);
  }
}

/** How many entities' rows are stale, and how many marks make team rows stale. */
export async function countStale(
  knex: Knex,
): Promise<{ entities: number; teams: number }> {
  const [row] = await knex('dm_stale_rankings').select(
    knex.raw('count(*) as ??', ['all']),
    knex.raw(
      'coalesce(sum(case when subject_ref like ? or subject_ref like ? then 1 else 0 end), 0) as ??',
      [`${TEAMS_OF}%`, `${GROUP}%`, 'teams'],
    ),
  );
  const teams = Number(row.teams);
  return { entities: Number(row.all) - teams, teams };
}

export async function readStale(knex: Knex): Promise<StaleMark[]> {
  const rows = await knex('dm_stale_rankings').select('subject_ref', 'token');
  return rows.map(r => ({ subjectRef: r.subject_ref, token: r.token }));
}

/** Clears the marks read before a recomputation; a mark renewed meanwhile stays. */
export async function clearStale(knex: Knex, marks: StaleMark[]) {
  for (const part of chunks(marks, 200)) {
    await knex('dm_stale_rankings')
      .where(q => {
        for (const m of part)
          q.orWhere({ subject_ref: m.subjectRef, token: m.token });
      })
      .delete();
  }
}
