import { DEFAULT_DORA_OPTIONS } from '@devops-maturity/backstage-plugin-common';
import {
  createTestDatabases,
  createTestStore,
} from '../__testUtils__/databases';
import { rebuildEntityFacts } from './rebuildFacts';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const ENTITY = 'component:default/a';
const options = {
  ...DEFAULT_DORA_OPTIONS,
  productionEnvironments: ['production', 'prod-eu'],
};

const deploymentRow = (id: string, environment: string, counts: boolean) => ({
  source: 'api',
  external_id: id,
  entity_ref: ENTITY,
  environment,
  status: 'success',
  counts,
  finished_at: Date.parse('2026-06-01T00:00:00Z'),
  kind: 'normal',
  commit_count: 1,
  commits: JSON.stringify([
    { sha: `sha-${id}`, committedAt: '2026-05-31T00:00:00.000Z' },
  ]),
});

const postgres = databases
  .eachSupportedId()
  .map(([id]) => id)
  .filter(id => id.startsWith('POSTGRES'));
// SQLite has one writer at a time: there, nothing runs beside a step.
const onPostgres = postgres.length ? describe : describe.skip;

onPostgres('rebuildEntityFacts beside a batch, on PostgreSQL', () => {
  it('waits for a batch that is writing, and derives its facts from what it committed', async () => {
    const { knex } = await createTestStore(databases, postgres[0]);
    // A batch stored under the old rules is still open: its prod-eu deployment does not count.
    const batch = await knex.transaction();
    await batch('dm_deployments').insert(deploymentRow('d1', 'prod-eu', false));

    const step = knex.transaction(trx =>
      rebuildEntityFacts(trx, [ENTITY], options),
    );
    // The step waits on the batch's lock (a condition, read from PostgreSQL, not a sleep).
    const deadline = Date.now() + 20_000;
    for (;;) {
      const { rows } = await knex.raw(
        `SELECT count(*) AS n FROM pg_stat_activity
         WHERE wait_event_type = 'Lock' AND query LIKE 'LOCK TABLE dm_deployments%'`,
      );
      if (Number(rows[0].n) > 0) break;
      if (Date.now() > deadline) {
        await batch.rollback();
        await step.catch(() => undefined);
        throw new Error(
          'the rebuild step went on beside a batch still writing',
        );
      }
    }
    await batch.commit();

    expect(await step).toEqual({ recounted: 1 });
    expect(
      await knex('dm_entity_changes')
        .where({ entity_ref: ENTITY })
        .select('sha'),
    ).toEqual([{ sha: 'sha-d1' }]);
  });
});
