import knexFactory, { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/databases';
import { exclusively } from './exclusiveRecompute';
import { advisoryLockAwaited, until } from '../__testUtils__/until';

jest.setTimeout(60_000);

const databases = createTestDatabases();

function held() {
  let release!: () => void;
  const done = new Promise<void>(resolve => {
    release = resolve;
  });
  return { done, release };
}

describe('exclusively', () => {
  it('runs recomputations of one process one after another', async () => {
    const knex = await databases.init('SQLITE_3');
    const first = held();
    const order: string[] = [];
    const a = exclusively(knex, async () => {
      order.push('a starts');
      await first.done;
      order.push('a ends');
    });
    const b = exclusively(knex, async () => {
      order.push('b starts');
    });
    await until(() => order.length > 0);
    first.release();
    await Promise.all([a, b]);
    expect(order).toEqual(['a starts', 'a ends', 'b starts']);
  });

  if (databases.supports('POSTGRES_15')) {
    it('makes two replicas on one PostgreSQL database take turns', async () => {
      const replicaA = await databases.init('POSTGRES_15');
      // A second client of the same database, as a second replica has.
      const replicaB: Knex = knexFactory({
        client: 'pg',
        connection: replicaA.client.config.connection,
        pool: { min: 0, max: 4 },
      });
      try {
        const first = held();
        const order: string[] = [];
        const a = exclusively(replicaA, async () => {
          order.push('a starts');
          await first.done;
          order.push('a ends');
        });
        await until(() => order.length > 0);
        const b = exclusively(replicaB, async () => {
          order.push('b starts');
        });
        // B waits on the lock A holds: seen in pg_locks, not assumed after a delay.
        await until(() => advisoryLockAwaited(replicaA));
        expect(order).toEqual(['a starts']);
        first.release();
        await Promise.all([a, b]);
        expect(order).toEqual(['a starts', 'a ends', 'b starts']);
      } finally {
        await replicaB.destroy();
      }
    });
  }
});
