import { DoraEventSink } from '@devops-maturity/backstage-plugin-node';
import { deploymentFromStatus, DeploymentStatusPayload } from './mapping';

/**
 * Stores a deployment status that ends a deployment. A successful one reports the commits
 * its sha brings to production, from the commit history learnt from pushes; where that
 * history cannot account for all of them, the deployment says so (`commitsComplete: false`).
 */
export async function takeDeploymentStatus(
  sink: DoraEventSink,
  payload: DeploymentStatusPayload,
): Promise<void> {
  const item = deploymentFromStatus(payload);
  if (!item) return;
  if (item.status !== 'success') {
    await sink.pushDeployments([item]);
    return;
  }
  const changes = await sink.commits.changeSet(payload.repository.full_name, {
    deploymentId: item.id,
    sha: payload.deployment.sha,
    environment: item.environment,
    finishedAt: item.finishedAt,
  });
  await sink.pushDeployments([
    { ...item, commits: changes.commits, commitsComplete: changes.complete },
  ]);
}
