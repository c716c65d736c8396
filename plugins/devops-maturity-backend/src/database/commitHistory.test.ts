import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { DEFAULT_DORA_OPTIONS } from '@devops-maturity/backstage-plugin-common';
import {
  createTestDatabases,
  createTestStore,
  databaseIds,
} from '../__testUtils__/databases';
import { DatabaseCommitHistory } from './commitHistory';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const REPO = 'acme/api';
const ZERO = '0'.repeat(40);
const at = (minute: number) =>
  new Date(Date.UTC(2026, 10, 20, 10, minute)).toISOString();
const commit = (sha: string, minute: number) => ({
  sha,
  committedAt: at(minute),
});
const shas = (set: { commits: Array<{ sha: string }> }) =>
  set.commits.map(c => c.sha);

describe.each(databaseIds(databases))('commit history on %p', databaseId => {
  async function setUp(maxPerRepository?: number) {
    const { knex, stores } = await createTestStore(databases, databaseId);
    const history = new DatabaseCommitHistory(
      knex,
      'github',
      DEFAULT_DORA_OPTIONS,
      maxPerRepository,
    );
    /** A push of `commits` onto `before`, with the last as the new head. */
    const push = (
      before: string,
      commits: Array<{ sha: string; committedAt: string }>,
      linksToBefore = true,
    ) =>
      history.recordPush(REPO, {
        before,
        after: commits[commits.length - 1].sha,
        commits,
        linksToBefore,
      });
    const deploy = (
      deploymentId: string,
      sha: string,
      minute: number,
      environment = 'production',
    ) =>
      history.changeSet(REPO, {
        deploymentId,
        sha,
        environment,
        finishedAt: at(minute),
      });
    return { knex, stores, history, push, deploy };
  }

  it('brings the commits a sha contains that no earlier production deployment brought', async () => {
    const { push, deploy } = await setUp();
    await push('base', [commit('a', 1), commit('b', 2)]);
    await push('b', [commit('c', 3), commit('d', 4)]);

    // base was never seen: the first deployment cannot tell what else it brought.
    expect(await deploy('1', 'b', 10)).toEqual({
      commits: [commit('a', 1), commit('b', 2)],
      complete: false,
    });
    // Staging takes nothing, and leaves the commits to production; what it would have
    // brought is not worked out, so it is unknown rather than none.
    expect(await deploy('2', 'd', 11, 'staging')).toEqual({
      commits: [],
      complete: false,
    });
    expect(await deploy('3', 'd', 12)).toEqual({
      commits: [commit('c', 3), commit('d', 4)],
      complete: true,
    });
    // A re-deploy of a deployed sha brings nothing, and that is the whole truth.
    expect(await deploy('4', 'c', 13)).toEqual({ commits: [], complete: true });
    // A sha no push told of brings nothing we can measure.
    expect(await deploy('5', 'unknown', 14)).toEqual({
      commits: [],
      complete: false,
    });
  });

  it('never takes commits of a branch the deployed sha does not contain', async () => {
    const { push, deploy } = await setUp();
    await push('base', [commit('m1', 1)]);
    await deploy('1', 'm1', 5);
    // Two branches off m1; only "feature" is merged into main.
    await push(ZERO, [commit('f1', 6), commit('f2', 7)]);
    await push(ZERO, [commit('x1', 8)]);
    await push('m1', [commit('f1', 6), commit('f2', 7), commit('merge', 9)]);
    expect(await deploy('2', 'merge', 20)).toEqual({
      commits: [commit('f1', 6), commit('f2', 7), commit('merge', 9)],
      complete: true,
    });
    // The experiment, deployed later from its branch, knows nothing before x1.
    expect(await deploy('3', 'x1', 30)).toEqual({
      commits: [commit('x1', 8)],
      complete: false,
    });
  });

  it('gives a redelivered deployment the same commits, and a late one its own', async () => {
    const { push, deploy } = await setUp();
    await push('base', [commit('a', 1)]);
    await deploy('0', 'a', 2);
    await push('a', [commit('b', 3), commit('c', 4)]);
    // The deployment of c (finished at 20) arrives before the one of b (finished at 10).
    expect(shas(await deploy('later', 'c', 20))).toEqual(['b', 'c']);
    expect(await deploy('earlier', 'b', 10)).toEqual({
      commits: [commit('b', 3)],
      complete: true,
    });
    // Asked again (a redelivery), each keeps what is its own.
    expect(shas(await deploy('earlier', 'b', 10))).toEqual(['b']);
    expect(await deploy('later', 'c', 20)).toEqual({
      commits: [commit('c', 4)],
      complete: true,
    });
  });

  it('orders deployments that finished in the same millisecond by id, byte by byte', async () => {
    const { push, deploy } = await setUp();
    await push('base', [commit('a', 1)]);
    await deploy('0', 'a', 2);
    await push('a', [commit('b', 3)]);
    // "B" (0x42) sorts before "a" (0x61) in bytes, after it in most locales.
    expect(shas(await deploy('a-deploy', 'b', 10))).toEqual(['b']);
    expect(shas(await deploy('B-deploy', 'b', 10))).toEqual(['b']);
    expect(shas(await deploy('a-deploy', 'b', 10))).toEqual([]);
  });

  it('does not link a force push to the old head', async () => {
    const { push, deploy } = await setUp();
    await push('base', [commit('a', 1)]);
    await deploy('0', 'a', 2);
    await push('a', [commit('rewritten', 3)], false);
    expect(await deploy('1', 'rewritten', 10)).toEqual({
      commits: [commit('rewritten', 3)],
      complete: false,
    });
  });

  it("keeps each source's repositories apart", async () => {
    const { knex, push } = await setUp();
    await push('base', [commit('a', 1)]);
    const gitlab = new DatabaseCommitHistory(
      knex,
      'gitlab',
      DEFAULT_DORA_OPTIONS,
    );
    expect(
      await gitlab.changeSet(REPO, {
        deploymentId: '1',
        sha: 'a',
        environment: 'production',
        finishedAt: at(5),
      }),
    ).toEqual({ commits: [], complete: false });
  });

  it('skips commits without a readable time and keeps the newest commits per repository', async () => {
    const { push, deploy, knex } = await setUp(3);
    await push('base', [
      commit('a', 1),
      { sha: 'no-time', committedAt: 'yesterday' },
      commit('b', 2),
      commit('c', 3),
      commit('d', 4),
    ]);
    const [{ n }] = await knex('dm_commits').count({ n: '*' });
    expect(Number(n)).toBe(3);
    // a was forgotten, so what came before b is unknown.
    expect(await deploy('1', 'd', 10)).toEqual({
      commits: [commit('b', 2), commit('c', 3), commit('d', 4)],
      complete: false,
    });
  });

  it('moves pending commits over when migrating, and back', async () => {
    const { knex } = await setUp();
    const directory = resolvePackagePath(
      '@devops-maturity/backstage-plugin-backend',
      'migrations',
    );
    const toBefore = async () => {
      while (await knex.schema.hasTable('dm_commits'))
        await knex.migrate.down({ directory });
    };
    await toBefore();
    await knex('dm_pending_commits').insert([
      { source: 'github', repository: REPO, sha: 'a', committed_at: 1000 },
      { source: 'github', repository: REPO, sha: 'b', committed_at: 2000 },
    ]);
    await knex.migrate.latest({ directory });
    const history = new DatabaseCommitHistory(
      knex,
      'github',
      DEFAULT_DORA_OPTIONS,
    );
    // Their order was never known: a deployment of b brings b alone, partly known.
    expect(
      await history.changeSet(REPO, {
        deploymentId: '1',
        sha: 'b',
        environment: 'prod',
        finishedAt: at(0),
      }),
    ).toEqual({
      commits: [{ sha: 'b', committedAt: '1970-01-01T00:00:02.000Z' }],
      complete: false,
    });
    await toBefore();
    // What was not deployed yet is pending again.
    expect(
      (await knex('dm_pending_commits').select('sha')).map(r => r.sha),
    ).toEqual(['a']);
  });
});
