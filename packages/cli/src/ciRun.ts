import { createHash } from 'node:crypto';

/** What the CI system tells about the run the command is part of. */
export interface CiRun {
  /** The CI system, e.g. `github-actions`. */
  provider: string;
  /**
   * Names this run (and attempt, and job) uniquely within the CI system: a retried step keeps
   * it, a re-run job gets a new one, as it deploys again.
   */
  runKey: string;
  /** A link to the run. */
  url?: string;
  /** Who started it. */
  actor?: string;
  /** The environment the job deploys to, where the CI system names it. */
  environment?: string;
}

type Env = Record<string, string | undefined>;

const present = (...values: Array<string | undefined>) =>
  values.every(v => v !== undefined && v !== '');

const trimSlash = (url: string) => url.replace(/\/+$/, '');

/**
 * Each CI system's own variables, as its documentation names them. The first that matches the
 * environment wins.
 */
const DETECTORS: Array<(env: Env) => CiRun | undefined> = [
  env =>
    env.GITHUB_ACTIONS === 'true' &&
    present(env.GITHUB_REPOSITORY, env.GITHUB_RUN_ID)
      ? {
          provider: 'github-actions',
          runKey: [
            env.GITHUB_REPOSITORY,
            env.GITHUB_RUN_ID,
            env.GITHUB_RUN_ATTEMPT || '1',
            env.GITHUB_JOB || 'job',
          ].join(':'),
          url: present(env.GITHUB_SERVER_URL)
            ? `${trimSlash(env.GITHUB_SERVER_URL!)}/${
                env.GITHUB_REPOSITORY
              }/actions/runs/${env.GITHUB_RUN_ID}`
            : undefined,
          actor: env.GITHUB_ACTOR || undefined,
        }
      : undefined,
  env =>
    env.GITLAB_CI === 'true' && present(env.CI_PIPELINE_ID, env.CI_JOB_ID)
      ? {
          provider: 'gitlab-ci',
          runKey: [
            env.CI_PROJECT_PATH || env.CI_PROJECT_ID || 'project',
            env.CI_PIPELINE_ID,
            env.CI_JOB_ID,
          ].join(':'),
          url: env.CI_JOB_URL || undefined,
          actor: env.GITLAB_USER_LOGIN || undefined,
          environment: env.CI_ENVIRONMENT_NAME || undefined,
        }
      : undefined,
  env =>
    present(env.JENKINS_URL, env.BUILD_TAG)
      ? {
          provider: 'jenkins',
          // BUILD_TAG is jenkins-${JOB_NAME}-${BUILD_NUMBER}: unique within one Jenkins.
          runKey: env.BUILD_TAG!,
          url: env.BUILD_URL || undefined,
          actor: env.BUILD_USER_ID || undefined,
        }
      : undefined,
  env =>
    env.TF_BUILD === 'True' && present(env.BUILD_BUILDID)
      ? {
          provider: 'azure-pipelines',
          runKey: [
            env.SYSTEM_TEAMPROJECTID || env.SYSTEM_TEAMPROJECT || 'project',
            env.BUILD_BUILDID,
            env.SYSTEM_JOBID || 'job',
            env.SYSTEM_JOBATTEMPT || '1',
          ].join(':'),
          url: present(env.SYSTEM_COLLECTIONURI, env.SYSTEM_TEAMPROJECT)
            ? `${trimSlash(env.SYSTEM_COLLECTIONURI!)}/${encodeURIComponent(
                env.SYSTEM_TEAMPROJECT!,
              )}/_build/results?buildId=${env.BUILD_BUILDID}`
            : undefined,
          actor: env.BUILD_REQUESTEDFOR || undefined,
        }
      : undefined,
  env =>
    env.CIRCLECI === 'true' && present(env.CIRCLE_BUILD_NUM)
      ? {
          provider: 'circleci',
          runKey: [
            `${env.CIRCLE_PROJECT_USERNAME ?? ''}/${
              env.CIRCLE_PROJECT_REPONAME ?? ''
            }`,
            env.CIRCLE_WORKFLOW_ID || 'workflow',
            env.CIRCLE_BUILD_NUM,
          ].join(':'),
          url: env.CIRCLE_BUILD_URL || undefined,
          actor: env.CIRCLE_USERNAME || undefined,
        }
      : undefined,
  env =>
    env.BUILDKITE === 'true' && present(env.BUILDKITE_JOB_ID)
      ? {
          provider: 'buildkite',
          runKey: [
            env.BUILDKITE_PIPELINE_SLUG || 'pipeline',
            env.BUILDKITE_BUILD_ID || 'build',
            env.BUILDKITE_JOB_ID,
            env.BUILDKITE_RETRY_COUNT || '0',
          ].join(':'),
          url: env.BUILDKITE_BUILD_URL || undefined,
          actor: env.BUILDKITE_BUILD_CREATOR || undefined,
        }
      : undefined,
  env =>
    present(env.BITBUCKET_BUILD_NUMBER, env.BITBUCKET_REPO_FULL_NAME)
      ? {
          provider: 'bitbucket-pipelines',
          runKey: [
            env.BITBUCKET_REPO_FULL_NAME,
            env.BITBUCKET_BUILD_NUMBER,
            env.BITBUCKET_STEP_UUID || 'step',
          ].join(':'),
          url: `https://bitbucket.org/${env.BITBUCKET_REPO_FULL_NAME}/pipelines/results/${env.BITBUCKET_BUILD_NUMBER}`,
        }
      : undefined,
];

/** The CI run this process belongs to, or undefined outside a CI system we know. */
export function detectCiRun(env: Env): CiRun | undefined {
  for (const detect of DETECTORS) {
    const run = detect(env);
    if (run) return run;
  }
  return undefined;
}

/** The push API's limit on ids. */
const MAX_ID_LENGTH = 255;

/**
 * The deployment's id: the run, then what it deployed where, so one job deploying several
 * entities or environments reports each once, and a retried step reports the same id again.
 * An id over the push API's 255 characters is replaced by a digest of it (still stable).
 */
export function deploymentIdOf(
  run: CiRun,
  entityRef: string,
  environment: string,
): string {
  const id = `${run.provider}:${run.runKey}:${entityRef}:${environment}`;
  if (id.length <= MAX_ID_LENGTH) return id;
  const digest = createHash('sha256').update(id).digest('hex');
  return `${run.provider}:${digest}`;
}
