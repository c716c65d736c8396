import { BackendClient } from './client';
import {
  CommandContext,
  DeploymentOptions,
  reportDeployment,
} from './deployment';
import { TestRepo } from './__testUtils__/gitRepo';

describe('reportDeployment', () => {
  let repo: TestRepo;
  let head: string;
  beforeAll(() => {
    repo = new TestRepo();
    repo.commit('c1', '2026-06-01T08:00:00Z');
    head = repo.commit('c2', '2026-06-01T09:00:00Z');
  });
  afterAll(() => repo.remove());

  const options = (
    extra: Partial<DeploymentOptions> = {},
  ): DeploymentOptions => ({
    entity: 'checkout-api',
    env: 'production',
    status: 'success',
    source: 'cli',
    label: [],
    repo: repo.dir,
    sha: 'HEAD',
    commits: true,
    dryRun: false,
    id: 'd1',
    ...extra,
  });

  /** A backend that answers "no previous deployment" and records what it was asked. */
  function context(extra: Partial<CommandContext> = {}) {
    const asked: string[] = [];
    const client = {
      request: async (_method: string, path: string) => {
        asked.push(path);
        return {
          entityRef: 'component:default/checkout-api',
          previous: null,
          stored: null,
        };
      },
    } as unknown as BackendClient;
    const lines: string[] = [];
    return {
      asked,
      lines,
      context: {
        client,
        now: () => new Date('2026-06-01T10:00:00Z'),
        log: (line: string) => lines.push(line),
        out: () => {},
        ...extra,
      } as CommandContext,
    };
  }

  it("takes a CI system's status words: a cancelled or failed job did not deploy", async () => {
    for (const [word, status] of [
      ['SUCCESS', 'success'],
      ['failed', 'failure'],
      ['cancelled', 'failure'],
      ['canceled', 'failure'],
      ['ABORTED', 'failure'],
    ]) {
      const item = await reportDeployment(
        options({ status: word }),
        context().context,
      );
      expect([word, item.status]).toEqual([word, status]);
    }
  });

  it('refuses a status word that says nothing about the deployment, before asking the backend', async () => {
    const { asked, context: ctx } = context();
    await expect(
      reportDeployment(options({ status: 'UNSTABLE' }), ctx),
    ).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringContaining(
        "--status: 'UNSTABLE' is not one of success, failure",
      ),
    });
    await expect(
      reportDeployment(options({ finishedAt: '2026-06-01 10:00' }), ctx),
    ).rejects.toMatchObject({ exitCode: 2 });
    await expect(
      reportDeployment(options({ url: 'ftp://example.com/run/1' }), ctx),
    ).rejects.toMatchObject({ exitCode: 2 });
    expect(asked).toEqual([]);
  });

  it("takes GitLab's environment and derives the id from the job", async () => {
    const { context: ctx, asked } = context({
      ciRun: {
        provider: 'gitlab-ci',
        runKey: 'acme/checkout:900:901',
        environment: 'production',
        url: 'https://gitlab.example.com/acme/checkout/-/jobs/901',
      },
    });
    const item = await reportDeployment(
      options({ env: undefined, id: undefined }),
      ctx,
    );
    expect(item).toMatchObject({
      id: 'gitlab-ci:acme/checkout:900:901:component:default/checkout-api:production',
      environment: 'production',
      url: 'https://gitlab.example.com/acme/checkout/-/jobs/901',
      sha: head,
      finishedAt: '2026-06-01T10:00:00.000Z',
      commits: [{ sha: head, committedAt: '2026-06-01T09:00:00+00:00' }],
      commitsComplete: false,
    });
    expect(asked).toEqual([
      '/deployments/base?entityRef=component%3Adefault%2Fcheckout-api&source=cli&id=gitlab-ci%3Aacme%2Fcheckout%3A900%3A901%3Acomponent%3Adefault%2Fcheckout-api%3Aproduction',
    ]);
  });

  it('asks for the base before the given finish time', async () => {
    const { context: ctx, asked } = context();
    await reportDeployment(
      options({ finishedAt: '2026-06-01T12:00:00+02:00' }),
      ctx,
    );
    expect(asked[0]).toContain('&before=2026-06-01T10%3A00%3A00.000Z');
  });
});
