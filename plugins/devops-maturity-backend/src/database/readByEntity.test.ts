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
import { at, deployment, H, incident, T0 } from '../__testUtils__/events';
import { readByEntity } from './readByEntity';
import { readFacts } from './readFacts';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const window = { from: T0, to: T0 + 30 * 24 * H };

/** The deployments' times, read by the entity-time index's order. */
const deploymentTimes = (k: Knex) =>
  k('dm_deployments').select('pk', 'finished_at');

/** Visits the deployments' times of `refs` through readByEntity, in pages of `pageRows`. */
const readDeploymentTimes = (
  knex: Knex,
  refs: string[],
  visit: (entityRef: string, row: Record<string, unknown>) => void,
  pageRows: number,
) =>
  readByEntity<Record<string, unknown>>(
    knex,
    refs,
    'entity_ref',
    deploymentTimes,
    [
      { column: 'finished_at', field: 'finished_at' },
      { column: 'pk', field: 'pk' },
    ],
    visit,
    pageRows,
  );

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
  const { knex, stores } = await createTestStore(databases, databaseId);
  const ref = (name: string) => `component:default/${name}`;
  const commits = (n: number) => [
    { sha: `${n}a`.padEnd(40, '0'), committedAt: at(n - 2) },
    { sha: `${n}b`.padEnd(40, '0'), committedAt: at(n - 1) },
  ];
  const hours = [1, 2, 2, 5, 8, 8, 9];
  await stores.events.writeBatch(
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
  return { knex, stores, refs: ['a', 'b', 'c'].map(ref) };
}

