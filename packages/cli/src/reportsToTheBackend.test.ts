import { execFile } from 'node:child_process';
import { join } from 'node:path';
import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import devopsMaturityPlugin from '@devops-maturity/backstage-plugin-backend';
import { TestRepo } from './__testUtils__/gitRepo';

jest.setTimeout(120_000);

const PUSH_ONLY = 'push-only-token-for-ci-0123456789';
const READ_ONLY = 'read-only-token-for-checks-0123456789';
const BIN = join(__dirname, '..', 'bin', 'devops-maturity');
const ENTITY = 'component:default/checkout-api';

/** The CLI as a pipeline runs it: its own process, its environment, its exit code. */
function cli(
  args: string[],
  options: { cwd: string; env?: Record<string, string>; url: string },
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise(resolve => {
    execFile(
      process.execPath,
      [BIN, ...args],
      {
        cwd: options.cwd,
        // Only what a pipeline step would have: no CI variables of the machine running the test.
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '/tmp',
          DEVOPS_MATURITY_URL: options.url,
          DEVOPS_MATURITY_TOKEN: PUSH_ONLY,
          ...options.env,
        },
      },
      (error, stdout, stderr) =>
        resolve({
          code: error ? Number(error.code ?? 1) : 0,
          stdout: String(stdout),
          stderr: String(stderr),
        }),
    );
  });
}

const HOUR = 3600;

/**
 * The command reports to the real backend plugin (in Backstage's test backend, with the real
 * auth, httpAuth and permission services and a push-only static token as the README sets up
 * for CI), from a git repository this test makes with commits at known times.
 */
