import { Knex } from 'knex';
import {
  DEFAULT_DORA_OPTIONS,
  DeploymentEvent,
} from '@devops-maturity/backstage-plugin-common';
import {
  createTestDatabases,
  createTestStore,
  databaseIds,
} from '../__testUtils__/databases';
import { at, deployment, ENTITY, T0 } from '../__testUtils__/events';
import { DoraStores } from './openStores';
import { isSqlite } from './util';
import { DeploymentBaseQuery, MirroredEntity } from './types';

jest.setTimeout(120_000);

const databases = createTestDatabases();
const OTHER = 'component:default/b';

const entity = (entityRef: string): MirroredEntity => ({
  entityRef,
  kind: 'Component',
  namespace: 'default',
  name: entityRef.split('/')[1],
  identities: [],
});

/** A deployment a pipeline reported with the `cli` source. */
const cli = (id: string, hours: number, extra: Partial<DeploymentEvent> = {}) =>
  deployment(id, at(hours), { source: 'cli', ...extra });

const write = (stores: DoraStores, deployments: DeploymentEvent[]) =>
  stores.events.writeBatch(
    { deployments, incidents: [], unmatched: [] },
    DEFAULT_DORA_OPTIONS,
  );

/** The previous deployment's source and id, and its sha. */
async function previousOf(
  stores: DoraStores,
  query: Partial<DeploymentBaseQuery>,
) {
  const { previous } = await stores.events.deploymentBase({
    entityRef: ENTITY,
    source: 'cli',
    ...query,
  });
  return previous && `${previous.source}/${previous.id}@${previous.sha}`;
}

