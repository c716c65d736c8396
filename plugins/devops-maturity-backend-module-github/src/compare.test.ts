import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { startGithubBackend } from './__testUtils__/backend';
import { c, deploy, push } from './__testUtils__/payloads';
// GitHub's documented "Compare two commits" response (REST API docs, octocat/Hello-World).
import documented from './__fixtures__/compare.json';

jest.setTimeout(30_000);

const server = setupServer();
// Requests to the test backend itself pass; any other unhandled one fails, so a request the
// module should not make fails the test.
beforeAll(() =>
  server.listen({
    onUnhandledRequest: (request, print) => {
      if (new URL(request.url).hostname !== '127.0.0.1') print.error();
    },
  }),
);
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const integrations = {
  integrations: { github: [{ host: 'github.com', token: 'gh-token' }] },
};
const at = (hour: number, minute = 0) =>
  `2026-11-02T${String(hour).padStart(2, '0')}:${String(minute).padStart(
    2,
    '0',
  )}:00Z`;
const sha = (name: string) => name.padEnd(40, '0');
const short = (s: string) => s.replace(/0+$/, '');

/**
 * GitHub answering comparisons of Codertocat/Hello-World from `ranges` (`base...head` to its
 * commits, oldest first) as the documented response, edited in its shas, committer dates and
 * counts, a page at a time as `per_page` and `page` ask. The author dates stay the example's
 * 2011 ones: a lead time runs from the committer date. Answers 401 without the token.
 */
function githubCompare(
  ranges: Record<string, Array<{ sha: string; at: string }>>,
) {
  const asked: string[] = [];
  server.use(
    http.get(
      'https://api.github.com/repos/Codertocat/Hello-World/compare/:basehead',
      ({ request, params }) => {
        if (request.headers.get('authorization') !== 'Bearer gh-token')
          return HttpResponse.json(
            { message: 'Bad credentials' },
            { status: 401 },
          );
        const url = new URL(request.url);
        const perPage = Number(url.searchParams.get('per_page') ?? 250);
        const page = Number(url.searchParams.get('page') ?? 1);
        const basehead = String(params.basehead);
        asked.push(`${basehead.split('...').map(short).join('...')} p${page}`);
        const all = ranges[basehead];
        if (!all)
          return HttpResponse.json({ message: 'Not Found' }, { status: 404 });
        const [template] = documented.commits;
        return HttpResponse.json({
          ...documented,
          status: 'ahead',
          ahead_by: all.length,
          behind_by: 0,
          total_commits: all.length,
          commits: all.slice((page - 1) * perPage, page * perPage).map(x => ({
            ...template,
            sha: x.sha,
            commit: {
              ...template.commit,
              committer: { ...template.commit.committer, date: x.at },
            },
          })),
        });
      },
    ),
  );
  return asked;
}