describe('the devops-maturity command, against the real backend', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  const repos: TestRepo[] = [];
  let url: string;
  let repo: TestRepo;
  let stop: () => Promise<void>;
  const c: Record<string, string> = {};

  beforeAll(async () => {
    const { server } = await startTestBackend({
      features: [
        devopsMaturityPlugin,
        catalogServiceMock.factory({
          entities: [
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Group',
              metadata: { name: 'team-checkout', namespace: 'default' },
              spec: { type: 'team', children: [] },
            },
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Component',
              metadata: { name: 'checkout-api', namespace: 'default' },
              spec: {
                type: 'service',
                lifecycle: 'production',
                owner: 'team-checkout',
              },
              relations: [
                { type: 'ownedBy', targetRef: 'group:default/team-checkout' },
              ],
            },
          ],
        }),
        mockServices.database.factory({
          knex: await databases.init('SQLITE_3'),
        }),
        mockServices.scheduler.factory({
          includeInitialDelayedTasksOnStartup: true,
        }),
        mockServices.rootConfig.factory({
          data: {
            backend: {
              baseUrl: 'http://localhost:7007',
              auth: {
                externalAccess: [
                  {
                    type: 'static',
                    options: { token: PUSH_ONLY, subject: 'ci' },
                    accessRestrictions: [
                      {
                        plugin: 'devops-maturity',
                        permission: 'devops-maturity.events.create',
                      },
                    ],
                  },
                  {
                    type: 'static',
                    options: { token: READ_ONLY, subject: 'checks' },
                    accessRestrictions: [
                      {
                        plugin: 'devops-maturity',
                        permission: 'devops-maturity.scorecard.read',
                      },
                    ],
                  },
                ],
              },
            },
            permission: { enabled: true },
            devopsMaturity: {
              catalog: {
                schedule: {
                  frequency: { hours: 1 },
                  timeout: { minutes: 1 },
                  initialDelay: { seconds: 0 },
                },
              },
            },
          },
        }),
        authServiceFactory,
        httpAuthServiceFactory,
        permissionsServiceFactory,
      ],
    });
    url = `http://localhost:${server.port()}`;
    stop = () => new Promise(resolve => server.close(() => resolve()));

    // main: c1 - c2 | c3 - c4 (f1 on a feature branch off c3) | c5 | c6
    repo = new TestRepo();
    repos.push(repo);
    c.c1 = repo.commit('c1', '2026-06-01T08:00:00Z');
    c.c2 = repo.commit('c2', '2026-06-01T10:00:00Z');
  });

  afterAll(async () => {
    await stop?.();
    repos.forEach(r => r.remove());
  });

  async function dora() {
    const response = await fetch(
      `${url}/api/devops-maturity/entities/component/default/checkout-api/dora?from=2026-06-01T00:00:00Z&to=2026-06-05T00:00:00Z`,
      { headers: { authorization: `Bearer ${READ_ONLY}` } },
    );
    expect(response.status).toBe(200);
    return response.json();
  }

  async function deployments() {
    const response = await fetch(
      `${url}/api/devops-maturity/entities/component/default/checkout-api/deployments?limit=50`,
      { headers: { authorization: `Bearer ${READ_ONLY}` } },
    );
    expect(response.status).toBe(200);
    return (await response.json()).items;
  }

  const GITHUB_RUN = {
    GITHUB_ACTIONS: 'true',
    GITHUB_REPOSITORY: 'acme/checkout-api',
    GITHUB_RUN_ID: '4711',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_JOB: 'deploy',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_ACTOR: 'octocat',
  };

  it('reports the first production deployment with the deployed commit alone, as partial coverage', async () => {
    const first = await cli(
      [
        'deployment',
        '--entity',
        ENTITY,
        '--env',
        'production',
        '--id',
        'deploy-1',
        '--finished-at',
        '2026-06-01T12:00:00Z',
      ],
      { cwd: repo.dir, url },
    );
    expect(first.stderr).toContain(
      'no earlier successful production deployment of component:default/checkout-api is stored',
    );
    expect(first.stdout.trim()).toBe(
      `deployment deploy-1 of ${ENTITY}: stored`,
    );
    expect(first.code).toBe(0);
    const [stored] = await deployments();
    expect(stored).toMatchObject({
      id: 'deploy-1',
      source: 'cli',
      sha: c.c2,
      commitsComplete: false,
    });
  });

  it('gives a staging deployment the commits since the last production one, and never a feature branch', async () => {
    c.c3 = repo.commit('c3', '2026-06-02T09:00:00Z');
    repo.git('checkout', '--quiet', '-b', 'feature');
    c.f1 = repo.commit('f1', '2026-06-02T09:30:00Z');
    repo.git('checkout', '--quiet', 'main');
    c.c4 = repo.commit('c4', '2026-06-02T10:00:00Z');
    const staging = await cli(
      [
        'deployment',
        '--entity',
        ENTITY,
        '--env',
        'staging',
        '--id',
        'stage-1',
        '--finished-at',
        '2026-06-02T11:00:00Z',
      ],
      { cwd: repo.dir, url },
    );
    expect(staging.code).toBe(0);
    const listed = (await deployments()).find((d: any) => d.id === 'stage-1');
    expect(listed.commits.map((x: any) => x.sha)).toEqual([c.c4, c.c3]);
  });

  it('gives the second production deployment every commit since the first: the hand-worked lead times', async () => {
    c.c5 = repo.commit('c5', '2026-06-03T08:00:00Z');
    const second = await cli(
      [
        'deployment',
        '--entity',
        ENTITY,
        '--env',
        'production',
        '--finished-at',
        '2026-06-03T10:00:00Z',
        '--version',
        '1.2.0',
      ],
      { cwd: repo.dir, url, env: GITHUB_RUN },
    );
    expect(second.stderr).toContain(
      `changes since the previous production deployment deploy-1 (${c.c2.slice(
        0,
        12,
      )}`,
    );
    expect(second.code).toBe(0);
    const listed = (await deployments()).find((d: any) =>
      d.id.startsWith('github-actions:'),
    );
    expect(listed).toMatchObject({
      id: `github-actions:acme/checkout-api:4711:1:deploy:${ENTITY}:production`,
      sha: c.c5,
      version: '1.2.0',
      url: 'https://github.com/acme/checkout-api/actions/runs/4711',
      actor: 'octocat',
      commitsComplete: true,
    });
    expect(listed.commits.map((x: any) => x.sha)).toEqual([c.c5, c.c4, c.c3]);

    // By hand: c2 2 h (first deployment, 12:00 - 10:00); c3 25 h, c4 24 h and c5 2 h (the
    // second, 3 June 10:00). Sorted 2, 2, 24, 25 h: median (2 + 24) / 2 = 13 h; p90 at
    // 0.9 x 3 = 2.7 between 24 and 25 h = 24.7 h. One of two deployments told every change.
    const { leadTime } = await dora();
    expect(leadTime).toMatchObject({
      changes: 4,
      deployments: 2,
      completeDeployments: 1,
      medianSeconds: 13 * HOUR,
      p90Seconds: 24.7 * HOUR,
    });
  });

  it('changes nothing when the step is retried: same id, the stored times, the same commits', async () => {
    const before = { dora: await dora(), deployments: await deployments() };
    // No --finished-at: a retry an hour later still reports the deployment's stored time.
    const retry = await cli(
      [
        'deployment',
        '--entity',
        ENTITY,
        '--env',
        'production',
        '--version',
        '1.2.0',
      ],
      { cwd: repo.dir, url, env: GITHUB_RUN },
    );
    expect(retry.stderr).toContain('was reported before');
    expect(retry.stdout).toContain(': updated (reported before)');
    expect(retry.code).toBe(0);
    expect({ dora: await dora(), deployments: await deployments() }).toEqual(
      before,
    );
  });

  it('sends what a shallow clone that cannot be deepened has, marked partial, and warns', async () => {
    c.c6 = repo.commit('c6', '2026-06-04T08:00:00Z');
    const clone = repo.shallowClone(1);
    repos.push(clone);
    clone.git('remote', 'set-url', 'origin', `file://${clone.dir}-unreachable`);
    const third = await cli(
      [
        'deployment',
        '--entity',
        ENTITY,
        '--env',
        'production',
        '--id',
        'deploy-3',
        '--finished-at',
        '2026-06-04T09:00:00Z',
      ],
      { cwd: clone.dir, url },
    );
    expect(third.stderr).toContain('could not deepen the shallow clone');
    expect(third.stderr).toContain(
      'the commit list may be incomplete; the deployment counts as partial lead-time coverage',
    );
    expect(third.code).toBe(0);
    // c6 adds 1 h: sorted 1, 2, 2, 24, 25 h, median 2 h, p90 at 3.6 = 24.6 h.
    expect((await dora()).leadTime).toMatchObject({
      changes: 5,
      deployments: 3,
      completeDeployments: 1,
      medianSeconds: 2 * HOUR,
      p90Seconds: 24.6 * HOUR,
    });
  });

  it('deepens a shallow clone it can reach, and then the list is complete', async () => {
    c.c7 = repo.commit('c7', '2026-06-04T10:00:00Z');
    c.c8 = repo.commit('c8', '2026-06-04T11:00:00Z');
    const clone = repo.shallowClone(1);
    repos.push(clone);
    const fourth = await cli(
      [
        'deployment',
        '--entity',
        ENTITY,
        '--env',
        'production',
        '--id',
        'deploy-4',
        '--finished-at',
        '2026-06-04T12:00:00Z',
      ],
      { cwd: clone.dir, url },
    );
    expect(fourth.stderr).toContain('deepened the shallow clone');
    expect(fourth.code).toBe(0);
    const listed = (await deployments()).find((d: any) => d.id === 'deploy-4');
    expect(listed.commits.map((x: any) => x.sha)).toEqual([c.c8, c.c7]);
    expect(listed.commitsComplete).toBe(true);
  });

  it('exits 3 on a refusal, 2 on a usage error, and prints without sending on --dry-run', async () => {
    const refused = await cli(
      ['deployment', '--entity', ENTITY, '--env', 'production', '--id', 'x'],
      { cwd: repo.dir, url, env: { DEVOPS_MATURITY_TOKEN: READ_ONLY } },
    );
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('403');
    const usage = await cli(
      ['deployment', '--entity', ENTITY, '--env', 'production'],
      { cwd: repo.dir, url },
    );
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain(
      '--id: not in a CI system the command knows',
    );
    const countBefore = (await deployments()).length;
    const dry = await cli(
      [
        'deployment',
        '--entity',
        ENTITY,
        '--env',
        'production',
        '--id',
        'dry-1',
        '--finished-at',
        '2026-06-05T12:00:00Z',
        '--dry-run',
      ],
      { cwd: repo.dir, url },
    );
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout).items[0]).toMatchObject({
      id: 'dry-1',
      sha: c.c8,
      commits: [],
    });
    expect((await deployments()).length).toBe(countBefore);
  });

  it('opens and resolves an incident; a resolve keeps what the open said, a retried open does not reopen', async () => {
    const args = ['--id', 'INC-9', '--entity', ENTITY];
    const opened = await cli(
      [
        'incident',
        'open',
        ...args,
        '--opened-at',
        '2026-06-04T12:30:00Z',
        '--severity',
        'SEV2',
        '--title',
        'Checkout errors',
        '--deployment-id',
        'deploy-4',
      ],
      { cwd: repo.dir, url },
    );
    expect(opened.stdout.trim()).toBe(`incident INC-9 of ${ENTITY}: stored`);
    expect(opened.code).toBe(0);
    const resolved = await cli(
      [
        'incident',
        'resolve',
        ...args,
        '--resolved-at',
        '2026-06-04T14:00:00+00:00',
        '--postmortem-url',
        'https://wiki.example.com/pm/INC-9',
      ],
      { cwd: repo.dir, url },
    );
    expect(resolved.code).toBe(0);
    const reopened = await cli(['incident', 'open', ...args], {
      cwd: repo.dir,
      url,
    });
    expect(reopened.stderr).toContain('not reopening it');
    expect(reopened.code).toBe(0);

    const response = await fetch(
      `${url}/api/devops-maturity/entities/component/default/checkout-api/incidents`,
      { headers: { authorization: `Bearer ${READ_ONLY}` } },
    );
    const [incident] = (await response.json()).items;
    expect(incident).toMatchObject({
      id: 'INC-9',
      openedAt: '2026-06-04T12:30:00.000Z',
      resolvedAt: '2026-06-04T14:00:00.000Z',
      severity: 'SEV2',
      title: 'Checkout errors',
      postmortemUrl: 'https://wiki.example.com/pm/INC-9',
      causeDeployment: { source: 'cli', id: 'deploy-4' },
    });
    // By hand: restored in 1 h 30 min; deploy-4 failed, 1 of the window's 4 deployments.
    const { timeToRestore, changeFailureRate } = await dora();
    expect(timeToRestore).toMatchObject({
      restoredIncidents: 1,
      medianSeconds: 1.5 * HOUR,
    });
    expect(changeFailureRate).toMatchObject({
      failedDeployments: 1,
      deployments: 4,
      value: 0.25,
    });
  });

  it('refuses to resolve an incident it never saw opened without --opened-at', async () => {
    const orphan = await cli(
      ['incident', 'resolve', '--id', 'INC-404', '--entity', ENTITY],
      { cwd: repo.dir, url },
    );
    expect(orphan.code).toBe(2);
    expect(orphan.stderr).toContain(
      '--opened-at: incident INC-404 of component:default/checkout-api is not stored',
    );
  });
});
