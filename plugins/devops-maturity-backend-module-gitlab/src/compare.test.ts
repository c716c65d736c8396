import { mockCredentials } from '@backstage/backend-test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import request from 'supertest';
import { eventually } from '@devops-maturity/backstage-plugin-node/testUtils';
import { startGitlabBackend } from './__testUtils__/backend';
// GitLab's documented deployment and push events of project root/test-deployment-webhooks
// (the push ends at the deployed commit), and its documented "Compare branches, tags or
// commits" response (Repositories API).
import deployment from './__fixtures__/deployment.json';
import push from './__fixtures__/push.json';
import documented from './__fixtures__/compare.json';

jest.setTimeout(30_000);

const server = setupServer();
// Requests to the test backend itself pass; any other unhandled one fails, so a request the
// module should not make fails the test.
beforeAll(() =>
  server.listen({
    onUnhandledRequest: (req, print) => {
      if (new URL(req.url).hostname !== '127.0.0.1') print.error();
    },
  }),
);
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const integrations = {
  integrations: {
    gitlab: [
      {
        host: '10.126.0.2:3000',
        apiBaseUrl: 'http://10.126.0.2:3000/api/v4',
        token: 'gl-api-token',
      },
    ],
  },
};
const COMPARE_URL =
  'http://10.126.0.2:3000/api/v4/projects/root%2Ftest-deployment-webhooks/repository/compare';
// The example's deployed commit, its parent in the example push, and the push's old head.
const DEPLOYED = '279484c09fbe69ededfced8c1bb6e6d24616b468';
const PARENT = 'b6568db1bc1dcd7f8b4d5a946b0b91f9dacd7327';
const OLD_HEAD = push.before;

/** GitLab's example deployment event: `id` of `sha` to a `tier` environment at `time`. */
function deploymentOf(id: number, sha: string, tier: string, time: string) {
  return {
    ...deployment,
    deployment_id: id,
    environment: tier === 'production' ? 'prod-eu' : tier,
    environment_tier: tier,
    status_changed_at: time,
    short_sha: sha.slice(0, 8),
    commit_url: `http://10.126.0.2:3000/root/test-deployment-webhooks/-/commit/${sha}`,
  };
}

/**
 * GitLab answering compares from `ranges` (`from...to` to its commits, oldest first) as the
 * documented response, edited in its shas and times; 401 without the token.
 */
function gitlabCompare(
  ranges: Record<string, Array<{ id: string; created_at: string }>>,
) {
  const asked: string[] = [];
  server.use(
    http.get(COMPARE_URL, ({ request: req }) => {
      if (req.headers.get('authorization') !== 'Bearer gl-api-token')
        return HttpResponse.json(
          { message: '401 Unauthorized' },
          { status: 401 },
        );
      const url = new URL(req.url);
      const range = `${url.searchParams.get('from')}...${url.searchParams.get(
        'to',
      )}`;
      asked.push(range);
      const commits = ranges[range];
      if (!commits)
        return HttpResponse.json({ message: '404 Not Found' }, { status: 404 });
      const [template] = documented.commits;
      const listed = commits.map(x => ({
        ...template,
        ...x,
        short_id: x.id.slice(0, 11),
      }));
      return HttpResponse.json({
        ...documented,
        commit: listed[listed.length - 1],
        commits: listed,
      });
    }),
  );
  return asked;
}

async function startBackend(config?: typeof integrations) {
  const { server: app, logged } = await startGitlabBackend({ config });
  /** Posts an event as GitLab does and waits until the plugin has taken it. */
  const deliver = async (body: object) => {
    const res = await request(app)
      .post('/api/events/http/gitlab')
      .set('content-type', 'application/json')
      .set('x-gitlab-token', 'gl-token')
      .send(JSON.stringify(body));
    expect(res.status).toBe(202);
  };
  const get = (path: string) =>
    request(app)
      .get(`/api/devops-maturity/entities/component/default/webhooks/${path}`)
      .set('authorization', mockCredentials.user.header());
  /** The stored deployments by id, once `count` of them are there. */
  const deployments = async (count: number) => {
    let items: any[] = [];
    await eventually(async () => {
      items = (await get('deployments')).body.items;
      expect(items).toHaveLength(count);
    });
    return new Map<string, any>(items.map(d => [d.id, d]));
  };
  return { deliver, get, deployments, logged };
}

