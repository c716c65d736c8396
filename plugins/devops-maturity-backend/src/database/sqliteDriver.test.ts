import { Knex } from 'knex';
import { openDatabaseStores } from './openStores';

describe('openDatabaseStores on SQLite', () => {
  it('refuses to start on the sqlite3 driver, naming the setting to change', async () => {
    // A knex of the sqlite3 dialect as far as the store looks before any query: the driver
    // itself is not installed here, and the store must refuse before it would be used.
    const knex = {
      client: { config: { client: 'sqlite3' }, driverName: 'sqlite3' },
    } as unknown as Knex;

    await expect(
      openDatabaseStores({ database: { getClient: async () => knex } }),
    ).rejects.toThrow(
      'set backend.database.client to better-sqlite3 (it is sqlite3)',
    );
  });
});
