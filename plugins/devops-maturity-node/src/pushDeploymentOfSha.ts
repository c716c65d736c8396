import type { DoraEventSink, SourceEventIdentity } from './extensions';

/**
 * A deployment item as a source maps it, before its commits are known.
 * @public
 */
export type DeploymentOfSha = Record<string, unknown> &
  SourceEventIdentity & {
    id: string;
    status: 'success' | 'failure';
    environment: string;
    finishedAt: string;
  };

/**
 * Stores a deployment whose event names only the deployed sha (GitHub, GitLab). A successful
 * one reports the commits its sha brings to production, from the commit history learnt from
 * the repository's pushes; where that history cannot account for all of them, the deployment
 * says so (`commitsComplete: false`). A failed one brings nothing.
 * @public
 */
export async function pushDeploymentOfSha(
  sink: DoraEventSink,
  deployed: { repository: string; sha: string },
  item: DeploymentOfSha,
): Promise<void> {
  if (item.status !== 'success') {
    await sink.pushDeployments([item]);
    return;
  }
  const changes = await sink.commits.changeSet(deployed.repository, {
    deploymentId: item.id,
    sha: deployed.sha,
    environment: item.environment,
    finishedAt: item.finishedAt,
  });
  await sink.pushDeployments([
    { ...item, commits: changes.commits, commitsComplete: changes.complete },
  ]);
}
