import {
  computeDoraMetrics,
  DORA_2021,
  emptyFacts,
} from '@devops-maturity/backstage-plugin-common';
import {
  createTestDatabases,
  createTestStore,
  describePostgres,
} from '../__testUtils__/databases';
import { ScorecardRow, upsertScorecards } from './scorecards';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 27);

/** One ranking row of an entity; `mark` tells the writes apart. */
const row = (name: string, computedAt: number, mark: string): ScorecardRow => ({
  subjectType: 'entity',
  subjectRef: `component:default/${name}`,
  windowDays: 90,
  profile: DORA_2021.id,
  computedAt,
  title: mark,
  kind: 'Component',
  ownerRef: 'group:default/team',
  metrics: {
    ...computeDoraMetrics(
      emptyFacts(),
      { from: NOW - 90 * DAY, to: NOW },
      DORA_2021,
    ),
  },
  maturityLevel: 1,
  calmsScore: null,
  checks: { ci: 'pass' },
});

/** A store whose catalog mirror has these entities; `stored` reads their ranking rows. */
async function setUpRows(
  databaseId: Parameters<typeof createTestStore>[1],
  names: string[],
) {
  const { knex, stores } = await createTestStore(databases, databaseId);
  await knex.batchInsert(
    'dm_entities',
    names.map(name => ({
      entity_ref: `component:default/${name}`,
      kind: 'Component',
      namespace: 'default',
      name,
    })),
    100,
  );
  const stored = async () =>
    Object.fromEntries(
      (
        await knex('dm_scorecards').select(
          'subject_ref',
          'title',
          'computed_at',
          'checks',
          'calms_score',
        )
      ).map(r => [r.subject_ref.split('/')[1], r]),
    );
  return { knex, stores, stored };
}

describe.each(databases.eachSupportedId())(
  'ranking row writes on %s',
  databaseId => {
    const setUp = (names: string[]) => setUpRows(databaseId, names);

    it('never replaces a row with one computed earlier', async () => {
      const { stores, stored } = await setUp(['a', 'b']);
      await stores.rankings.upsertScorecards([
        row('a', NOW, 'first'),
        row('b', NOW, 'first'),
      ]);
      await stores.rankings.upsertScorecards([
        row('a', NOW - 1000, 'older'),
        row('b', NOW + 1000, 'newer'),
      ]);
      const rows = await stored();
      expect(rows.a.title).toBe('first');
      expect(Number(rows.a.computed_at)).toBe(NOW);
      expect(rows.b.title).toBe('newer');
      expect(Number(rows.b.computed_at)).toBe(NOW + 1000);
      expect(JSON.parse(rows.b.checks)).toEqual({ ci: 'pass' });
      expect(rows.b.calms_score).toBeNull();
    });

    it('writes every row of a batch larger than one write', async () => {
      const names = Array.from({ length: 1201 }, (_, i) => `svc-${i}`);
      const { stores, stored } = await setUp(names);
      await stores.rankings.upsertScorecards(
        names.map(n => row(n, NOW, 'first')),
      );
      await stores.rankings.upsertScorecards(
        names.map(n => row(n, NOW + 1, 'second')),
      );
      const rows: any[] = Object.values(await stored());
      expect(rows).toHaveLength(1201);
      expect(rows.every(r => r.title === 'second')).toBe(true);
    });
  },
);

describePostgres(databases)('ranking row writes on %p', databaseId => {
  it('rewrites rows in their own pages, writing no index entry (HOT updates)', async () => {
    const names = Array.from({ length: 300 }, (_, i) => `svc-${i}`);
    const { knex } = await setUpRows(databaseId, names);
    // One transaction, so that its own statistics count the updates (the table's are
    // reported later, and include other tests' writes).
    const counts = await knex.transaction(async trx => {
      await upsertScorecards(
        trx,
        names.map(n => row(n, NOW, 'one')),
      );
      await upsertScorecards(
        trx,
        names.map(n => row(n, NOW + 1, 'two')),
      );
      const { rows } = await trx.raw(
        `select n_tup_upd, n_tup_hot_upd from pg_stat_xact_user_tables
         where relname = 'dm_scorecards'`,
      );
      return rows[0];
    });
    expect(Number(counts.n_tup_upd)).toBe(300);
    // In full pages (PostgreSQL's default fillfactor, 100), none was: 0 of 300.
    expect(Number(counts.n_tup_hot_upd)).toBe(300);
  });
});
