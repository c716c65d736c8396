import { DEFAULT_DORA_OPTIONS } from '@devops-maturity/backstage-plugin-common';
import type { Commit } from '@devops-maturity/backstage-plugin-node';
import {
  createTestDatabases,
  createTestStore,
  databaseIds,
} from '../__testUtils__/databases';
import { DatabaseCommitHistory } from './commitHistory';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const REPO = 'acme/api';
const at = (minute: number) =>
  new Date(Date.UTC(2026, 10, 20, 10, minute)).toISOString();
const commit = (sha: string, minute: number) => ({
  sha,
  committedAt: at(minute),
});

describe.each(databaseIds(databases))(
  'change sets from the compare API on %p',
  databaseId => {
    async function setUp() {
      const { knex } = await createTestStore(databases, databaseId);
      const history = new DatabaseCommitHistory(
        knex,
        'github',
        DEFAULT_DORA_OPTIONS,
      );
      /** The ranges the provider was asked for, as `base...head`. */
      const asked: string[] = [];
      /** A provider that answers `answer` for whatever range it is asked. */
      const provider =
        (answer: Commit[] | undefined) =>
        async (range: { base: string; head: string }) => {
          asked.push(`${range.base}...${range.head}`);
          return answer;
        };
      const push = (before: string, commits: Commit[]) =>
        history.recordPush(REPO, {
          before,
          after: commits[commits.length - 1].sha,
          commits,
        });
      const deploy = (
        deploymentId: string,
        sha: string,
        minute: number,
        answer?: Commit[],
        environment = 'production',
      ) =>
        history.changeSet(
          REPO,
          { deploymentId, sha, environment, finishedAt: at(minute) },
          provider(answer),
        );
      return { asked, push, deploy, history };
    }

    it('asks for (previous production sha ... deployed sha) and takes the answer as complete', async () => {
      const { asked, push, deploy } = await setUp();
      await push('base', [commit('a', 1)]);
      // The first production deployment has nothing to compare with: the history answers.
      expect(await deploy('1', 'a', 10, [])).toEqual({
        commits: [commit('a', 1)],
        complete: false,
      });
      expect(asked).toEqual([]);
      // No push told of b and c; the provider did.
      expect(
        await deploy('2', 'c', 20, [commit('b', 11), commit('c', 12)]),
      ).toEqual({
        commits: [commit('b', 11), commit('c', 12)],
        complete: true,
      });
      expect(asked).toEqual(['a...c']);
      // Staging takes nothing and asks nothing: what it brings is unknown, not none.
      expect(await deploy('s', 'c', 21, [commit('x', 1)], 'staging')).toEqual({
        commits: [],
        complete: false,
      });
      expect(asked).toEqual(['a...c']);
    });

    it('records what the provider told, so a later walk through the history stops there', async () => {
      const { push, deploy, history } = await setUp();
      await push('base', [commit('a', 1)]);
      await deploy('1', 'a', 10);
      await deploy('2', 'c', 20, [commit('b', 11), commit('c', 12)]);
      await push('c', [commit('d', 21), commit('e', 22)]);
      // Without a provider (none configured, or it failed), the walk from e stops at c.
      expect(
        await history.changeSet(REPO, {
          deploymentId: '3',
          sha: 'e',
          environment: 'production',
          finishedAt: at(30),
        }),
      ).toEqual({
        commits: [commit('d', 21), commit('e', 22)],
        complete: true,
      });
    });

    it('compares a redelivery with the same base, and a late deployment with the one before it', async () => {
      const { asked, deploy } = await setUp();
      await deploy('1', 'a', 10, []);
      await deploy('3', 'c', 30, [commit('b', 11), commit('c', 12)]);
      await deploy('3', 'c', 30, [commit('b', 11), commit('c', 12)]);
      // Deployment 2 finished before 3 but arrives after it: it follows 1, not 3.
      expect(await deploy('2', 'b', 20, [commit('b', 11)])).toEqual({
        commits: [commit('b', 11)],
        complete: true,
      });
      // Deployments that finished in the same millisecond follow each other by id in bytes:
      // "B" (0x42) before "a" (0x61).
      await deploy('a', 'e', 40, []);
      await deploy('B', 'd', 40, []);
      await deploy('a', 'e', 40, []);
      expect(asked).toEqual([
        'a...c',
        'a...c',
        'a...b',
        'c...e',
        'c...d',
        'd...e',
      ]);
    });

    it('lets the history answer when the provider cannot tell, and asks nothing for a re-deploy', async () => {
      const { asked, push, deploy } = await setUp();
      await push('base', [commit('a', 1)]);
      await deploy('1', 'a', 10);
      await push('a', [commit('b', 11)]);
      expect(await deploy('2', 'b', 20, undefined)).toEqual({
        commits: [commit('b', 11)],
        complete: true,
      });
      expect(asked).toEqual(['a...b']);
      // The same sha again brings nothing, without asking.
      expect(await deploy('3', 'b', 30, [commit('zzz', 1)])).toEqual({
        commits: [],
        complete: true,
      });
      expect(asked).toEqual(['a...b']);
    });

    it('leaves out a commit the provider gave without a readable time, as partial', async () => {
      const { deploy } = await setUp();
      await deploy('1', 'a', 10, []);
      expect(
        await deploy('2', 'c', 20, [
          { sha: 'b', committedAt: 'yesterday' },
          commit('c', 12),
        ]),
      ).toEqual({ commits: [commit('c', 12)], complete: false });
    });
  },
);
