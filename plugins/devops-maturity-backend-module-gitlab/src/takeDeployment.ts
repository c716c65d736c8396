import { DoraEventSink } from '@devops-maturity/backstage-plugin-node';
import { deployedSha, deploymentFromEvent, DeploymentEvent } from './mapping';

/**
 * Stores a deployment event that ends a deployment. A successful one reports the commits its
 * sha brings to production, from the commit history learnt from pushes and pipelines; where
 * that history cannot account for all of them, the deployment says so
 * (`commitsComplete: false`).
 */
export async function takeDeployment(
  sink: DoraEventSink,
  event: DeploymentEvent,
): Promise<void> {
  const item = deploymentFromEvent(event);
  if (!item) return;
  if (item.status !== 'success') {
    await sink.pushDeployments([item]);
    return;
  }
  const changes = await sink.commits.changeSet(
    event.project.path_with_namespace,
    {
      deploymentId: item.id,
      sha: deployedSha(event),
      environment: item.environment,
      finishedAt: item.finishedAt,
    },
  );
  await sink.pushDeployments([
    { ...item, commits: changes.commits, commitsComplete: changes.complete },
  ]);
}
