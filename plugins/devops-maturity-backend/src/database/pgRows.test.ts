import { createTestDatabases, databaseIds } from '../__testUtils__/databases';
import { inKeyOrder, pgUpsertRows } from './pgRows';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const postgres = databaseIds(databases).filter(([id]) =>
  id.startsWith('POSTGRES'),
);

describe('inKeyOrder', () => {
  it('orders by each key in turn, nulls first, and leaves its input as it was', () => {
    const rows = [
      { a: 'y', b: 2 },
      { a: 'x', b: 9 },
      { a: null, b: 5 },
      { a: 'y', b: 1 },
    ];
    expect(inKeyOrder(rows, ['a', 'b'])).toEqual([
      { a: null, b: 5 },
      { a: 'x', b: 9 },
      { a: 'y', b: 1 },
      { a: 'y', b: 2 },
    ]);
    expect(rows[0]).toEqual({ a: 'y', b: 2 });
  });
});

describe.each(postgres)('pgUpsertRows on %p', databaseId => {
  it('writes (and so locks) a batch’s rows in the order of their conflict key', async () => {
    const knex = await databases.init(databaseId);
    await knex.schema.createTable('pairs', t => {
      t.string('k').primary();
      t.integer('v').notNullable();
    });
    await knex('pairs').insert({ k: 'b', v: 0 });

    const written = await pgUpsertRows(
      knex,
      'pairs',
      [
        { k: 'c', v: 1 },
        { k: 'a', v: 1 },
        { k: 'b', v: 1 },
      ],
      { conflict: ['k'], returning: ['k'] },
    );

    // RETURNING answers the rows in the order the statement wrote them
    expect(written.map(r => r.k)).toEqual(['a', 'b', 'c']);
    expect(await knex('pairs').orderBy('k')).toEqual([
      { k: 'a', v: 1 },
      { k: 'b', v: 1 },
      { k: 'c', v: 1 },
    ]);
  });
});
