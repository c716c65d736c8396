import { TestDatabaseId } from '@backstage/backend-test-utils';
import {
  DEFAULT_DORA_OPTIONS,
  DeploymentEvent,
  IncidentEvent,
} from '@devops-maturity/backstage-plugin-common';
import {
  createTestDatabases,
  createTestStore,
  describePostgres,
} from '../__testUtils__/databases';
import { at, deployment, incident, T0 } from '../__testUtils__/events';
import { UnmatchedEvent } from './types';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const entity = (k: number) => `component:default/s-${k}`;

/** One event of each kind per entity, so that every per-entity step scales with the batch. */
function events(size: number) {
  const keys = Array.from({ length: size }, (_, k) => k);
  // Opened before their deployments arrive: those deployments relink every one of them. A
  // third name the deployment, a third a commit, a third nothing ("latest before").
  const incidents: IncidentEvent[] = keys.map(k =>
    incident(`i-${k}`, at(10), {
      entityRef: entity(k),
      deploymentId: k % 3 === 0 ? `d-${k}` : undefined,
      causeSha: k % 3 === 1 ? `sha-${k}-a` : undefined,
    }),
  );
  const deployments = (finishedAt: string, shas: string[]): DeploymentEvent[] =>
    keys.map(k =>
      deployment(`d-${k}`, finishedAt, {
        entityRef: entity(k),
        commits: shas.map(s => ({ sha: `sha-${k}-${s}`, committedAt: at(0) })),
      }),
    );
  const unmatched: UnmatchedEvent[] = keys.map(k => ({
    eventType: 'deployment',
    source: 'api',
    id: `d-${k}`,
    identity: { entityRef: entity(k) },
    reason: 'not yet in the catalog',
    payload: {},
    receivedAt: T0,
  }));
  return {
    incidents,
    unmatched,
    first: deployments(at(5), ['a', 'b']),
    // Resent with another commit: the changes of the first copy are recomputed, one dropped.
    resent: deployments(at(6), ['a', 'c']),
  };
}

/** The queries each step of a batch of `size` events per kind makes, and what it stored. */
async function queriesPerStep(databaseId: TestDatabaseId, size: number) {
  const { stores, knex } = await createTestStore(databases, databaseId);
  const { incidents, unmatched, first, resent } = events(size);
  let queries = 0;
  knex.on('query', () => queries++);
  const counted = async (
    batch: Parameters<typeof stores.events.writeBatch>[0],
  ) => {
    queries = 0;
    await stores.events.writeBatch(batch, DEFAULT_DORA_OPTIONS);
    return queries;
  };
  const steps = {
    incidents: await counted({ deployments: [], incidents, unmatched }),
    deployments: await counted({
      deployments: first,
      incidents: [],
      unmatched: [],
    }),
    resent: await counted({
      deployments: resent,
      incidents: [],
      unmatched: [],
    }),
  };
  const [linked] = await knex('dm_incidents')
    .whereNotNull('cause_deployment_pk')
    .count({ n: '*' });
  const [changes] = await knex('dm_entity_changes').count({ n: '*' });
  const [left] = await knex('dm_unmatched_events').count({ n: '*' });
  return {
    steps,
    stored: {
      linked: Number(linked.n),
      changes: Number(changes.n),
      unmatched: Number(left.n),
    },
  };
}

// On SQLite, in process, statements run one per row by design (see `sqlitePrepare`).
describePostgres(databases)('Round trips of a batch on %p', databaseId => {
  it('makes as many queries for 500 events as for 10', async () => {
    const small = await queriesPerStep(databaseId, 10);
    const large = await queriesPerStep(databaseId, 500);
    // The batches did the work whose queries are counted: every incident linked once its
    // deployment came, two changes per deployment, the unmatched copies gone.
    expect(large.stored).toEqual({ linked: 500, changes: 1000, unmatched: 0 });
    expect(small.stored).toEqual({ linked: 10, changes: 20, unmatched: 0 });
    expect(large.steps).toEqual(small.steps);
  });
});
