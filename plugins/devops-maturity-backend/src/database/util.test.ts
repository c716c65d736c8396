import { createTestDatabases, databaseIds } from '../__testUtils__/databases';
import { selectWhereIn, selectWherePairs } from './util';

jest.setTimeout(60_000);

const databases = createTestDatabases();

describe.each(databaseIds(databases))('list lookups on %p', databaseId => {
  async function tableOf(rows: Array<{ a: string; b: string; n: number }>) {
    const knex = await databases.init(databaseId);
    await knex.schema.createTable('t', table => {
      table.string('a');
      table.string('b');
      table.integer('n');
    });
    for (let i = 0; i < rows.length; i += 200)
      await knex('t').insert(rows.slice(i, i + 200));
    return knex;
  }

  it('finds the rows whose column is in a list longer than one chunk, numbers and strings', async () => {
    const rows = Array.from({ length: 1500 }, (_, n) => ({
      a: `a${n}`,
      b: 'x',
      n,
    }));
    const knex = await tableOf(rows);
    const wanted = rows.filter(r => r.n % 3 === 0);

    const byString = await selectWhereIn(() => knex('t').select('n'), 'a', [
      ...wanted.map(r => r.a),
      'not-there',
    ]);
    expect(byString.map(r => r.n).sort((x, y) => x - y)).toEqual(
      wanted.map(r => r.n),
    );
    const byNumber = await selectWhereIn(
      () => knex('t').where('n', '<', 30).select('n'),
      'n',
      wanted.map(r => r.n),
    );
    expect(byNumber.map(r => r.n).sort((x, y) => x - y)).toEqual([
      0, 3, 6, 9, 12, 15, 18, 21, 24, 27,
    ]);
    expect(await selectWhereIn(() => knex('t'), 'a', [])).toEqual([]);
  });

  it('finds the rows matching a pair, not those matching each half of different pairs', async () => {
    const knex = await tableOf([
      { a: 'p', b: 'x', n: 1 },
      { a: 'p', b: 'y', n: 2 },
      { a: 'q', b: 'x', n: 3 },
      { a: 'q', b: 'y', n: 4 },
    ]);
    const found = await selectWherePairs<{ n: number }>(
      () => knex('t').select('a', 'b', 'n'),
      ['a', 'b'],
      [
        ['p', 'y'],
        ['q', 'x'],
        ['r', 'x'],
      ],
    );
    expect(found.map(r => r.n).sort()).toEqual([2, 3]);
    expect(await selectWherePairs(() => knex('t'), ['a', 'b'], [])).toEqual([]);
  });
});
