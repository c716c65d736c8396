import type { LoggerService } from '@backstage/backend-plugin-api';
import type { CompareCommits } from './commitHistory';
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
 * How `pushDeploymentOfSha` may ask the git provider for a change set.
 * @public
 */
export interface DeploymentOfShaOptions {
  /**
   * The provider's compare API for the deployment's repository; see `CommitHistory.changeSet`.
   * Without it the change set comes from the history learnt from pushes.
   */
  compare?: CompareCommits;
  /** Where a failed compare is reported, as a warning. */
  logger?: LoggerService;
}

/**
 * Stores a deployment whose event names only the deployed sha (GitHub, GitLab). A successful
 * one reports the commits its sha brings to production: what the provider's compare API
 * answers since the previous production deployment when `compare` is given, else the commit
 * history learnt from the repository's pushes; where neither can account for all of them, the
 * deployment says so (`commitsComplete: false`). A failed one brings nothing.
 *
 * A compare that fails (the provider down, a token without access, a base the provider no
 * longer has) is logged as a warning and the history answers: a webhook is never lost to it.
 * @public
 */
export async function pushDeploymentOfSha(
  sink: DoraEventSink,
  deployed: { repository: string; sha: string },
  item: DeploymentOfSha,
  options: DeploymentOfShaOptions = {},
): Promise<void> {
  if (item.status !== 'success') {
    await sink.pushDeployments([item]);
    return;
  }
  const { compare, logger } = options;
  const compareOrHistory: CompareCommits | undefined = compare
    ? async range => {
        try {
          return await compare(range);
        } catch (error) {
          logger?.warn(
            `Could not compare ${range.base}...${range.head} of ${deployed.repository} for deployment ${item.id}, using the history learnt from pushes: ${error}`,
          );
          return undefined;
        }
      }
    : undefined;
  const changes = await sink.commits.changeSet(
    deployed.repository,
    {
      deploymentId: item.id,
      sha: deployed.sha,
      environment: item.environment,
      finishedAt: item.finishedAt,
    },
    compareOrHistory,
  );
  await sink.pushDeployments([
    { ...item, commits: changes.commits, commitsComplete: changes.complete },
  ]);
}
