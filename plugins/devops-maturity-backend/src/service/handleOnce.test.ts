import { DAY_MS } from '@devops-maturity/backstage-plugin-common';
import {
  createTestDatabases,
  createTestStore,
  databaseIds,
} from '../__testUtils__/databases';
import { createHandleOnce } from './handleOnce';

jest.setTimeout(60_000);

const databases = createTestDatabases();

describe.each(databaseIds(databases))('handleOnce on %p', databaseId => {
  async function setUp() {
    const { knex, stores } = await createTestStore(databases, databaseId);
    let now = Date.parse('2026-06-01T00:00:00Z');
    const clock = () => now;
    const advance = (ms: number) => {
      now += ms;
    };
    return { knex, stores, clock, advance };
  }

  it('handles a delivery once per source, on every replica, and any delivery without an id', async () => {
    const { stores, clock } = await setUp();
    // Two replicas: each builds its own sink on the same database.
    const replicaA = createHandleOnce(
      stores.sources.deliveries('github'),
      clock,
    );
    const replicaB = createHandleOnce(
      stores.sources.deliveries('github'),
      clock,
    );
    const gitlab = createHandleOnce(stores.sources.deliveries('gitlab'), clock);
    const handled: string[] = [];
    const take = (what: string) => async () => {
      handled.push(what);
    };

    expect(await replicaA('d-1', take('first'))).toBe(true);
    expect(await replicaB('d-1', take('redelivered'))).toBe(false);
    expect(await gitlab('d-1', take('other source'))).toBe(true);
    expect(await replicaB(undefined, take('no id'))).toBe(true);
    expect(await replicaB(undefined, take('no id again'))).toBe(true);
    expect(await replicaA('x'.repeat(300), take('too long to key'))).toBe(true);
    expect(handled).toEqual([
      'first',
      'other source',
      'no id',
      'no id again',
      'too long to key',
    ]);
  });

  it('remembers a delivery only once it was handled, so a failed one is taken again', async () => {
    const { stores, clock } = await setUp();
    const handleOnce = createHandleOnce(
      stores.sources.deliveries('pagerduty'),
      clock,
    );
    await expect(
      handleOnce('e-1', async () => {
        throw new Error('database unavailable');
      }),
    ).rejects.toThrow('database unavailable');
    let taken = 0;
    expect(
      await handleOnce('e-1', async () => {
        taken++;
      }),
    ).toBe(true);
    expect(await handleOnce('e-1', async () => {})).toBe(false);
    expect(taken).toBe(1);
  });

  it('forgets deliveries after 30 days', async () => {
    const { knex, stores, clock, advance } = await setUp();
    const handleOnce = createHandleOnce(
      stores.sources.deliveries('github'),
      clock,
    );
    const noop = async () => {};
    await handleOnce('old', noop);
    advance(29 * DAY_MS);
    expect(await handleOnce('old', noop)).toBe(false);
    await handleOnce('recent', noop);
    advance(DAY_MS + 1);
    // Remembering another delivery purges the expired ones.
    await handleOnce('new', noop);
    expect(
      (await knex('dm_deliveries').orderBy('delivery_id')).map(
        r => r.delivery_id,
      ),
    ).toEqual(['new', 'recent']);
    expect(await handleOnce('old', noop)).toBe(true);
  });
});
