import { createTestDatabases, databaseIds } from '../__testUtils__/databases';
import { DatabaseDoraStore } from './DatabaseDoraStore';
import { addPendingCommits } from './pendingCommits';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const commit = (sha: string, minute = 0) => ({
  sha,
  committedAt: new Date(Date.UTC(2026, 10, 20, 10, minute)).toISOString(),
});
const shas = (commits: Array<{ sha: string }>) => commits.map(c => c.sha);

describe.each(databaseIds(databases))('pending commits on %p', databaseId => {
  async function setUp() {
    const knex = await databases.init(databaseId);
    const store = await DatabaseDoraStore.create({
      database: { getClient: async () => knex, migrations: { skip: false } },
    });
    return { knex, store };
  }

  it('hands a deployment of sha X every commit pushed up to X, once, in push order', async () => {
    const { store } = await setUp();
    const github = store.pendingCommits('github');
    await github.add('acme/api', [commit('a', 1), commit('b', 2)]);
    // A later push resending b (e.g. a force-push) does not move it behind c.
    await github.add('acme/api', [commit('b', 2), commit('c', 3)]);
    await github.add('acme/web', [commit('w', 4)]);

    expect(await github.takeUpTo('acme/api', 'unknown')).toEqual([]);
    expect(await github.takeUpTo('acme/api', 'b')).toEqual([
      { sha: 'a', committedAt: '2026-11-20T10:01:00.000Z' },
      { sha: 'b', committedAt: '2026-11-20T10:02:00.000Z' },
    ]);
    // Taken once: a redeploy of b reports nothing new.
    expect(await github.takeUpTo('acme/api', 'b')).toEqual([]);
    expect(shas(await github.takeUpTo('acme/api', 'c'))).toEqual(['c']);
    expect(shas(await github.takeUpTo('acme/web', 'w'))).toEqual(['w']);
  });

  it("keeps each source's repositories apart", async () => {
    const { store } = await setUp();
    await store.pendingCommits('github').add('acme/api', [commit('a')]);
    expect(
      await store.pendingCommits('gitlab').takeUpTo('acme/api', 'a'),
    ).toEqual([]);
    expect(
      shas(await store.pendingCommits('github').takeUpTo('acme/api', 'a')),
    ).toEqual(['a']);
  });

  it('skips commits without a readable time and keeps the newest commits per repository', async () => {
    const { store, knex } = await setUp();
    await addPendingCommits(
      knex,
      'github',
      'acme/api',
      [
        commit('a', 1),
        { sha: 'no-time', committedAt: 'yesterday' },
        commit('b', 2),
        commit('c', 3),
        commit('d', 4),
      ],
      3,
    );
    const github = store.pendingCommits('github');
    expect(await github.takeUpTo('acme/api', 'no-time')).toEqual([]);
    expect(await github.takeUpTo('acme/api', 'a')).toEqual([]); // dropped, oldest
    expect(shas(await github.takeUpTo('acme/api', 'd'))).toEqual([
      'b',
      'c',
      'd',
    ]);
  });
});
