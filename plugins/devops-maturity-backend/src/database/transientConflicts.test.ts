import { Knex } from 'knex';
import { createTestDatabases, databaseIds } from '../__testUtils__/databases';
import {
  isTransientConflict,
  TRANSIENT_ATTEMPTS,
  transactionRetryingConflicts,
} from './transientConflicts';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const postgres = databaseIds(databases).filter(([id]) =>
  id.startsWith('POSTGRES'),
);

/** Resolves once `count` callers have arrived. */
function barrier(count: number) {
  let arrived = 0;
  let open!: () => void;
  const opened = new Promise<void>(resolve => (open = resolve));
  return () => {
    arrived += 1;
    if (arrived === count) open();
    return opened;
  };
}

describe.each(postgres)('transactionRetryingConflicts on %p', databaseId => {
  /**
   * Two transactions lock two rows in opposite orders, as two batches once locked the stale
   * marks of the same services: PostgreSQL aborts one of them (deadlock_detected), which runs
   * again once the other committed, instead of failing its request.
   */
  it('runs a transaction PostgreSQL aborted in a deadlock again, and both succeed', async () => {
    const knex = await databases.init(databaseId);
    await knex.schema.createTable('pairs', t => {
      t.string('k').primary();
      t.integer('v').notNullable();
    });
    await knex('pairs').insert([
      { k: 'a', v: 0 },
      { k: 'b', v: 0 },
    ]);
    const bothHoldTheirFirstRow = barrier(2);
    const attempts: string[] = [];
    const work =
      (first: string, second: string) => async (trx: Knex.Transaction) => {
        const attempt = attempts.filter(a => a === first).length + 1;
        attempts.push(first);
        await trx('pairs').where('k', first).increment('v', 1);
        if (attempt === 1) await bothHoldTheirFirstRow();
        await trx('pairs').where('k', second).increment('v', 1);
      };

    // Without the retry, one of the two fails with the deadlock.
    const plain = await Promise.allSettled([
      knex.transaction(work('a', 'b')),
      knex.transaction(work('b', 'a')),
    ]);
    const failed = plain.filter(r => r.status === 'rejected');
    expect(failed).toHaveLength(1);
    expect(
      isTransientConflict((failed[0] as PromiseRejectedResult).reason),
    ).toBe(true);

    attempts.length = 0;
    const again = barrier(2);
    const retried =
      (first: string, second: string) => async (trx: Knex.Transaction) => {
        const attempt = attempts.filter(a => a === first).length + 1;
        attempts.push(first);
        await trx('pairs').where('k', first).increment('v', 1);
        if (attempt === 1) await again();
        await trx('pairs').where('k', second).increment('v', 1);
      };
    await Promise.all([
      transactionRetryingConflicts(knex, retried('a', 'b')),
      transactionRetryingConflicts(knex, retried('b', 'a')),
    ]);
    expect(attempts).toHaveLength(3);
    // The first round left one transaction's two increments; the second round both.
    expect(await knex('pairs').orderBy('k').select('k', 'v')).toEqual([
      { k: 'a', v: 3 },
      { k: 'b', v: 3 },
    ]);
  });
});

describe('transactionRetryingConflicts', () => {
  const fakeKnex = (run: () => Promise<unknown>) =>
    ({ transaction: () => run() } as unknown as Knex);

  it('passes other errors through at once, and gives up after its attempts', async () => {
    let calls = 0;
    const other = Object.assign(new Error('duplicate'), { code: '23505' });
    await expect(
      transactionRetryingConflicts(
        fakeKnex(async () => {
          calls += 1;
          throw other;
        }),
        async () => undefined,
      ),
    ).rejects.toBe(other);
    expect(calls).toBe(1);

    calls = 0;
    const deadlock = Object.assign(new Error('deadlock detected'), {
      code: '40P01',
    });
    await expect(
      transactionRetryingConflicts(
        fakeKnex(async () => {
          calls += 1;
          throw deadlock;
        }),
        async () => undefined,
      ),
    ).rejects.toBe(deadlock);
    expect(calls).toBe(TRANSIENT_ATTEMPTS);
  });
});
