import { Commit, PushedCommits } from '@devops-maturity/backstage-plugin-node';

/** The annotation that names a GitLab project on a catalog entity. */
export const PROJECT_SLUG = 'gitlab.com/project-slug';

/** A GitLab deployment event, as far as it is read here. */
export interface DeploymentEvent {
  object_kind: 'deployment';
  status: string;
  status_changed_at: string;
  deployment_id: number;
  deployable_url?: string;
  environment: string;
  environment_tier?: string;
  project: { path_with_namespace: string; web_url?: string };
  short_sha: string;
  commit_url?: string;
  user?: { username?: string };
}

/** A GitLab push event, as far as it is read here. */
export interface PushEvent {
  object_kind: 'push';
  ref: string;
  before?: string;
  after: string;
  /** More than the commits listed when GitLab cut the list short (it lists up to 20). */
  total_commits_count?: number;
  project: { path_with_namespace: string };
  commits?: Array<{ id: string; timestamp: string }>;
}

/**
 * GitLab writes `2021-04-28 21:50:00 +0200` or `2021-04-28 19:50:00 UTC` in some events and
 * ISO-8601 in others. This undoes only GitLab's spacing: the push API reads the time with the
 * parser every time goes through (`parseInstant`, any ISO-8601 offset), and refuses, naming
 * the field, a time without an offset.
 */
export function toIso(time: string): string {
  return time
    .trim()
    .replace(/^(\d{4}-\d{2}-\d{2}) (?=\d)/, '$1T')
    .replace(/\s*UTC$/, 'Z')
    .replace(/\s+([+-]\d{2}(?::?\d{2})?)$/, '$1');
}

/** The project's web address, whose host names the integration to ask. */
export function projectUrl(event: DeploymentEvent): string {
  return (
    event.project.web_url ??
    `https://gitlab.com/${event.project.path_with_namespace}`
  );
}

/** The full deployed sha, from the commit URL when GitLab gives one. */
export function deployedSha(event: DeploymentEvent): string {
  const fromUrl = event.commit_url?.match(/\/commit\/([0-9a-f]{40})$/)?.[1];
  return fromUrl ?? event.short_sha;
}

/**
 * A deployment event that ends a deployment, as a push API item: `success` deployed; `failed`
 * and `canceled` did not; `created` and `running` are skipped. GitLab's `production`
 * environment tier counts as production whatever the environment is called.
 */
export function deploymentFromEvent(event: DeploymentEvent) {
  let status: 'success' | 'failure';
  if (event.status === 'success') status = 'success';
  else if (event.status === 'failed' || event.status === 'canceled')
    status = 'failure';
  else return undefined;
  return {
    id: String(event.deployment_id),
    source: 'gitlab',
    annotations: { [PROJECT_SLUG]: event.project.path_with_namespace },
    environment:
      event.environment_tier === 'production'
        ? 'production'
        : event.environment,
    status,
    finishedAt: toIso(event.status_changed_at),
    // the status change's own time orders it: a late `failed` older than the `success` changes
    // nothing
    updatedAt: toIso(event.status_changed_at),
    kind: 'normal' as const,
    version: event.short_sha,
    sha: deployedSha(event),
    ...(event.deployable_url && /^https?:\/\//.test(event.deployable_url)
      ? { url: event.deployable_url }
      : {}),
    ...(event.user?.username ? { actor: event.user.username } : {}),
  };
}

/**
 * What a push to a branch tells of the history: its commits in order, from the old head to
 * the new one; undefined for tags. When GitLab cut the list short, the first listed commit
 * is not linked to the old head.
 */
export function pushFromEvent(
  event: PushEvent,
): { project: string; push: PushedCommits } | undefined {
  if (!event.ref.startsWith('refs/heads/')) return undefined;
  const commits: Commit[] = (event.commits ?? []).map(c => ({
    sha: c.id,
    committedAt: toIso(c.timestamp),
  }));
  return {
    project: event.project.path_with_namespace,
    push: {
      before: event.before,
      after: event.after,
      commits,
      linksToBefore:
        event.total_commits_count === undefined ||
        event.total_commits_count <= commits.length,
    },
  };
}

/** A GitLab pipeline event, as far as it is read here. */
export interface PipelineEvent {
  object_kind: 'pipeline';
  project: { path_with_namespace: string };
  commit?: { id: string; timestamp: string } | null;
}

/**
 * The commit a pipeline ran on, with its time, as history without parents. Projects that send
 * pipeline events but not push events still get a lead time per deployment (of its head
 * commit), with partial coverage: the commits pushed before it in the same push are not known.
 * Pipelines are not counted as deployments: GitLab's deployment events say which jobs deployed
 * where, and counting both would count twice.
 */
export function pushFromPipeline(
  event: PipelineEvent,
): { project: string; push: PushedCommits } | undefined {
  const c = event.commit;
  if (!c?.id || !c.timestamp) return undefined;
  return {
    project: event.project.path_with_namespace,
    push: {
      after: c.id,
      commits: [{ sha: c.id, committedAt: toIso(c.timestamp) }],
      linksToBefore: false,
    },
  };
}
