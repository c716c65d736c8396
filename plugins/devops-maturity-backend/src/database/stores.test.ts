import {
  computeDoraMetrics,
  DAY_MS,
  DEFAULT_DORA_OPTIONS,
  DeploymentEvent,
  deriveDoraFacts,
  DORA_2021,
  IncidentEvent,
  latestCopies,
  TimeWindow,
} from '@devops-maturity/backstage-plugin-common';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import {
  createTestDatabases,
  createTestStore,
  databaseIds,
  describePostgres,
} from '../__testUtils__/databases';
import {
  at,
  deployment,
  ENTITY,
  H,
  incident,
  T0,
} from '../__testUtils__/events';
import { seededRandom } from '../demo/random';
import { DoraStores } from './openStores';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const options = DEFAULT_DORA_OPTIONS;
const window: TimeWindow = { from: T0, to: T0 + 30 * DAY_MS };

function write(
  stores: DoraStores,
  deployments: DeploymentEvent[],
  incidents: IncidentEvent[] = [],
) {
  return stores.events.writeBatch(
    { deployments, incidents, unmatched: [] },
    options,
  );
}

async function storeMetrics(
  stores: DoraStores,
  entityRef: string,
  w: TimeWindow,
) {
  const facts = (await stores.facts.readFacts([entityRef], w)).get(entityRef)!;
  return computeDoraMetrics(facts, w, DORA_2021);
}

function referenceMetrics(
  deployments: DeploymentEvent[],
  incidents: IncidentEvent[],
  entityRef: string,
  w: TimeWindow,
) {
  const facts = deriveDoraFacts(
    deployments.filter(d => d.entityRef === entityRef),
    incidents.filter(i => i.entityRef === entityRef),
    w,
    options,
  );
  return computeDoraMetrics(facts, w, DORA_2021);
}

const repairKind = (rand: () => number) =>
  rand() < 0.5 ? 'rollback' : 'hotfix';

