import knexFactory, { Knex } from 'knex';
import { reusePreparedStatements } from './sqliteStatementCache';

const opened: Knex[] = [];
afterAll(() => Promise.all(opened.map(k => k.destroy())));

/** An in-memory better-sqlite3 knex, with a count of what its one connection prepared. */
async function open(reuse: boolean) {
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: ':memory:' },
    useNullAsDefault: true,
  });
  opened.push(knex);
  if (reuse) reusePreparedStatements(knex);
  const connection = await knex.client.acquireConnection();
  const prepare = jest.spyOn(connection, 'prepare');
  await knex.client.releaseConnection(connection);
  return { knex, prepare };
}

describe('reusePreparedStatements', () => {
  it('prepares the same SQL once, in transactions too, with the answers unchanged', async () => {
    const { knex, prepare } = await open(true);
    await knex.schema.createTable('t', t => t.integer('n'));
    prepare.mockClear();

    for (let n = 0; n < 5; n++) await knex('t').insert({ n });
    await knex.transaction(async trx => {
      for (let n = 5; n < 10; n++) await trx('t').insert({ n });
    });
    const sums: number[] = [];
    for (let i = 0; i < 3; i++) {
      sums.push((await knex('t').sum({ s: 'n' }).first())!.s);
    }

    expect(sums).toEqual([45, 45, 45]);
    const prepared = prepare.mock.calls.map(([sql]) => String(sql));
    // one insert, BEGIN, COMMIT, one select: each once
    expect(prepared.filter(sql => /^insert/i.test(sql))).toHaveLength(1);
    expect(prepared.filter(sql => /^select/i.test(sql))).toHaveLength(1);
    expect(prepared.length).toBeLessThanOrEqual(4);
  });

  it('answers from the new schema after it changed', async () => {
    const { knex } = await open(true);
    await knex.schema.createTable('t', t => t.integer('n'));
    await knex('t').insert({ n: 1 });
    expect(await knex('t').select('*')).toEqual([{ n: 1 }]);
    await knex.schema.alterTable('t', t => t.integer('m').defaultTo(7));
    expect(await knex('t').select('*')).toEqual([{ n: 1, m: 7 }]);
  });

  it('stays correct past its bound of statements', async () => {
    const { knex } = await open(true);
    for (let n = 0; n < 600; n++) {
      expect(await knex.raw(`select ${n} as n`)).toEqual([{ n }]);
    }
    expect(await knex.raw('select 0 as n')).toEqual([{ n: 0 }]);
  });

  it('leaves other clients of the same dialect preparing every query', async () => {
    await open(true);
    const { knex, prepare } = await open(false);
    for (let i = 0; i < 3; i++) await knex.raw('select 1');
    expect(prepare).toHaveBeenCalledTimes(3);
  });
});
