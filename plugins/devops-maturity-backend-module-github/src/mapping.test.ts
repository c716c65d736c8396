import examples from '@octokit/webhooks-examples';
import {
  deploymentFromStatus,
  incidentFromIssue,
  pushFromPayload,
} from './mapping';

function examplesOf(name: string): any[] {
  return (examples as any[]).find(e => e.name === name)!.examples;
}

describe('GitHub payloads (from @octokit/webhooks-examples)', () => {
  it('turns a successful deployment status into a deployment of the repository', () => {
    const payload = examplesOf('deployment_status').find(
      e => e.deployment_status.state === 'success',
    );
    const item = deploymentFromStatus(payload);
    expect(item).toEqual({
      id: '145988746',
      source: 'github',
      annotations: { 'github.com/project-slug': 'Codertocat/Hello-World' },
      environment: 'production',
      status: 'success',
      startedAt: '2019-05-15T15:20:53Z',
      finishedAt: '2019-05-15T15:20:55Z',
      updatedAt: '2019-05-15T15:20:55Z',
      kind: 'normal',
      version: 'master@f95f852',
      sha: 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e',
      actor: 'Codertocat',
    });
  });

  it('ignores statuses that do not end a deployment, and takes failures as pipelines that did not deploy', () => {
    const inProgress = examplesOf('deployment_status').find(
      e => e.deployment_status.state === 'in_progress',
    );
    expect(deploymentFromStatus(inProgress)).toBeUndefined();
    const success = examplesOf('deployment_status').find(
      e => e.deployment_status.state === 'success',
    );
    const failed = {
      ...success,
      deployment_status: { ...success.deployment_status, state: 'error' },
    };
    expect(deploymentFromStatus(failed)?.status).toBe('failure');
  });

  it('reads rollbacks from the deployment payload', () => {
    const success = examplesOf('deployment_status').find(
      e => e.deployment_status.state === 'success',
    );
    const rollback = {
      ...success,
      deployment: {
        ...success.deployment,
        payload: { kind: 'rollback', fixes: 145988745 },
      },
    };
    expect(deploymentFromStatus(rollback)).toMatchObject({
      kind: 'rollback',
      fixes: '145988745',
    });
  });

  it('takes the history a push to a branch tells, not tags, with commit times', () => {
    const pushes = examplesOf('push');
    const branch = pushes.find(e => e.ref === 'refs/heads/master');
    const tag = pushes.find(e => e.ref.startsWith('refs/tags/'));
    expect(pushFromPayload(tag)).toBeUndefined();
    expect(pushFromPayload({ ...branch, deleted: true })).toBeUndefined();
    expect(pushFromPayload(branch)).toEqual({
      repository: 'Codertocat/Hello-World',
      push: {
        before: '0000000000000000000000000000000000000000',
        after: '6113728f27ae82c7b1a177c8d03f9e96e0adf246',
        commits: [
          {
            sha: '6113728f27ae82c7b1a177c8d03f9e96e0adf246',
            committedAt: '2019-05-15T15:19:25Z',
          },
        ],
        linksToBefore: true,
      },
    });
    // A force push's commits do not follow the old head.
    expect(
      pushFromPayload({ ...branch, forced: true })?.push.linksToBefore,
    ).toBe(false);
  });

  it('takes issues with an incident label as incidents, open until closed', () => {
    const labeled = examplesOf('issues').find(e => e.action === 'labeled');
    expect(incidentFromIssue(labeled, ['incident'])).toBeUndefined();
    expect(incidentFromIssue(labeled, ['Bug'])).toEqual({
      id: 'Codertocat/Hello-World#1',
      source: 'github',
      annotations: { 'github.com/project-slug': 'Codertocat/Hello-World' },
      openedAt: '2019-05-15T15:20:18Z',
      resolvedAt: null,
      updatedAt: '2019-05-15T15:20:18Z',
      title: 'Spelling error in the README file',
      url: 'https://github.com/Codertocat/Hello-World/issues/1',
    });
    const closed = {
      ...labeled,
      issue: {
        ...labeled.issue,
        state: 'closed',
        closed_at: '2019-05-15T18:00:00Z',
      },
    };
    expect(incidentFromIssue(closed, ['bug'])?.resolvedAt).toBe(
      '2019-05-15T18:00:00Z',
    );
    // GitHub's own reopened example: open again, and its updated_at orders it after the close.
    const reopened = examplesOf('issues').find(e => e.action === 'reopened');
    expect(incidentFromIssue(reopened, ['bug'])).toMatchObject({
      openedAt: '2021-07-05T18:05:24Z',
      resolvedAt: null,
      updatedAt: '2021-10-11T16:40:56Z',
    });
  });
});