describe.each(databaseIds(databases))('deploymentBase on %p', databaseId => {
  let stores: DoraStores;
  beforeEach(async () => {
    ({ stores } = await createTestStore(databases, databaseId));
    await stores.catalog.replaceCatalog([entity(ENTITY), entity(OTHER)], []);
    await write(stores, [
      cli('d1', 1, { sha: 's1', version: 'v1', startedAt: at(0.5) }),
      cli('d2', 2), // sent without a sha
      cli('d6', 6, { sha: 's6' }),
      // later, but none of them counts for the entity
      cli('staging', 7, { environment: 'staging', sha: 'st' }),
      cli('failed', 8, { status: 'failure', sha: 'fa' }),
      cli('other', 9, { entityRef: OTHER, sha: 'ot' }),
    ]);
  });

  it("answers the entity's latest successful production deployment, with what it deployed", async () => {
    expect(
      await stores.events.deploymentBase({ entityRef: ENTITY, source: 'cli' }),
    ).toEqual({
      entityRef: ENTITY,
      previous: {
        source: 'cli',
        id: 'd6',
        environment: 'production',
        sha: 's6',
        finishedAt: at(6),
      },
      stored: null,
    });
    // A deployment not stored yet starts from the latest too.
    expect(await previousOf(stores, { id: 'd7' })).toBe('cli/d6@s6');
  });

  it('never answers the deployment asked about, and says null for a deployment sent without a sha', async () => {
    expect(
      await previousOf(stores, { id: 'd6', before: Date.parse(at(10)) }),
    ).toBe('cli/d2@null');
    // The same id from another source is another deployment.
    expect(
      await previousOf(stores, {
        id: 'd6',
        source: 'api',
        before: Date.parse(at(10)),
      }),
    ).toBe('cli/d6@s6');
  });

  it("starts before the stored copy's finish time, and answers that copy for a retry", async () => {
    expect(
      await stores.events.deploymentBase({
        entityRef: ENTITY,
        source: 'cli',
        id: 'd2',
      }),
    ).toEqual({
      entityRef: ENTITY,
      previous: {
        source: 'cli',
        id: 'd1',
        environment: 'production',
        sha: 's1',
        version: 'v1',
        startedAt: at(0.5),
        finishedAt: at(1),
      },
      stored: {
        environment: 'production',
        status: 'success',
        sha: null,
        finishedAt: at(2),
      },
    });
    // A stored copy that does not count still bounds its base and is answered.
    expect(
      await stores.events.deploymentBase({
        entityRef: ENTITY,
        source: 'cli',
        id: 'failed',
      }),
    ).toMatchObject({
      previous: { id: 'd6' },
      stored: { status: 'failure', sha: 'fa', finishedAt: at(8) },
    });
    expect(await previousOf(stores, { id: 'd1' })).toBeNull();
  });

  it('starts before `before` when given, the id breaking a tie', async () => {
    expect(await previousOf(stores, { before: Date.parse(at(5)) })).toBe(
      'cli/d2@null',
    );
    // Without an id, only what finished strictly earlier.
    expect(await previousOf(stores, { before: Date.parse(at(2)) })).toBe(
      'cli/d1@s1',
    );
    // With one, what finished at the same time and sorts before it.
    expect(
      await previousOf(stores, { id: 'd3', before: Date.parse(at(2)) }),
    ).toBe('cli/d2@null');
    expect(
      await previousOf(stores, { id: 'a', before: Date.parse(at(2)) }),
    ).toBe('cli/d1@s1');
    // `before` wins over the stored copy's time.
    expect(
      await previousOf(stores, { id: 'd2', before: Date.parse(at(10)) }),
    ).toBe('cli/d6@s6');
    expect(await previousOf(stores, { before: Date.parse(at(1)) })).toBeNull();
  });

  it('orders deployments of the same millisecond by source, then id, in byte order', async () => {
    // In byte order `B` < `a`; a locale's collation would put `a` first.
    await write(stores, [
      cli('a', 20, { sha: 'sa' }),
      cli('B', 20, { sha: 'sB' }),
      deployment('z', at(20), { source: 'api', sha: 'sz' }),
    ]);
    expect(await previousOf(stores, {})).toBe('cli/a@sa');
    expect(await previousOf(stores, { id: 'a' })).toBe('cli/B@sB');
    expect(await previousOf(stores, { id: 'B' })).toBe('api/z@sz');
    expect(await previousOf(stores, { id: 'z', source: 'api' })).toBe(
      'cli/d6@s6',
    );
  });

  it('answers nothing for an entity the catalog does not have, even one that left with deployments', async () => {
    const nobody = 'component:default/nobody';
    expect(
      await stores.events.deploymentBase({
        entityRef: nobody,
        source: 'cli',
        id: 'x',
      }),
    ).toEqual({ entityRef: nobody, previous: null, stored: null });
    expect(
      await stores.events.deploymentBase({ entityRef: OTHER, source: 'cli' }),
    ).toMatchObject({ previous: { id: 'other' } });
    await stores.catalog.replaceCatalog([entity(ENTITY)], []);
    expect(
      await stores.events.deploymentBase({
        entityRef: OTHER,
        source: 'cli',
        id: 'other',
      }),
    ).toEqual({ entityRef: OTHER, previous: null, stored: null });
  });

  it("answers no stored copy of another entity's deployment", async () => {
    expect(
      await stores.events.deploymentBase({
        entityRef: ENTITY,
        source: 'cli',
        id: 'other',
      }),
    ).toMatchObject({ previous: { id: 'd6' }, stored: null });
  });

  it('keeps the sha of the latest copy', async () => {
    await write(stores, [cli('d6', 6, { sha: 's6-amended' })]);
    expect(await previousOf(stores, {})).toBe('cli/d6@s6-amended');
    const listed = (
      await stores.events.listDeployments(ENTITY, { limit: 10, offset: 0 })
    ).items;
    expect(listed.find(d => d.id === 'd6')?.sha).toBe('s6-amended');
    // A copy without one says the sender no longer tells: none is kept.
    await write(stores, [cli('d6', 6)]);
    expect(await previousOf(stores, {})).toBe('cli/d6@null');
  });
});

