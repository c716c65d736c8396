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
const MIGRATION = '20261128100000_template_check_history.js';
const DAY = 86_400_000;

type Result = { id: string; status: string; value: number | null };
const ci: Result = { id: 'ci', status: 'pass', value: 1 };
const templateFail: Result = {
  id: 'golden-path-template',
  status: 'fail',
  value: 0,
};
const templatePass: Result = {
  id: 'golden-path-template',
  status: 'pass',
  value: 1,
};

describe.each(databases.eachSupportedId())(
  'migration 20261128100000_template_check_history on %p',
  databaseId => {
    it('turns recorded template failures into not applicable, and leaves the rest', async () => {
      const { knex, stores } = await createTestStore(databases, databaseId);
      await knex.migrate.down({ directory: migrationsDir, name: MIGRATION });
      // More rows than one chunk, over several entities, so every chunk is reached.
      const rows = [];
      for (let e = 0; e < 3; e++) {
        for (let d = 1; d <= 400; d++) {
          rows.push({
            entity_ref: `component:default/svc-${e}`,
            day: d * DAY,
            level: 2,
            calms_score: null,
            results: JSON.stringify(
              d % 2 ? [ci, templateFail] : [templatePass, ci],
            ),
          });
        }
      }
      rows.push({
        entity_ref: 'component:default/no-template',
        day: DAY,
        level: 3,
        calms_score: null,
        results: JSON.stringify([ci]),
      });
      for (let i = 0; i < rows.length; i += 200) {
        await knex('dm_check_history').insert(rows.slice(i, i + 200));
      }

      await knex.migrate.latest({ directory: migrationsDir });

      const notApplicable: Result = {
        id: 'golden-path-template',
        status: 'not-applicable',
        value: null,
      };
      for (let e = 0; e < 3; e++) {
        const history = await stores.maturity.checkHistorySince(
          `component:default/svc-${e}`,
          0,
        );
        expect(history).toHaveLength(400);
        expect(history[0].results).toEqual([ci, notApplicable]);
        expect(history[1].results).toEqual([templatePass, ci]);
        expect(history[399].results).toEqual([templatePass, ci]);
        expect(history[398].results).toEqual([ci, notApplicable]);
        expect(
          history.filter(h =>
            h.results.some(
              r => r.id === 'golden-path-template' && r.status === 'fail',
            ),
          ),
        ).toEqual([]);
        expect(history.every(h => h.level === 2)).toBe(true);
      }
      expect(
        (
          await stores.maturity.checkHistorySince(
            'component:default/no-template',
            0,
          )
        ).map(h => h.results),
      ).toEqual([[ci]]);

      // Down is a no-op: the failures are not restored, the days stay.
      await knex.migrate.down({ directory: migrationsDir, name: MIGRATION });
      const [first] = await stores.maturity.checkHistorySince(
        'component:default/svc-0',
        0,
      );
      expect(first.results).toEqual([ci, notApplicable]);
      expect(
        Number((await knex('dm_check_history').count('* as n'))[0].n),
      ).toBe(1201);
    });
  },
);