describe.each(databaseIds(databases))('readByEntity on %p', databaseId => {
  it('reads what one query reads, in pages of bounded size on SQLite', async () => {
    const { knex, refs } = await seed(databaseId);
    const byPk = (rows: Array<Record<string, unknown>>) =>
      [...rows].sort((x, y) => Number(x.pk) - Number(y.pk));
    const whole = await deploymentTimes(knex)
      .select('entity_ref')
      .whereIn('entity_ref', refs);
    // On SQLite the first query of several entities may answer a page and one row more; on
    // PostgreSQL everything is one query.
    const largestAnswer = databaseId.startsWith('SQLITE') ? 4 : whole.length;

    for (const asked of [refs, [refs[1]]]) {
      const longest = longestAnswer(knex);
      const paged: Array<Record<string, unknown>> = [];
      await readDeploymentTimes(
        knex,
        asked,
        (entityRef, row) =>
          paged.push({
            pk: row.pk,
            finished_at: row.finished_at,
            entity_ref: entityRef,
          }),
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

  /** Stores `rows` deployments for each of these entities; counts the queries run from then. */
  async function storeDeployments(rowsOf: Array<[name: string, rows: number]>) {
    const { knex, stores } = await createTestStore(databases, databaseId);
    await stores.events.writeBatch(
      {
        deployments: rowsOf.flatMap(([name, rows]) =>
          Array.from({ length: rows }, (_, i) =>
            deployment(`${name}-${i}`, at(1 + i), {
              entityRef: `component:default/${name}`,
            }),
          ),
        ),
        incidents: [],
        unmatched: [],
      },
      DEFAULT_DORA_OPTIONS,
    );
    const counted = { queries: 0 };
    knex.on('query', () => {
      counted.queries += 1;
    });
    return { knex, counted };
  }

  it('reads many small entities whose answer overflows a page in parts, not one by one', async () => {
    const names = Array.from({ length: 30 }, (_, i) => `s${i}`);
    const { knex, counted } = await storeDeployments(
      names.map(name => [name, 1]),
    );
    const refs = names.map(name => `component:default/${name}`);
    const read: string[] = [];
    await readDeploymentTimes(knex, refs, entityRef => read.push(entityRef), 8);
    knex.removeAllListeners('query');
    expect(read.sort()).toEqual([...refs].sort());
    // SQLite: 30 rows overflow a page of 8; the first query reached 9 entities, so parts of 8
    // follow: 8, 8, 8 and 6 entities, 5 queries (in halves, 7; entity by entity, 31).
    // PostgreSQL: one query.
    expect(counted.queries).toBe(databaseId.startsWith('SQLITE') ? 5 : 1);
  });

  it('reads an entity that fills a page on its own alone, and the others in parts', async () => {
    // `a` sorts first, so SQLite's first query reaches it alone.
    const { knex, counted } = await storeDeployments([
      ['a', 12],
      ...Array.from({ length: 12 }, (_, i): [string, number] => [`s${i}`, 1]),
    ]);
    const read: string[] = [];
    await readDeploymentTimes(
      knex,
      ['a', ...Array.from({ length: 12 }, (_, i) => `s${i}`)].map(
        name => `component:default/${name}`,
      ),
      entityRef => read.push(entityRef),
      8,
    );
    knex.removeAllListeners('query');
    expect(read.filter(ref => ref === 'component:default/a')).toHaveLength(12);
    expect(read).toHaveLength(24);
    // SQLite: the first query (9 rows, all of a); a alone: its first page, then its two pages
    // in a transaction (BEGIN and COMMIT are queries too); the 12 others in halves, 6 rows
    // each. 8 queries; when a was not set apart, 13.
    expect(counted.queries).toBe(databaseId.startsWith('SQLITE') ? 8 : 1);
  });

  it('lets the event loop turn between pages, or slices of one answer', async () => {
    const { knex, refs } = await seed(databaseId);
    let turns = 0;
    let ticking = true;
    const tick = () => {
      turns += 1;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const turnOfEachRow: number[] = [];
    try {
      await readDeploymentTimes(knex, refs, () => turnOfEachRow.push(turns), 2);
    } finally {
      ticking = false;
    }
    // 9 rows, at most 2 between two turns
    expect(turnOfEachRow).toHaveLength(9);
    for (const turn of new Set(turnOfEachRow)) {
      expect(turnOfEachRow.filter(t => t === turn).length).toBeLessThanOrEqual(
        2,
      );
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

  it("reads one snapshot though a write lands between readFacts' pages", async () => {
    const { knex, stores, refs } = await seed(databaseId);
    // The first deployment of b, resent finished later: it moves from the first page of the
    // deployments to the last. The write is sent as the second page is read (on SQLite,
    // where b's pages are read in a transaction; on PostgreSQL, as the one query is).
    const moved = deployment('b0', at(20), {
      entityRef: refs[1],
      commits: [],
    });
    let write: Promise<unknown> | undefined;
    const sendWrite = (q: { sql: string }) => {
      if (
        !write &&
        /from [`"]dm_deployments[`"] as [`"]d[`"]/i.test(q.sql) &&
        (!databaseId.startsWith('SQLITE') || /\) > \(/.test(q.sql))
      ) {
        write = stores.events.writeBatch(
          { deployments: [moved], incidents: [], unmatched: [] },
          DEFAULT_DORA_OPTIONS,
        );
      }
    };
    knex.on('query', sendWrite);
    const facts = await readFacts(knex, [refs[1]], window, 2);
    knex.off('query', sendWrite);
    await write;

    const finished = (f: typeof facts) =>
      f.get(refs[1])!.deployments.map(d => (d.finishedAt - T0) / H);
    // Before the write or after it, never a mix: b0 neither read twice nor missed.
    expect([
      [1, 2, 2, 5, 8, 8, 9],
      [2, 2, 5, 8, 8, 9, 20],
    ]).toContainEqual(finished(facts).sort((x, y) => x - y));
    // The write did move it.
    expect(
      finished(await readFacts(knex, [refs[1]], window)).sort((x, y) => x - y),
    ).toEqual([2, 2, 5, 8, 8, 9, 20]);
  });
});
