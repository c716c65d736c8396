import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { openDatabaseStores } from '../database/openStores';

/**
 * SQLite always; PostgreSQL when a server is given through
 * BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING (scripts/test.sh starts one).
 * With DEVOPS_MATURITY_REQUIRE_POSTGRES=1 a missing PostgreSQL fails the run instead of
 * quietly testing SQLite alone.
 */
export function createTestDatabases(): TestDatabases {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
  if (
    process.env.DEVOPS_MATURITY_REQUIRE_POSTGRES === '1' &&
    !databases.supports('POSTGRES_15')
  ) {
    throw new Error(
      'PostgreSQL is required but BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING is not set',
    );
  }
  return databases;
}

export const databaseIds = (
  databases: TestDatabases,
): Array<[TestDatabaseId]> => databases.eachSupportedId();

/**
 * `describe.each` over the PostgreSQL databases only; without a PostgreSQL server the tests
 * are reported skipped, not passed.
 */
export function describePostgres(databases: TestDatabases) {
  const postgres = databaseIds(databases).filter(([id]) => id !== 'SQLITE_3');
  return postgres.length > 0
    ? describe.each(postgres)
    : describe.skip.each([['POSTGRES_15' as TestDatabaseId]]);
}

/** Migrated stores on a fresh database of `databaseId`, and that database's knex. */
export async function createTestStore(
  databases: TestDatabases,
  databaseId: TestDatabaseId,
) {
  const knex = await databases.init(databaseId);
  const stores = await openDatabaseStores({
    database: { getClient: async () => knex },
  });
  return { knex, stores };
}
