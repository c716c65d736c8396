import { deploymentIdOf, detectCiRun } from './ciRun';

describe('detectCiRun', () => {
  it('names a GitHub Actions run by repository, run, attempt and job', () => {
    const env = {
      GITHUB_ACTIONS: 'true',
      GITHUB_REPOSITORY: 'acme/checkout-api',
      GITHUB_RUN_ID: '4711',
      GITHUB_RUN_ATTEMPT: '2',
      GITHUB_JOB: 'deploy',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_ACTOR: 'octocat',
    };
    expect(detectCiRun(env)).toEqual({
      provider: 'github-actions',
      runKey: 'acme/checkout-api:4711:2:deploy',
      url: 'https://github.com/acme/checkout-api/actions/runs/4711',
      actor: 'octocat',
    });
    // A re-run job is a new attempt: it deploys again, so it is a new deployment.
    expect(detectCiRun({ ...env, GITHUB_RUN_ATTEMPT: '3' })?.runKey).toBe(
      'acme/checkout-api:4711:3:deploy',
    );
  });

  it('names a GitLab job, a Jenkins build and the others by their own variables', () => {
    expect(
      detectCiRun({
        GITLAB_CI: 'true',
        CI_PROJECT_PATH: 'acme/checkout-api',
        CI_PIPELINE_ID: '900',
        CI_JOB_ID: '901',
        CI_JOB_URL: 'https://gitlab.com/acme/checkout-api/-/jobs/901',
        GITLAB_USER_LOGIN: 'dev',
      }),
    ).toEqual({
      provider: 'gitlab-ci',
      runKey: 'acme/checkout-api:900:901',
      url: 'https://gitlab.com/acme/checkout-api/-/jobs/901',
      actor: 'dev',
    });
    expect(
      detectCiRun({
        JENKINS_URL: 'https://jenkins.example.com/',
        BUILD_TAG: 'jenkins-checkout-deploy-12',
        BUILD_URL: 'https://jenkins.example.com/job/checkout-deploy/12/',
      }),
    ).toMatchObject({
      provider: 'jenkins',
      runKey: 'jenkins-checkout-deploy-12',
    });
    expect(
      detectCiRun({
        TF_BUILD: 'True',
        SYSTEM_TEAMPROJECTID: 'p1',
        BUILD_BUILDID: '77',
        SYSTEM_JOBID: 'j1',
        SYSTEM_JOBATTEMPT: '1',
      })?.runKey,
    ).toBe('p1:77:j1:1');
    expect(
      detectCiRun({
        BUILDKITE: 'true',
        BUILDKITE_JOB_ID: 'j',
        BUILDKITE_BUILD_ID: 'b',
      })?.provider,
    ).toBe('buildkite');
  });

  it('finds nothing outside a CI system it knows', () => {
    expect(detectCiRun({ CI: 'true', HOME: '/root' })).toBeUndefined();
    expect(detectCiRun({ GITHUB_ACTIONS: 'true' })).toBeUndefined();
  });
});

describe('deploymentIdOf', () => {
  const run = { provider: 'gitlab-ci', runKey: 'acme/app:900:901' };

  it('differs per entity and environment within one run, and is stable', () => {
    const a = deploymentIdOf(run, 'component:default/a', 'production');
    expect(a).toBe('gitlab-ci:acme/app:900:901:component:default/a:production');
    expect(deploymentIdOf(run, 'component:default/a', 'production')).toBe(a);
    expect(deploymentIdOf(run, 'component:default/b', 'production')).not.toBe(
      a,
    );
    expect(deploymentIdOf(run, 'component:default/a', 'staging')).not.toBe(a);
  });

  it('replaces an id over 255 characters with a stable digest', () => {
    const long = deploymentIdOf(
      run,
      `component:default/${'x'.repeat(300)}`,
      'prod',
    );
    expect(long).toMatch(/^gitlab-ci:[0-9a-f]{64}$/);
    expect(
      deploymentIdOf(run, `component:default/${'x'.repeat(300)}`, 'prod'),
    ).toBe(long);
  });
});
