import { Knex } from 'knex';
import { byteOrder } from './util';

/** A successful production deployment of a repository's sha, as the commit history sees it. */
export interface DeployedHead {
  source: string;
  repository: string;
  deploymentId: string;
  sha: string;
  /** Epoch ms. */
  finishedAt: number;
}

/**
 * Remembers the sha a production deployment deployed and answers the sha of the production
 * deployment before it (by finish time, then deployment id in byte order, as the commit
 * history orders deployments), or undefined for the repository's first one. The deployment's
 * own row never answers, so a redelivery gets the same base as the first delivery; a
 * deployment that arrives late gets the one that precedes it, not the newest.
 */
export async function recordDeployedHead(
  trx: Knex.Transaction,
  head: DeployedHead,
): Promise<string | undefined> {
  const { source, repository, deploymentId, sha, finishedAt } = head;
  await trx('dm_deployed_heads')
    .insert({
      source,
      repository,
      deployment_id: deploymentId,
      sha,
      finished_at: finishedAt,
    })
    .onConflict(['source', 'repository', 'deployment_id'])
    .merge(['sha', 'finished_at']);
  const bytes = byteOrder(trx);
  const previous: { sha: string } | undefined = await trx('dm_deployed_heads')
    .where({ source, repository })
    .whereNot('deployment_id', deploymentId)
    .where(earlier =>
      earlier
        .where('finished_at', '<', finishedAt)
        .orWhere(tie =>
          tie
            .where('finished_at', finishedAt)
            .whereRaw(`deployment_id${bytes} < ?${bytes}`, [deploymentId]),
        ),
    )
    .orderBy('finished_at', 'desc')
    .orderByRaw(`deployment_id${bytes} desc`)
    .first('sha');
  return previous?.sha;
}
