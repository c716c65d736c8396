import { randomUUID } from 'crypto';
import { Knex } from 'knex';
import { chunks } from './util';

/** The subject that stands for every team row: any event can change a team's figures. */
export const ALL_OWNERS = '*owners*';

/** A stale mark as read: the subject and the token of its latest mark. */
export interface StaleMark {
  subjectRef: string;
  token: string;
}

/** Marks the subjects' ranking rows stale (a new token each time), and every team's. */
export async function markStale(
  knex: Knex | Knex.Transaction,
  subjectRefs: Iterable<string>,
): Promise<void> {
  const refs = [...new Set([...subjectRefs, ALL_OWNERS])];
  for (const part of chunks(refs, 200)) {
    await knex('dm_stale_rankings')
      .insert(part.map(subject_ref => ({ subject_ref, token: randomUUID() })))
      .onConflict('subject_ref')
      .merge(['token']);
  }
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