/** The SELECTs `fn` sends through knex. */
async function selectsOf(knex: Knex, fn: () => Promise<unknown>) {
  const queries: Array<{ sql: string; bindings: unknown[] }> = [];
  const listener = (q: { sql: string; bindings?: unknown[] }) => {
    if (/^\s*select/i.test(q.sql))
      queries.push({ sql: q.sql, bindings: q.bindings ?? [] });
  };
  knex.on('query', listener);
  try {
    await fn();
  } finally {
    knex.off('query', listener);
  }
  return queries;
}

/**
 * How a query reads dm_deployments, as its plan says: whether it does at all, and what reads
 * more than a handful of rows. SQLite (no statistics, no row counts in its plans): a table
 * scan, or a sort of more than the one millisecond's deployments the outer query sorts.
 * PostgreSQL: any node that read (returned or filtered out) more than 10 rows.
 */
async function readsOf(
  knex: Knex,
  q: { sql: string; bindings: unknown[] },
): Promise<{ deployments: boolean; wide: string[] }> {
  if (isSqlite(knex)) {
    const plan: Array<{ detail: string }> = await knex.raw(
      `EXPLAIN QUERY PLAN ${q.sql}`,
      q.bindings as any,
    );
    const details = plan.map(p => p.detail);
    const sorts = details.filter(d => /TEMP B-TREE/.test(d));
    return {
      deployments: details.some(d => /USING .*INDEX dm_deployments_/.test(d)),
      wide: [
        ...details.filter(d => /^SCAN /.test(d)),
        ...(sorts.length > 1 ? sorts : []),
      ],
    };
  }
  const { rows } = await knex.raw(
    // knex's PostgreSQL text numbers its parameters; raw takes `?`
    `EXPLAIN (ANALYZE, FORMAT JSON) ${q.sql.replace(/\$\d+/g, '?')}`,
    q.bindings as any,
  );
  const read: number[] = [];
  const visit = (node: any) => {
    if (node['Relation Name'] === 'dm_deployments')
      read.push(
        (node['Actual Rows'] + (node['Rows Removed by Filter'] ?? 0)) *
          (node['Actual Loops'] ?? 1),
      );
    (node.Plans ?? []).forEach(visit);
  };
  visit(rows[0]['QUERY PLAN'][0].Plan);
  return {
    deployments: read.length > 0,
    wide: read.filter(n => n > 10).map(n => `${n} rows`),
  };
}

describe.each(databaseIds(databases))(
  'deploymentBase of a service with 50,000 deployments on %p',
  databaseId => {
    let knex: Knex;
    let stores: DoraStores;
    const N = 50_000;
    beforeAll(async () => {
      ({ knex, stores } = await createTestStore(databases, databaseId));
      await stores.catalog.replaceCatalog([entity(ENTITY)], []);
      for (let from = 0; from < N; from += 5000) {
        await write(
          stores,
          // one a minute
          Array.from({ length: 5000 }, (_, n) =>
            deployment(
              `d${from + n}`,
              new Date(T0 + (from + n) * 60_000).toISOString(),
              {
                source: 'cli',
                sha: `s${from + n}`,
              },
            ),
          ),
        );
      }
      if (!isSqlite(knex)) await knex.raw('ANALYZE dm_deployments');
    });

    it.each([
      ['the latest', {}, `cli/d${N - 1}@s${N - 1}`],
      ['before a stored one', { id: 'd25000' }, 'cli/d24999@s24999'],
      ['before a time', { before: Date.parse(at(100)) }, 'cli/d5999@s5999'],
    ])('finds %s reading a handful of rows', async (_, query, expected) => {
      const queries = await selectsOf(knex, async () =>
        expect(await previousOf(stores, query)).toBe(expected),
      );
      expect(queries.length).toBeLessThanOrEqual(2);
      for (const q of queries) {
        expect(await readsOf(knex, q)).toEqual({
          deployments: /dm_deployments/.test(q.sql),
          wide: [],
        });
      }
    });
  },
);
