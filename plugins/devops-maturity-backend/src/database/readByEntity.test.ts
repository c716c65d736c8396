import { Knex } from 'knex';
import {
  computeDoraMetrics,
  DEFAULT_DORA_OPTIONS,
  DORA_2021,
} from '@devops-maturity/backstage-plugin-common';
import {
  createTestDatabases,
  createTestStore,
  databaseIds,
} from '../__testUtils__/databases';
import { deployment, incident } from '../__testUtils__/events';
import { readByEntity } from './readByEntity';
import { readFacts } from './readFacts';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const T0 = Date.parse('2026-06-01T00:00:00Z');
const H = 3_600_000;
const at = (hours: number) => new Date(T0 + hours * H).toISOString();
const window = { from: T0, to: T0 + 30 * 24 * H };

/** The longest answer (in rows) of any query `knex` runs from now on. */
function longestAnswer(knex: Knex) {
  const longest = { rows: 0 };
  knex.on('query-response', (response: unknown) => {
    if (Array.isArray(response))
      longest.rows = Math.max(longest.rows, response.length);
  });
  return longest;
}

/** Entity b: 7 deployments, two pairs finishing at the same instant; c: 2; a: none. */
async function seed(databaseId: Parameters<typeof createTestStore>[1]) {
  const { knex, store } = await createTestStore(databases, databaseId);
  const ref = (name: string) => `component:default/${name}`;
  const commits = (n: number) => [
    { sha: `${n}a`.padEnd(40, '0'), committedAt: at(n - 2) },
    { sha: `${n}b`.padEnd(40, '0'), committedAt: at(n - 1) },
  ];
  const hours = [1, 2, 2, 5, 8, 8, 9];
  await store.writeBatch(
    {
      deployments: [
        ...hours.map((h, n) =>
          deployment(`b${n}`, at(h), {
            entityRef: ref('b'),
            commits: commits(n + 10),
          }),
        ),
        deployment('c0', at(3), { entityRef: ref('c'), commits: commits(30) }),
        deployment('c1', at(4), { entityRef: ref('c'), commits: commits(31) }),
      ],
      incidents: [
        incident('i', at(6), {
          entityRef: ref('b'),
          resolvedAt: at(7),
        }),
      ],
      unmatched: [],
    },
    DEFAULT_DORA_OPTIONS,
  );
  return { knex, refs: ['a', 'b', 'c'].map(ref) };
}

describe.each(databaseIds(databases))('readByEntity on %p', databaseId => {
  it('reads what one query reads, in pages of bounded size on SQLite', async () => {
    const { knex, refs } = await seed(databaseId);
    const query = () =>
      knex('dm_deployments').select('pk', 'entity_ref', 'finished_at');
    const byPk = (rows: Array<Record<string, unknown>>) =>
      [...rows].sort((x, y) => Number(x.pk) - Number(y.pk));
    const whole = await query().whereIn('entity_ref', refs);
    // On SQLite the first query of several entities may answer a page and one row more; on
    // PostgreSQL everything is one query.
    const largestAnswer = databaseId.startsWith('SQLITE') ? 4 : whole.length;

    for (const asked of [refs, [refs[1]]]) {
      const longest = longestAnswer(knex);
      const paged = await readByEntity(
        knex,
        asked,
        'entity_ref',
        query,
        [
          { column: 'finished_at', field: 'finished_at' },
          { column: 'pk', field: 'pk' },
        ],
        3,
      );
      expect(byPk(paged)).toEqual(
        byPk(whole.filter(r => asked.includes(r.entity_ref))),
      );
      expect(longest.rows).toBeGreaterThan(0);
      expect(longest.rows).toBeLessThanOrEqual(largestAnswer);
      knex.removeAllListeners('query-response');
    }
  });

  it('gives readFacts the same metrics whatever the page size', async () => {
    const { knex, refs } = await seed(databaseId);
    const paged = await readFacts(knex, refs, window, 2);
    const whole = await readFacts(knex, refs, window);
    for (const ref of refs) {
      expect(computeDoraMetrics(paged.get(ref)!, window, DORA_2021)).toEqual(
        computeDoraMetrics(whole.get(ref)!, window, DORA_2021),
      );
    }
    expect(paged.get(refs[1])!.changes).toHaveLength(14);
    expect(paged.get(refs[1])!.deployments.filter(d => d.failed)).toHaveLength(
      1,
    );
  });
});
