import { resolvePackagePath } from '@backstage/backend-plugin-api';
import {
  createTestDatabases,
  createTestStore,
} from '../__testUtils__/databases';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const MIGRATION = '20261127500000_unbounded_catalog_text.js';
const migrationsDir = resolvePackagePath(
  '@devops-maturity/backstage-plugin-backend',
  'migrations',
);
const entity = (name: string, title: string) => ({
  entity_ref: `component:default/${name}`,
  kind: 'Component',
  namespace: 'default',
  name,
  title,
  type: title,
  lifecycle: title,
  owner_ref: `group:default/${title}`,
});

describe.each(databases.eachSupportedId())(
  'migration %s: catalog text of any length',
  databaseId => {
    it('stores a 400-character title, type, lifecycle and owner', async () => {
      const { knex } = await createTestStore(databases, databaseId);
      const long = 'x'.repeat(400);
      await knex('dm_entities').insert(entity('long', long));
      await knex('dm_unmatched_events').insert({
        event_type: 'deployment',
        source: 'api',
        external_id: 'u',
        identity: '{}',
        reason: `no catalog entity ${long}`,
        payload: '{}',
        received_at: 0,
      });
      expect(
        await knex('dm_entities')
          .where('name', 'long')
          .first('title', 'type', 'lifecycle', 'owner_ref'),
      ).toEqual({
        title: long,
        type: long,
        lifecycle: long,
        owner_ref: `group:default/${long}`,
      });
    });

    if (databaseId.startsWith('POSTGRES')) {
      it('migrates down to varchar(255), cutting longer values, and up again', async () => {
        const { knex } = await createTestStore(databases, databaseId);
        await knex('dm_entities').insert(entity('long', 'y'.repeat(300)));
        await knex.migrate.down({ directory: migrationsDir, name: MIGRATION });
        const row = await knex('dm_entities').where('name', 'long').first();
        expect(row.title).toBe('y'.repeat(255));
        await expect(
          knex('dm_entities').insert(entity('again', 'z'.repeat(256))),
        ).rejects.toThrow(/too long/);
        await knex.migrate.latest({ directory: migrationsDir });
        await knex('dm_entities').insert(entity('again', 'z'.repeat(256)));
      });
    }
  },
);
