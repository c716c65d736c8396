import { Commit, PushedCommits } from '@devops-maturity/backstage-plugin-node';

/**
 * Pure mappings from GitHub webhook payloads to push API items. Only the fields used are typed;
 * the payloads are GitHub's (see @octokit/webhooks-examples).
 */

/** The annotation that names a GitHub repository on a catalog entity. */
export const PROJECT_SLUG = 'github.com/project-slug';

export interface GithubRepository {
  full_name: string;
  /** The repository's page, on github.com or a GitHub Enterprise host. */
  html_url?: string;
}

/** The repository's web address, whose host names the integration to ask. */
export function repositoryUrl(repository: GithubRepository): string {
  return repository.html_url ?? `https://github.com/${repository.full_name}`;
}

export interface DeploymentStatusPayload {
  action?: string;
  deployment_status: {
    state: string;
    environment?: string;
    target_url?: string | null;
    log_url?: string | null;
    created_at: string;
    updated_at?: string;
    creator?: { login?: string } | null;
  };
  deployment: {
    id: number;
    sha: string;
    ref?: string;
    environment?: string;
    created_at: string;
    payload?: unknown;
  };
  repository: GithubRepository;
}

export interface PushPayload {
  ref: string;
  before: string;
  after: string;
  deleted?: boolean;
  forced?: boolean;
  commits?: Array<{ id: string; timestamp: string }>;
  head_commit?: { id: string; timestamp: string } | null;
  repository: GithubRepository;
}

export interface IssuesPayload {
  action: string;
  issue: {
    id: number;
    number: number;
    title?: string;
    html_url?: string;
    state?: string;
    created_at: string;
    updated_at?: string;
    closed_at?: string | null;
    labels?: Array<{ name: string }>;
  };
  repository: GithubRepository;
}

const isHttpUrl = (url: unknown): url is string =>
  typeof url === 'string' && /^https?:\/\//.test(url);

/**
 * A deployment status that ends a deployment, as a push API item; undefined for statuses that
 * do not (queued, pending, in_progress, inactive). `success` deployed; `failure` and `error`
 * are pipelines that did not deploy. Its commits come from the commit history (see the module).
 * Rollbacks and hotfixes are recognised from the deployment's own payload:
 * `{ "kind": "rollback" | "hotfix", "fixes": "<deployment id>" }`.
 */
export function deploymentFromStatus(payload: DeploymentStatusPayload) {
  const { deployment_status: status, deployment, repository } = payload;
  const state = status.state.toLowerCase();
  let result: 'success' | 'failure';
  if (state === 'success') result = 'success';
  else if (state === 'failure' || state === 'error') result = 'failure';
  else return undefined;
  const extra = (
    deployment.payload && typeof deployment.payload === 'object'
      ? deployment.payload
      : {}
  ) as Record<string, unknown>;
  const kind =
    extra.kind === 'rollback' || extra.kind === 'hotfix'
      ? extra.kind
      : 'normal';
  const url = [status.target_url, status.log_url].find(isHttpUrl);
  return {
    id: String(deployment.id),
    source: 'github',
    annotations: { [PROJECT_SLUG]: repository.full_name },
    environment: status.environment || deployment.environment || 'production',
    status: result,
    startedAt: deployment.created_at,
    finishedAt: status.updated_at ?? status.created_at,
    // the status's own time orders it: a late `failure` older than the `success` changes nothing
    updatedAt: status.updated_at ?? status.created_at,
    kind,
    ...(typeof extra.fixes === 'string' || typeof extra.fixes === 'number'
      ? { fixes: String(extra.fixes) }
      : {}),
    version: deployment.ref
      ? `${deployment.ref}@${deployment.sha.slice(0, 7)}`
      : deployment.sha.slice(0, 7),
    sha: deployment.sha,
    ...(url ? { url } : {}),
    ...(status.creator?.login ? { actor: status.creator.login } : {}),
  };
}

/**
 * GitHub lists at most this many commits in a push payload; a push with as many may have
 * brought more, so its first listed commit is not linked to the old head.
 */
export const MAX_PUSH_COMMITS = 2048;

/**
 * What a push to a branch tells of the history: its commits in order, from the old head to
 * the new one; undefined for tags and deleted branches. A force push's commits do not follow
 * the old head, so they are not linked to it.
 */
export function pushFromPayload(
  payload: PushPayload,
): { repository: string; push: PushedCommits } | undefined {
  if (!payload.ref.startsWith('refs/heads/') || payload.deleted)
    return undefined;
  const commits: Commit[] = (payload.commits ?? []).map(c => ({
    sha: c.id,
    committedAt: c.timestamp,
  }));
  const head = payload.head_commit;
  if (head && !commits.some(c => c.sha === head.id))
    commits.push({ sha: head.id, committedAt: head.timestamp });
  return {
    repository: payload.repository.full_name,
    push: {
      before: payload.before,
      after: payload.after,
      commits,
      linksToBefore:
        !payload.forced && (payload.commits ?? []).length < MAX_PUSH_COMMITS,
    },
  };
}

/**
 * An issue carrying one of the incident labels, as a push API incident: open while the issue
 * is open, resolved when it is closed. Undefined for issues without such a label.
 */
export function incidentFromIssue(
  payload: IssuesPayload,
  incidentLabels: string[],
) {
  const { issue, repository } = payload;
  const labels = (issue.labels ?? []).map(l => l.name.toLowerCase());
  if (!incidentLabels.some(l => labels.includes(l.toLowerCase())))
    return undefined;
  const severity = labels.find(l => /^sev[- ]?\d$/.test(l));
  return {
    id: `${repository.full_name}#${issue.number}`,
    source: 'github',
    annotations: { [PROJECT_SLUG]: repository.full_name },
    openedAt: issue.created_at,
    resolvedAt:
      issue.state === 'closed' && issue.closed_at ? issue.closed_at : null,
    // a late `opened` or `labeled` event does not reopen a closed issue; a `reopened` one does
    ...(issue.updated_at ? { updatedAt: issue.updated_at } : {}),
    ...(issue.title ? { title: issue.title } : {}),
    ...(isHttpUrl(issue.html_url) ? { url: issue.html_url } : {}),
    ...(severity ? { severity: severity.toUpperCase() } : {}),
  };
}
