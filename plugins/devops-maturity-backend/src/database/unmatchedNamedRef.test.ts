import { resolvePackagePath } from '@backstage/backend-plugin-api';
import {
  createTestDatabases,
  createTestStore,
} from '../__testUtils__/databases';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const migrationsDir = resolvePackagePath(
  '@devops-maturity/backstage-plugin-backend',
  'migrations',
);
const kept = (id: string, identity: object, reason: string) => ({
  event_type: 'deployment',
  source: 'api',
  external_id: id,
  identity: JSON.stringify(identity),
  reason,
  payload: '{}',
  received_at: 0,
});

describe.each(databases.eachSupportedId())(
  'migration 20261127700000_unmatched_named_ref on %p',
  databaseId => {
    it('fills the named ref of events kept before it, as the catalog spells refs', async () => {
      const { knex } = await createTestStore(databases, databaseId);
      // Back to before the column, with events kept then.
      await knex.migrate.down({
        directory: migrationsDir,
        name: '20261127700000_unmatched_named_ref.js',
      });
      await knex('dm_unmatched_events').insert([
        kept(
          'a',
          { entityRef: 'API:Payments' },
          'catalog entity api:default/payments is of kind API, which is not scored (devopsMaturity.catalog.kinds)',
        ),
        kept(
          'b',
          { 'pagerduty.com/service-id': 'PDB' },
          'catalog entity resource:default/db is of kind Resource, which is not scored (devopsMaturity.catalog.kinds)',
        ),
        kept(
          'c',
          { 'github.com/project-slug': 'acme/x' },
          'no catalog entity carries these annotations',
        ),
        kept('d', { entityRef: 'not a ref:' }, 'no catalog entity not a ref:'),
      ]);
      await knex.migrate.latest({ directory: migrationsDir });
      const rows = await knex('dm_unmatched_events')
        .orderBy('external_id')
        .select('external_id', 'named_ref');
      expect(rows.map(r => [r.external_id, r.named_ref])).toEqual([
        ['a', 'api:default/payments'],
        ['b', 'resource:default/db'],
        ['c', null],
        ['d', null],
      ]);
    });
  },
);