describe.each(databaseIds(databases))('the stores on %p', databaseId => {
  it('stores a resent deployment once and lets the last copy win', async () => {
    const { stores, knex } = await createTestStore(databases, databaseId);
    const first = await write(stores, [
      deployment('1', at(1), { commits: [{ sha: 'a', committedAt: at(0) }] }),
    ]);
    expect(first).toEqual({ inserted: 1, updated: 0, unmatched: 0, stale: 0 });
    const again = await write(stores, [
      deployment('1', at(2), { commits: [{ sha: 'b', committedAt: at(1) }] }),
      deployment('1', at(1), { source: 'github' }), // same id, other source: another deployment
    ]);
    expect(again).toEqual({ inserted: 1, updated: 1, unmatched: 0, stale: 0 });
    const rows = await knex('dm_deployments').orderBy('source');
    expect(
      rows.map(r => [r.source, r.external_id, Number(r.finished_at)]),
    ).toEqual([
      ['api', '1', Date.parse(at(2))],
      ['github', '1', Date.parse(at(1))],
    ]);
    // The changed commit list replaced the old one: a is no longer a deployed change.
    const changes = await knex('dm_entity_changes').orderBy('sha');
    expect(changes.map(c => c.sha)).toEqual(['b']);
  });

  it('gives the same figures as the reference on the hand-worked example', async () => {
    const { stores } = await createTestStore(databases, databaseId);
    const deployments = [
      deployment('1', at(24), { commits: [{ sha: 's1', committedAt: at(0) }] }),
      deployment('2', at(48), {
        commits: [{ sha: 's2', committedAt: at(46) }],
      }),
      deployment('3', at(72), {
        commits: [
          { sha: 's1', committedAt: at(0) },
          { sha: 's3', committedAt: at(70) },
        ],
      }),
      deployment('4', at(73), { kind: 'rollback', fixes: '3' }),
      deployment('5', at(96), {
        environment: 'staging',
        commits: [{ sha: 's4', committedAt: at(90) }],
      }),
      deployment('6', at(97), { status: 'failure' }),
      deployment('7', at(120), {
        commits: [{ sha: 's4', committedAt: at(90) }],
      }),
    ];
    const incidents = [
      incident('i1', at(50), { resolvedAt: at(52), deploymentId: '1' }),
      incident('i2', at(121), { resolvedAt: at(121.5) }), // latest before: 7
      incident('i3', at(130), { causeSha: 's2' }), // still open
    ];
    await write(stores, deployments, incidents);
    const m = await storeMetrics(stores, ENTITY, window);
    expect(m).toEqual(referenceMetrics(deployments, incidents, ENTITY, window));
    expect(m.deploymentFrequency.deployments).toBe(5);
    expect(m.changeFailureRate.failedDeployments).toBe(4); // 1 (i1), 7 (i2), 2 (i3), 3 (rollback)
    expect(m.leadTime.changes).toBe(4);
    expect(m.timeToRestore.restoredIncidents).toBe(2);
    expect(m.timeToRestore.openIncidents).toBe(1);
  });

  it('links an incident that arrived before its deployment once the deployment arrives', async () => {
    const { stores } = await createTestStore(databases, databaseId);
    await write(stores, [deployment('1', at(1))]);
    await write(stores, [], [incident('i', at(10), { resolvedAt: at(11) })]);
    expect(
      (await storeMetrics(stores, ENTITY, window)).changeFailureRate
        .failedDeployments,
    ).toBe(1);
    // A later-arriving deployment that finished between 1 and the incident takes the blame.
    await write(stores, [deployment('2', at(5))]);
    const m = await storeMetrics(stores, ENTITY, window);
    expect(m.changeFailureRate.failedDeployments).toBe(1);
    const listed = await stores.events.listDeployments(ENTITY, {
      limit: 10,
      offset: 0,
    });
    expect(listed.items.map(d => [d.id, d.failed])).toEqual([
      ['2', true],
      ['1', false],
    ]);
  });

  it('stores nothing of a batch that fails half-way', async () => {
    const { stores, knex } = await createTestStore(databases, databaseId);
    await expect(
      write(stores, [deployment('1', at(1))], [incident('bad', 'not a time')]),
    ).rejects.toThrow();
    expect(await knex('dm_deployments').select('pk')).toEqual([]);
  });

  it('matches the reference on shuffled, resent and out-of-order random events', async () => {
    const { stores } = await createTestStore(databases, databaseId);
    const rand = seededRandom(`store-${databaseId}`);
    const entities = [
      'component:default/x',
      'component:default/y',
      'component:default/z',
    ];
    const deployments: DeploymentEvent[] = [];
    const incidents: IncidentEvent[] = [];
    for (let n = 0; n < 240; n++) {
      const entityRef = entities[n % 3];
      const finished = rand() * 60 * 24;
      const roll = rand();
      deployments.push(
        deployment(`d${n}`, at(finished), {
          entityRef,
          environment: roll < 0.1 ? 'staging' : 'production',
          status: roll > 0.93 ? 'failure' : 'success',
          kind: roll > 0.85 && roll <= 0.93 ? repairKind(rand) : 'normal',
          fixes:
            roll > 0.85 && roll <= 0.93 ? `d${Math.max(0, n - 3)}` : undefined,
          commits: Array.from({ length: Math.floor(rand() * 4) }, () => {
            const sha = `c${Math.floor(rand() * 300)}`; // shared shas: re-deploys
            return { sha, committedAt: at(finished - rand() * 200) };
          }),
        }),
      );
      if (rand() < 0.25) {
        const opened = rand() * 60 * 24;
        const cause = rand();
        incidents.push(
          incident(`i${n}`, at(opened), {
            entityRef,
            resolvedAt: rand() < 0.85 ? at(opened + rand() * 48) : undefined,
            deploymentId:
              cause < 0.3 ? `d${Math.floor(rand() * 240)}` : undefined,
            causeSha:
              cause >= 0.3 && cause < 0.6
                ? `c${Math.floor(rand() * 300)}`
                : undefined,
          }),
        );
      }
    }
    // Resends that change things: moved in time, to staging, commits dropped.
    const resends = deployments
      .filter(() => rand() < 0.15)
      .map(d => ({
        ...d,
        finishedAt: at(
          (Date.parse(d.finishedAt) - T0) / H + (rand() - 0.5) * 48,
        ),
        environment: rand() < 0.3 ? 'staging' : d.environment,
        commits: rand() < 0.3 ? [] : d.commits,
      }));
    const all = [...deployments, ...resends];
    const shuffled = [...all, ...incidents].sort(() => rand() - 0.5);
    // Writes in order of `all` for resends to win, but batches interleave incidents randomly.
    for (let i = 0; i < shuffled.length; i += 37) {
      const batch = shuffled.slice(i, i + 37);
      const ds = batch.filter((e): e is DeploymentEvent => 'finishedAt' in e);
      const is = batch.filter((e): e is IncidentEvent => 'openedAt' in e);
      await write(
        stores,
        ds.filter(d => !resends.includes(d)),
        is,
      );
    }
    await write(stores, resends);
    const finalDeployments = latestCopies(all);
    // The data must exercise every rule, or the comparison proves little.
    const x = referenceMetrics(
      finalDeployments,
      incidents,
      entities[0],
      window,
    );
    expect(x.changeFailureRate.failedDeployments).toBeGreaterThan(3);
    expect(x.leadTime.changes).toBeGreaterThan(20);
    expect(x.timeToRestore.restoredIncidents).toBeGreaterThan(3);
    expect(x.reworkRate.reworkDeployments).toBeGreaterThan(0);
    for (const entityRef of entities) {
      for (const w of [
        window,
        { from: T0 + 10 * DAY_MS, to: T0 + 40 * DAY_MS },
        { from: T0 - DAY_MS, to: T0 + 90 * DAY_MS },
      ]) {
        expect(await storeMetrics(stores, entityRef, w)).toEqual(
          referenceMetrics(finalDeployments, incidents, entityRef, w),
        );
      }
    }
  });

  it('migrates down and up again', async () => {
    const { knex } = await createTestStore(databases, databaseId);
    const directory = resolvePackagePath(
      '@devops-maturity/backstage-plugin-backend',
      'migrations',
    );
    await knex.migrate.rollback({ directory }, true);
    expect(await knex.schema.hasTable('dm_deployments')).toBe(false);
    await knex.migrate.latest({ directory });
    expect(await knex.schema.hasTable('dm_deployments')).toBe(true);
  });

  it('keeps every change through the latest migrations, down and up', async () => {
    const { knex, stores } = await createTestStore(databases, databaseId);
    const directory = resolvePackagePath(
      '@devops-maturity/backstage-plugin-backend',
      'migrations',
    );
    const rand = seededRandom('migrations');
    const deployments = Array.from({ length: 40 }, (_, n) =>
      deployment(`m${n}`, at(n * 6), {
        commits: [0, 1].map(c => ({
          sha: `m${n}-${c}`,
          committedAt: at(n * 6 - rand() * 20),
        })),
      }),
    );
    await write(stores, deployments);
    const before = await storeMetrics(stores, ENTITY, window);
    expect(before.leadTime.changes).toBe(80);
    // Back before the clustered changes (SQLite) and the incident link indexes, and forth.
    const [, pending] = await knex.migrate.list({ directory });
    expect(pending).toEqual([]);
    const [done] = await knex.migrate.list({ directory });
    const names = done.map((m: { name: string }) => m.name);
    const clustered = names.indexOf('20261123100000_clustered_changes.js');
    expect(clustered).toBeGreaterThan(0);
    for (let n = names.length; n > clustered; n--)
      await knex.migrate.down({ directory });
    await knex.migrate.latest({ directory });
    expect(await storeMetrics(stores, ENTITY, window)).toEqual(before);
  });
});

// PostgreSQL only: SQLite has no such index (see the migration).
describePostgres(databases)('The migrations on %p', databaseId => {
  it('have the lead-time index in place of the old one', async () => {
    const { knex } = await createTestStore(databases, databaseId);
    const { rows } = await knex.raw(
      `select c.relname, i.indisvalid from pg_index i
         join pg_class c on c.oid = i.indexrelid
         join pg_class t on t.oid = i.indrelid
       where t.relname = 'dm_entity_changes'
         and (c.relname like '%time_idx' or c.relname like '%lead_idx')`,
    );
    expect(rows).toEqual([
      { relname: 'dm_entity_changes_lead_idx', indisvalid: true },
    ]);
  });
});
