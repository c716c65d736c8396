import knexFactory, { Knex } from 'knex';
import { letEventLoopTurnBeforeQueries } from './sqliteTurns';

const open = () =>
  knexFactory({
    client: 'better-sqlite3',
    connection: { filename: ':memory:' },
    useNullAsDefault: true,
  });

/** Whether a callback queued on the event loop runs before `queries` finish. */
async function loopTurnsDuring(queries: () => Promise<void>) {
  let turned = false;
  const handle = setImmediate(() => {
    turned = true;
  });
  await queries();
  clearImmediate(handle);
  return turned;
}

const tenSelects = (knex: Knex) => async () => {
  for (let n = 0; n < 10; n++) await knex.raw('SELECT 1');
};

describe('letEventLoopTurnBeforeQueries', () => {
  const opened: Knex[] = [];
  afterAll(() => Promise.all(opened.map(k => k.destroy())));
  const knex = () => {
    const k = open();
    opened.push(k);
    return k;
  };

  it('lets other work run during a chain of queries, in transactions too', async () => {
    const ours = knex();
    letEventLoopTurnBeforeQueries(ours);
    expect(await loopTurnsDuring(tenSelects(ours))).toBe(true);
    expect(
      await loopTurnsDuring(() =>
        ours.transaction(async trx => tenSelects(trx as unknown as Knex)()),
      ),
    ).toBe(true);
  });

  it('leaves other clients of the same dialect as they were', async () => {
    const ours = knex();
    letEventLoopTurnBeforeQueries(ours);
    const theirs = knex();
    // Without a turn, better-sqlite3's synchronous answers resolve as microtasks and the
    // whole chain runs before anything queued on the event loop: what froze the backend.
    expect(await loopTurnsDuring(tenSelects(theirs))).toBe(false);
  });
});
