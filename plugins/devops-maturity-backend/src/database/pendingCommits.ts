import { Knex } from 'knex';
import { chunks, isSqlite, toNumber } from './util';

/** A commit and its time, as sources hand them over. */
export interface PendingCommit {
  sha: string;
  committedAt: string;
}

/** How many pending commits a repository keeps: the oldest go first. */
export const MAX_PENDING_COMMITS_PER_REPOSITORY = 5000;

/**
 * Remembers commits pushed to a repository, in push order. A sha already pending keeps its
 * place (a force-push resending it does not move it); commits with an unreadable time are
 * skipped, since a change without a commit time has no lead time.
 */
export async function addPendingCommits(
  knex: Knex,
  source: string,
  repository: string,
  commits: PendingCommit[],
  maxPerRepository = MAX_PENDING_COMMITS_PER_REPOSITORY,
) {
  const rows = commits.flatMap(c => {
    const committedAt = Date.parse(c.committedAt);
    return Number.isFinite(committedAt)
      ? [{ source, repository, sha: c.sha, committed_at: committedAt }]
      : [];
  });
  if (rows.length === 0) return;
  await knex.transaction(async trx => {
    for (const part of chunks(rows, 100)) {
      await trx('dm_pending_commits')
        .insert(part)
        .onConflict(['source', 'repository', 'sha'])
        .ignore();
    }
    const oldestKept = await trx('dm_pending_commits')
      .where({ source, repository })
      .orderBy('pk', 'desc')
      .offset(maxPerRepository - 1)
      .first('pk');
    if (oldestKept) {
      await trx('dm_pending_commits')
        .where({ source, repository })
        .where('pk', '<', oldestKept.pk)
        .delete();
    }
  });
}

/**
 * Takes the pending commits of a repository up to and including `sha`, in push order, and
 * forgets them; none if `sha` is not pending (a deployment of an unknown sha has no commit
 * time to measure).
 */
export async function takePendingCommitsUpTo(
  knex: Knex,
  source: string,
  repository: string,
  sha: string,
): Promise<PendingCommit[]> {
  return knex.transaction(async trx => {
    let last = trx('dm_pending_commits')
      .where({ source, repository, sha })
      .first('pk');
    // Two replicas taking the same deployment: the second waits, then finds nothing.
    if (!isSqlite(knex)) last = last.forUpdate();
    const found = await last;
    if (!found) return [];
    const rows = await trx('dm_pending_commits')
      .where({ source, repository })
      .where('pk', '<=', found.pk)
      .orderBy('pk')
      .select('pk', 'sha', 'committed_at');
    await trx('dm_pending_commits')
      .where({ source, repository })
      .where('pk', '<=', found.pk)
      .delete();
    return rows.map(r => ({
      sha: r.sha,
      committedAt: new Date(toNumber(r.committed_at)).toISOString(),
    }));
  });
}
