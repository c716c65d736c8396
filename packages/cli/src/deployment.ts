import { BackendClient } from './client';
import { CiRun, deploymentIdOf } from './ciRun';
import { usageError } from './errors';
import { changeSet, Commit, Git } from './git';
import {
  choiceOption,
  fullEntityRef,
  instantOption,
  labelsOption,
  linkOption,
} from './values';

/**
 * The status words CI systems use for a job (GitHub's `job.status`, GitLab's `CI_JOB_STATUS`,
 * Jenkins' `currentBuild.currentResult`), so `--status "$CI_JOB_STATUS"` works as it is: a
 * cancelled or aborted deployment did not deploy. Jenkins' UNSTABLE says nothing about the
 * deployment and is refused.
 */
const STATUS_WORDS: Record<string, 'success' | 'failure'> = {
  success: 'success',
  succeeded: 'success',
  passed: 'success',
  failure: 'failure',
  failed: 'failure',
  error: 'failure',
  cancelled: 'failure',
  canceled: 'failure',
  aborted: 'failure',
};
const KINDS = ['normal', 'rollback', 'hotfix'] as const;

/** The `deployment` command's options, as commander hands them over. */
export interface DeploymentOptions {
  entity: string;
  env?: string;
  status: string;
  id?: string;
  source: string;
  version?: string;
  url?: string;
  startedAt?: string;
  finishedAt?: string;
  kind?: string;
  fixes?: string;
  actor?: string;
  label: string[];
  repo: string;
  sha: string;
  since?: string;
  commits: boolean;
  dryRun: boolean;
}

/** The deployment as the push API takes it (`POST /deployments`). */
export interface DeploymentItem {
  id: string;
  source: string;
  entityRef: string;
  environment: string;
  status: 'success' | 'failure';
  startedAt?: string;
  finishedAt: string;
  sha?: string;
  commits?: Commit[];
  commitsComplete?: boolean;
  kind?: 'normal' | 'rollback' | 'hotfix';
  fixes?: string;
  version?: string;
  url?: string;
  actor?: string;
  labels?: Record<string, string>;
}

/** `GET /deployments/base`: the deployment the change set starts after, and this one if stored. */
export interface DeploymentBase {
  entityRef: string;
  previous: {
    source: string;
    id: string;
    environment: string;
    sha: string | null;
    finishedAt: string;
  } | null;
  stored: {
    startedAt?: string | null;
    finishedAt: string;
  } | null;
}

export interface CommandContext {
  /** Undefined when no backend is configured (allowed with --dry-run only). */
  client?: BackendClient;
  ciRun?: CiRun;
  now: () => Date;
  /** Progress and warnings (stderr). */
  log: (line: string) => void;
  /** The result: the payload with --dry-run, a summary otherwise (stdout). */
  out: (line: string) => void;
}

/**
 * Reports one deployment: works out its commits from git since the entity's previous
 * successful production deployment (asked of the backend, or `--since`), then pushes it.
 * Every input that decides the payload is stable across a retried step (the id from the CI
 * run, the stored times when already reported, the same base), so a retry sends the same
 * deployment again and changes nothing.
 */
export async function reportDeployment(
  options: DeploymentOptions,
  context: CommandContext,
): Promise<DeploymentItem> {
  const { client, ciRun, log } = context;
  const entityRef = fullEntityRef(options.entity);
  // GitLab names the job's environment (`environment:` in .gitlab-ci.yml).
  const environment = (options.env ?? ciRun?.environment ?? '').trim();
  if (!environment) {
    throw usageError(
      "--env: required (the environment deployed to, e.g. production); GitLab's CI_ENVIRONMENT_NAME is taken when set",
    );
  }
  const id =
    options.id ?? (ciRun && deploymentIdOf(ciRun, entityRef, environment));
  if (!id) {
    throw usageError(
      '--id: not in a CI system the command knows (GitHub Actions, GitLab CI, Jenkins, Azure Pipelines, CircleCI, Buildkite, Bitbucket Pipelines): pass --id with an id unique to this deployment, e.g. the pipeline run',
    );
  }
  // Every usage error before any request or git command.
  const status = STATUS_WORDS[options.status.trim().toLocaleLowerCase('en-US')];
  if (!status) {
    throw usageError(
      `--status: '${
        options.status
      }' is not one of success, failure (or a CI system's word for them: ${Object.keys(
        STATUS_WORDS,
      ).join(', ')})`,
    );
  }
  const kind = options.kind && choiceOption('--kind', options.kind, KINDS);
  const url = options.url ?? ciRun?.url;
  if (url) linkOption('--url', url);
  const labels = options.label.length ? labelsOption(options.label) : undefined;
  let finishedAt =
    options.finishedAt && instantOption('--finished-at', options.finishedAt);
  let startedAt =
    options.startedAt && instantOption('--started-at', options.startedAt);

  const base = client
    ? await client.request<DeploymentBase>(
        'GET',
        `/deployments/base?${new URLSearchParams({
          entityRef,
          source: options.source,
          id,
          ...(finishedAt ? { before: finishedAt } : {}),
        })}`,
      )
    : undefined;
  if (!finishedAt && base?.stored) {
    // Already reported (a retried step): the same times, so the same deployment again.
    log(
      `deployment ${id} was reported before: sending it again with its stored times`,
    );
    finishedAt = base.stored.finishedAt;
    startedAt ??= base.stored.startedAt ?? undefined;
  }
  finishedAt ??= context.now().toISOString();

  const item: DeploymentItem = {
    id,
    source: options.source,
    entityRef,
    environment,
    status,
    ...(startedAt ? { startedAt } : {}),
    finishedAt,
  };

  const git = new Git(options.repo);
  if (options.commits) {
    const since = options.since ?? baseSha(base, log);
    const changes = await changeSet(git, { head: options.sha, base: since });
    changes.notes.forEach(note => log(note));
    if (!changes.complete) {
      log(
        'warning: the commit list may be incomplete; the deployment counts as partial lead-time coverage',
      );
    }
    item.sha = changes.head;
    item.commits = changes.commits;
    if (!changes.complete) item.commitsComplete = false;
  } else {
    item.sha = await git.resolve(options.sha).catch(() => undefined);
  }
  if (!item.sha) delete item.sha;

  if (kind) item.kind = kind;
  if (options.fixes) item.fixes = options.fixes;
  if (options.version) item.version = options.version;
  if (url) item.url = url;
  const actor = options.actor ?? ciRun?.actor;
  if (actor) item.actor = actor;
  if (labels) item.labels = labels;
  return item;
}

/** The previous production deployment's sha, saying why there is none. */
function baseSha(
  base: DeploymentBase | undefined,
  log: (line: string) => void,
): string | undefined {
  if (!base) {
    log(
      'no backend to ask for the previous production deployment (dry run): pass --since <sha> to list the changes',
    );
    return undefined;
  }
  if (!base.previous) {
    log(
      `no earlier successful production deployment of ${base.entityRef} is stored: sending the deployed commit alone (pass --since <sha> to report every change of a first deployment)`,
    );
    return undefined;
  }
  if (!base.previous.sha) {
    log(
      `the previous production deployment (${base.previous.source} ${base.previous.id}) did not say which commit it deployed: sending the deployed commit alone (pass --since <sha>)`,
    );
    return undefined;
  }
  log(
    `changes since the previous production deployment ${
      base.previous.id
    } (${base.previous.sha.slice(0, 12)}, ${base.previous.finishedAt})`,
  );
  return base.previous.sha;
}
