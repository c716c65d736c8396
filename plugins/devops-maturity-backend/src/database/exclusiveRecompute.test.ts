import knexFactory, { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/databases';
import { exclusively } from './exclusiveRecompute';

jest.setTimeout(60_000);

const databases = createTestDatabases();

/** Resolves once `check` is true, asking again at every turn of the event loop. */
async function until(check: () => Promise<boolean> | boolean) {
  while (!(await check())) await new Promise(r => setTimeout(r, 10));
}

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
        await until(async () => {
          const { rows } = await replicaA.raw(
            `select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted`,
          );
          return rows[0].n > 0;
        });
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
