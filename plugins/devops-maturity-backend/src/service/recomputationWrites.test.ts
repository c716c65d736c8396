import { ConfigReader } from '@backstage/config';
import {
  createTestDatabases,
  createTestStore,
  databaseIds,
} from '../__testUtils__/databases';
import { servicesAt } from '../__testUtils__/services';
import { readSettings } from '../config';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const NOW = Date.parse('2026-11-21T08:00:00Z');
const refs = ['a', 'b'].map(name => `component:default/${name}`);

/** Two entities of one team, `a` marked stale. */
async function setUp(databaseId: Parameters<typeof createTestStore>[1]) {
  const { stores } = await createTestStore(databases, databaseId);
  await stores.catalog.replaceCatalog(
    refs.map(entityRef => ({
      entityRef,
      kind: 'Component',
      namespace: 'default',
      name: entityRef.split('/')[1],
      ownerRef: 'group:default/team',
      identities: [],
    })),
    [{ groupRef: 'group:default/team' }],
  );
  await stores.rankings.markStale([refs[0]]);
  const { scorecards } = servicesAt(
    stores,
    readSettings(new ConfigReader({})),
    NOW,
  );
  return { stores, scorecards };
}

/** A gate that `opened` waits for until `open` is called. */
function shutGate() {
  let open = () => {};
  const opened = new Promise<void>(resolve => {
    open = resolve;
  });
  return { opened, open: () => open() };
}

describe.each(databaseIds(databases))(
  'recomputation writes on %p',
  databaseId => {
    it('finish before marks are cleared or rows of departed entities deleted', async () => {
      const { stores, scorecards } = await setUp(databaseId);
      const log: string[] = [];
      const { rankings } = stores;
      const upsert = rankings.upsertScorecards.bind(rankings);
      const gate = shutGate();
      jest
        .spyOn(rankings, 'upsertScorecards')
        .mockImplementation(async rows => {
          if (rows[0].subjectType === 'entity') await gate.opened;
          await upsert(rows);
          log.push(`${rows[0].subjectType} rows written`);
        });
      for (const step of ['clearStale', 'deleteScorecardsExcept'] as const) {
        const original = (rankings[step] as (...a: any[]) => Promise<any>).bind(
          rankings,
        );
        jest
          .spyOn(rankings, step)
          .mockImplementation(async (...args: any[]) => {
            log.push(step);
            // Code that went on without waiting for the writes gets here with the gate shut:
            // opened now, the log shows it. Code that waits never does; the timer opens the gate.
            gate.open();
            return original(...args);
          });
      }
      // On SQLite writes are awaited in place (nothing runs beside them), so the gate there
      // checks the order of the steps only; on PostgreSQL it checks the waiting too.
      const fallback = setTimeout(gate.open, 100);
      await scorecards.refreshAll();
      clearTimeout(fallback);
      expect(log.indexOf('entity rows written')).toBe(0);
      expect(log.indexOf('owner rows written')).toBeGreaterThan(
        log.indexOf('deleteScorecardsExcept'),
      );
      expect(log.indexOf('clearStale')).toBeGreaterThan(
        log.indexOf('owner rows written'),
      );
    });

    it('fails when a write fails, and keeps the marks', async () => {
      const { stores, scorecards } = await setUp(databaseId);
      const marks = async () =>
        (await stores.rankings.readStale()).map(m => m.subjectRef).sort();
      const marked = await marks();
      expect(marked).toContain(refs[0]);
      jest
        .spyOn(stores.rankings, 'upsertScorecards')
        .mockRejectedValueOnce(new Error('disk full'));
      await expect(scorecards.refreshAll()).rejects.toThrow('disk full');
      expect(await marks()).toEqual(marked);
      // The next recomputation writes every row and clears the marks.
      await scorecards.refreshAll();
      expect(await stores.rankings.readStale()).toEqual([]);
      expect(
        (
          await stores.rankings.queryScorecards({
            subjectType: 'entity',
            windowDays: 90,
            profile: 'dora-2021',
            sort: 'overallTier',
            order: 'asc',
            limit: 10,
            offset: 0,
          })
        ).totalCount,
      ).toBe(2);
    });
  },
);
