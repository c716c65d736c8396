import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import { eventually } from '@devops-maturity/backstage-plugin-node/testUtils';
import { startGitlabBackend } from './__testUtils__/backend';
import { deploymentFromEvent, pushFromPipeline, toIso } from './mapping';
// GitLab's documented deployment event example; the push is GitLab's documented push example
// pointed at the same project and ending at the deployed commit, so the two connect.
import deployment from './__fixtures__/deployment.json';
import push from './__fixtures__/push.json';
// GitLab's documented pipeline event, trimmed to its fields and pointed at the same project and
// deployed commit (with a job deploying to a production-tier environment, as GitLab sends it).
import pipeline from './__fixtures__/pipeline.json';

const production = {
  ...deployment,
  environment: 'prod-eu',
  environment_tier: 'production',
};

jest.setTimeout(30_000);

async function startBackend() {
  const { server } = await startGitlabBackend();
  const post = (body: object, token?: string) => {
    const r = request(server)
      .post('/api/events/http/gitlab')
      .set('content-type', 'application/json');
    return (token ? r.set('x-gitlab-token', token) : r).send(
      JSON.stringify(body),
    );
  };
  const deployments = () =>
    request(server)
      .get(
        '/api/devops-maturity/entities/component/default/webhooks/deployments',
      )
      .set('authorization', mockCredentials.user.header());
  return { post, deployments };
}

describe('GitLab events', () => {
  it("undoes GitLab's spacing in times, keeping the offset for the API to read", () => {
    expect(toIso('2021-04-28 21:50:00 +0200')).toBe('2021-04-28T21:50:00+0200');
    expect(toIso('2021-04-28 21:50:00 -02:30')).toBe(
      '2021-04-28T21:50:00-02:30',
    );
    expect(toIso('2021-04-28 19:50:00 UTC')).toBe('2021-04-28T19:50:00Z');
    expect(toIso('2021-04-28T21:50:00.5+02')).toBe('2021-04-28T21:50:00.5+02');
    // No offset names no instant: passed on, for the API to refuse.
    expect(toIso('2021-04-28 21:50:00')).toBe('2021-04-28T21:50:00');
  });

  it('maps deployment events; the production tier counts as production', () => {
    expect(deploymentFromEvent(deployment as any)).toMatchObject({
      id: '15',
      source: 'gitlab',
      annotations: {
        'gitlab.com/project-slug': 'root/test-deployment-webhooks',
      },
      environment: 'staging',
      status: 'success',
      finishedAt: '2021-04-28T21:50:00+0200',
      // the full sha, from the commit URL; the event's `short_sha` is 279484c0
      sha: '279484c09fbe69ededfced8c1bb6e6d24616b468',
      url: 'http://10.126.0.2:3000/root/test-deployment-webhooks/-/jobs/796',
      actor: 'root',
    });
    expect(deploymentFromEvent(production as any)?.environment).toBe(
      'production',
    );
    expect(
      deploymentFromEvent({ ...deployment, status: 'running' } as any),
    ).toBeUndefined();
    expect(
      deploymentFromEvent({ ...deployment, status: 'failed' } as any)?.status,
    ).toBe('failure');
  });

  it('takes token-checked webhooks through the events backend, with commit times from pushes', async () => {
    const { post, deployments } = await startBackend();
    expect((await post(push, 'wrong')).status).toBe(403);
    expect((await post(push, 'gl-token')).status).toBe(202);
    expect((await post(production, 'gl-token')).status).toBe(202);
    await eventually(async () =>
      expect((await deployments()).body.totalCount).toBe(1),
    );
    const [stored] = (await deployments()).body.items;
    expect(stored).toMatchObject({
      id: '15',
      source: 'gitlab',
      environment: 'production',
      counts: true,
      finishedAt: '2021-04-28T19:50:00.000Z', // GitLab's 21:50:00 +0200
      sha: '279484c09fbe69ededfced8c1bb6e6d24616b468',
    });
    expect(stored.commits).toEqual([
      {
        sha: 'b6568db1bc1dcd7f8b4d5a946b0b91f9dacd7327',
        committedAt: '2021-04-28T17:01:00.000Z',
      },
      {
        sha: '279484c09fbe69ededfced8c1bb6e6d24616b468',
        committedAt: '2021-04-28T19:38:00.000Z',
      },
    ]);
    // The push's old head was never seen: what came before it is unknown.
    expect(stored.commitsComplete).toBe(false);
  });

  it('learns the commit time from a pipeline event when no push event came', async () => {
    expect(pushFromPipeline(pipeline as any)).toEqual({
      project: 'root/test-deployment-webhooks',
      push: {
        after: '279484c09fbe69ededfced8c1bb6e6d24616b468',
        commits: [
          {
            sha: '279484c09fbe69ededfced8c1bb6e6d24616b468',
            committedAt: expect.stringMatching(/^2021-04-28T21:38:00/),
          },
        ],
        linksToBefore: false,
      },
    });
    const { post, deployments } = await startBackend();
    expect((await post(pipeline, 'gl-token')).status).toBe(202);
    expect((await post(production, 'gl-token')).status).toBe(202);
    await eventually(async () =>
      expect((await deployments()).body.totalCount).toBe(1),
    );
    // One deployment (the deployment event's), not a second one for the pipeline.
    const [stored] = (await deployments()).body.items;
    expect(stored.id).toBe('15');
    expect(stored.commits).toEqual([
      {
        sha: '279484c09fbe69ededfced8c1bb6e6d24616b468',
        committedAt: '2021-04-28T19:38:00.000Z',
      },
    ]);
    // What the same push brought before it is not known: partial coverage.
    expect(stored.commitsComplete).toBe(false);
  });
});