describe('change sets from GitLab’s compare API', () => {
  it('takes the commits between the previous production deployment and this one', async () => {
    const asked = gitlabCompare({
      [`${OLD_HEAD}...${DEPLOYED}`]: [
        { id: PARENT, created_at: '2021-04-28T19:01:00+02:00' },
        { id: DEPLOYED, created_at: '2021-04-28T21:38:00+02:00' },
      ],
    });
    const { deliver, deployments, get } = await startBackend(integrations);
    // The first production deployment has no previous one to compare with: nothing asked.
    await deliver(
      deploymentOf(14, OLD_HEAD, 'production', '2021-04-28 18:00:00 +0200'),
    );
    await deployments(1);
    // Staging takes nothing and asks nothing.
    await deliver(
      deploymentOf(15, DEPLOYED, 'staging', '2021-04-28 21:45:00 +0200'),
    );
    await deployments(2);
    expect(asked).toEqual([]);
    await deliver(
      deploymentOf(16, DEPLOYED, 'production', '2021-04-28 21:50:00 +0200'),
    );
    const byId = await deployments(3);
    expect(asked).toEqual([`${OLD_HEAD}...${DEPLOYED}`]);
    expect(byId.get('14')).toMatchObject({
      commits: [],
      commitsComplete: false,
    });
    // Staging brings nothing to production; what it holds is not worked out: unknown.
    expect(byId.get('15')).toMatchObject({
      commits: [],
      commitsComplete: false,
    });
    expect(byId.get('16')).toMatchObject({
      commits: [
        { sha: PARENT, committedAt: '2021-04-28T17:01:00.000Z' },
        { sha: DEPLOYED, committedAt: '2021-04-28T19:38:00.000Z' },
      ],
      commitsComplete: true,
    });
    const dora = await get(
      'dora?from=2021-04-28T00:00:00Z&to=2021-04-29T00:00:00Z',
    );
    // 2 h 49 min and 12 min before 21:50 +0200: median (10140 s + 720 s) / 2.
    expect(dora.body.leadTime).toMatchObject({
      changes: 2,
      medianSeconds: 5430,
      completeDeployments: 1,
    });
  });

  it('falls back to the history learnt from pushes, with a warning, when GitLab fails', async () => {
    let failures = 0;
    server.use(
      http.get(COMPARE_URL, () => {
        failures++;
        return HttpResponse.json(
          { message: '500 Internal Server Error' },
          { status: 500 },
        );
      }),
    );
    const { deliver, deployments, logged } = await startBackend(integrations);
    await deliver(
      deploymentOf(14, OLD_HEAD, 'production', '2021-04-28 18:00:00 +0200'),
    );
    await deployments(1);
    await deliver(push);
    await deliver(
      deploymentOf(16, DEPLOYED, 'production', '2021-04-28 21:50:00 +0200'),
    );
    const byId = await deployments(2);
    expect(failures).toBe(1);
    // The push links its commits to the old head, which deployment 14 brought.
    expect(byId.get('16')).toMatchObject({
      commits: [
        { sha: PARENT, committedAt: '2021-04-28T17:01:00.000Z' },
        { sha: DEPLOYED, committedAt: '2021-04-28T19:38:00.000Z' },
      ],
      commitsComplete: true,
    });
    expect(logged).toContainEqual({
      level: 'warn',
      message: expect.stringMatching(
        new RegExp(
          `^Could not compare ${OLD_HEAD}\\.\\.\\.${DEPLOYED} of root/test-deployment-webhooks for deployment 16, using the history learnt from pushes: .*500`,
        ),
      ),
    });
  });

  it('asks nothing without a GitLab integration that has a token', async () => {
    // A request to GitLab would fail, and the failure be logged: msw lets none through.
    const { deliver, deployments, logged } = await startBackend();
    await deliver(
      deploymentOf(14, OLD_HEAD, 'production', '2021-04-28 18:00:00 +0200'),
    );
    await deployments(1);
    await deliver(
      deploymentOf(16, DEPLOYED, 'production', '2021-04-28 21:50:00 +0200'),
    );
    const byId = await deployments(2);
    // No push told of the deployed commit: unknown.
    expect(byId.get('16')).toMatchObject({
      commits: [],
      commitsComplete: false,
    });
    expect(logged.filter(l => l.level === 'warn')).toEqual([]);
  });
});
