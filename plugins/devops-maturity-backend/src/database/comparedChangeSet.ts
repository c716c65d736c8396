import { Knex } from 'knex';
import {
  compareUtf8,
  readInstant,
} from '@devops-maturity/backstage-plugin-common';
import type { ChangeSet, Commit } from '@devops-maturity/backstage-plugin-node';
import type { DeployedHead } from './deployedHeads';
import { byteOrder, chunks } from './util';

/**
 * The change set the provider's compare API told for a deployment, recorded in the commit
 * history so that later answers agree with it: the commits are learnt with their times (a
 * commit already known keeps its time, as with pushes), and they and the deployed sha are
 * marked as brought by this deployment unless an earlier production deployment brought them.
 * A later deployment whose change set comes from the history walk then stops at them, as it
 * would at commits a walk had found. The compare tells no parent links, so none are learnt.
 *
 * Complete unless the provider gave a commit without a readable time.
 */
export async function recordComparedChangeSet(
  trx: Knex.Transaction,
  head: DeployedHead,
  told: Commit[],
): Promise<ChangeSet> {
  const { source, repository, deploymentId, sha, finishedAt } = head;
  const timed = new Map<string, number>();
  for (const c of told) {
    const committedAt = readInstant(c.committedAt);
    if (committedAt !== undefined) timed.set(c.sha, committedAt);
  }
  const commits = [...timed].map(([s, committedAt]) => ({
    sha: s,
    committedAt,
  }));
  const rows = [
    ...commits.map(c => ({ sha: c.sha, committed_at: c.committedAt })),
    ...(commits.some(c => c.sha === sha) ? [] : [{ sha, committed_at: null }]),
  ];
  for (const part of chunks(rows, 100)) {
    await trx('dm_commits')
      .insert(part.map(r => ({ source, repository, ...r })))
      .onConflict(['source', 'repository', 'sha'])
      .merge(['committed_at'])
      .whereNull('dm_commits.committed_at');
  }
  const bytes = byteOrder(trx);
  for (const part of chunks(rows.map(r => r.sha))) {
    await trx('dm_commits')
      .where({ source, repository })
      .whereIn('sha', part)
      // not brought by an earlier production deployment (see `deployedEarlier` in commitHistory)
      .where(notEarlier =>
        notEarlier
          .whereNull('first_deployment_id')
          .orWhere('first_deployment_id', deploymentId)
          .orWhere('first_deployed_at', '>', finishedAt)
          .orWhere(tie =>
            tie
              .where('first_deployed_at', finishedAt)
              .whereRaw(`first_deployment_id${bytes} > ?${bytes}`, [
                deploymentId,
              ]),
          ),
      )
      .update({
        first_deployment_id: deploymentId,
        first_deployed_at: finishedAt,
      });
  }
  return {
    commits: commits
      .map(c => ({
        sha: c.sha,
        committedAt: new Date(c.committedAt).toISOString(),
      }))
      // Oldest first, as the history answers (ISO times of one format compare as strings).
      .sort(
        (a, b) =>
          compareUtf8(a.committedAt, b.committedAt) ||
          compareUtf8(a.sha, b.sha),
      ),
    complete: told.every(c => timed.has(c.sha)),
  };
}