describe('change sets from GitHub’s compare API', () => {
  it('takes the commits between the previous production deployment and this one', async () => {
    const asked = githubCompare({
      [`${sha('a')}...${sha('c')}`]: [c('b', at(10, 30)), c('c', at(11))],
    });
    const { send, get } = await startGithubBackend({ config: integrations });
    // The first production deployment has no previous one to compare with: nothing asked.
    await send('deployment_status', deploy(1, sha('a'), 'production', at(10)));
    // Staging takes nothing and asks nothing.
    await send('deployment_status', deploy(2, sha('c'), 'staging', at(11, 30)));
    expect(asked).toEqual([]);
    await send('deployment_status', deploy(3, sha('c'), 'production', at(12)));
    expect(asked).toEqual(['a...c p1']);

    const byId = new Map<string, any>(
      (await get('deployments')).body.items.map((d: any) => [d.id, d]),
    );
    // No push ever told of a: its change set is unknown.
    expect(byId.get('1')).toMatchObject({
      commits: [],
      commitsComplete: false,
    });
    // Staging brings nothing to production; what it holds is not worked out: unknown.
    expect(byId.get('2')).toMatchObject({
      commits: [],
      commitsComplete: false,
    });
    expect(byId.get('3')).toMatchObject({
      commits: [
        { sha: sha('b'), committedAt: '2026-11-02T10:30:00.000Z' },
        { sha: sha('c'), committedAt: '2026-11-02T11:00:00.000Z' },
      ],
      commitsComplete: true,
    });
    const dora = await get(
      `dora?from=${encodeURIComponent(at(0))}&to=${encodeURIComponent(at(23))}`,
    );
    // b 1.5 h and c 1 h before 12:00: median 1.25 h.
    expect(dora.body.leadTime).toMatchObject({
      changes: 2,
      medianSeconds: 4500,
      completeDeployments: 1,
    });
  });

  it('pages through a comparison longer than a page', async () => {
    // 101 commits, one a minute from 10:00 to 11:40, deployed at 12:00.
    const commits = Array.from({ length: 101 }, (_, i) =>
      c(`k${String(i).padStart(3, '0')}z`, at(10 + Math.floor(i / 60), i % 60)),
    );
    const asked = githubCompare({
      [`${sha('a')}...${commits[100].sha}`]: commits,
    });
    const { send, get } = await startGithubBackend({ config: integrations });
    await send('deployment_status', deploy(1, sha('a'), 'production', at(9)));
    await send(
      'deployment_status',
      deploy(2, commits[100].sha, 'production', at(12)),
    );
    expect(asked).toEqual(['a...k100z p1', 'a...k100z p2']);
    const deployments = (await get('deployments')).body.items;
    const second = deployments.find((d: any) => d.id === '2');
    expect(second.commits).toHaveLength(101);
    expect(second.commitsComplete).toBe(true);
    const dora = await get(
      `dora?from=${encodeURIComponent(at(0))}&to=${encodeURIComponent(at(23))}`,
    );
    // Lead times 20 to 120 minutes, one of each: the median is 70 minutes.
    expect(dora.body.leadTime).toMatchObject({
      changes: 101,
      medianSeconds: 4200,
    });
  });

  it('falls back to the history learnt from pushes, with a warning, when GitHub fails', async () => {
    let failures = 0;
    server.use(
      http.get(
        'https://api.github.com/repos/Codertocat/Hello-World/compare/:basehead',
        () => {
          failures++;
          return HttpResponse.json(
            { message: 'Server Error' },
            { status: 500 },
          );
        },
      ),
    );
    const { send, get, logged } = await startGithubBackend({
      config: integrations,
    });
    await send('push', push('refs/heads/master', sha('0'), [c('a', at(9))]));
    await send('deployment_status', deploy(1, sha('a'), 'production', at(10)));
    await send(
      'push',
      push('refs/heads/master', sha('a'), [c('b', at(10, 30)), c('c', at(11))]),
    );
    await send('deployment_status', deploy(2, sha('c'), 'production', at(12)));

    expect(failures).toBe(1);
    const second = (await get('deployments')).body.items.find(
      (d: any) => d.id === '2',
    );
    expect(second).toMatchObject({
      commits: [
        { sha: sha('b'), committedAt: '2026-11-02T10:30:00.000Z' },
        { sha: sha('c'), committedAt: '2026-11-02T11:00:00.000Z' },
      ],
      commitsComplete: true,
    });
    expect(logged).toContainEqual({
      level: 'warn',
      message: expect.stringMatching(
        /^Could not compare a0+\.\.\.c0+ of Codertocat\/Hello-World for deployment 2, using the history learnt from pushes: .*500/,
      ),
    });
  });

  it('asks nothing without a GitHub integration that has credentials', async () => {
    // A request to GitHub would fail, and the failure be logged: msw lets none through.
    const { send, get, logged } = await startGithubBackend();
    await send('push', push('refs/heads/master', sha('0'), [c('a', at(9))]));
    await send('deployment_status', deploy(1, sha('a'), 'production', at(10)));
    await send('push', push('refs/heads/master', sha('a'), [c('b', at(11))]));
    await send('deployment_status', deploy(2, sha('b'), 'production', at(12)));
    const second = (await get('deployments')).body.items.find(
      (d: any) => d.id === '2',
    );
    expect(second).toMatchObject({
      commits: [{ sha: sha('b'), committedAt: '2026-11-02T11:00:00.000Z' }],
      commitsComplete: true,
    });
    expect(logged.filter(l => l.level === 'warn')).toEqual([]);
  });
});
