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
const MIGRATION = '20261128000000_check_history_calms.js';
const ref = 'component:default/svc';
const DAY = 86_400_000;

describe.each(databases.eachSupportedId())(
  'migration 20261128000000_check_history_calms on %p',
  databaseId => {
    it('keeps the days recorded before it with no CALMS score, and stores it from then on', async () => {
      const { knex, stores } = await createTestStore(databases, databaseId);
      await knex.migrate.down({ directory: migrationsDir, name: MIGRATION });
      expect(
        await knex.schema.hasColumn('dm_check_history', 'calms_score'),
      ).toBe(false);
      await knex('dm_check_history').insert({
        entity_ref: ref,
        day: DAY,
        level: 2,
        results: '[]',
      });

      await knex.migrate.latest({ directory: migrationsDir });
      await stores.maturity.recordCheckHistory([
        { entityRef: ref, day: 2 * DAY, level: 3, calmsScore: 64, results: [] },
      ]);
      expect(
        (await stores.maturity.checkHistorySince(ref, 0)).map(r => [
          r.day,
          r.level,
          r.calmsScore,
        ]),
      ).toEqual([
        [DAY, 2, null],
        [2 * DAY, 3, 64],
      ]);

      // Down again: the column goes, the days stay.
      await knex.migrate.down({ directory: migrationsDir, name: MIGRATION });
      expect(
        await knex.schema.hasColumn('dm_check_history', 'calms_score'),
      ).toBe(false);
      expect(
        (await knex('dm_check_history').orderBy('day')).map(r =>
          Number(r.level),
        ),
      ).toEqual([2, 3]);
    });
  },
);
