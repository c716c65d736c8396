import {
  computeDoraMetrics,
  DEFAULT_DORA_OPTIONS,
  DeploymentEvent,
  DORA_2021,
  IncidentEvent,
  TimeWindow,
} from '@devops-maturity/backstage-plugin-common';
import { eventually } from '@devops-maturity/backstage-plugin-node/testUtils';
import { Knex } from 'knex';
import {
  createTestDatabases,
  createTestStore,
  databaseIds,
} from '../__testUtils__/databases';
import {
  at,
  deployment,
  ENTITY,
  H,
  incident,
  T0,
} from '../__testUtils__/events';
import { DoraStores } from './openStores';
import { upsertRows } from './fastWrites';
import { notOlderThanStored } from './ordering';
import { writeIncidents } from './writeIncidents';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const window: TimeWindow = { from: T0, to: T0 + 30 * 24 * H };

const write = (
  stores: DoraStores,
  deployments: DeploymentEvent[],
  incidents: IncidentEvent[] = [],
) =>
  stores.events.writeBatch(
    { deployments, incidents, unmatched: [] },
    DEFAULT_DORA_OPTIONS,
  );

async function metrics(stores: DoraStores) {
  const facts = (await stores.facts.readFacts([ENTITY], window)).get(ENTITY)!;
  return computeDoraMetrics(facts, window, DORA_2021);
}

const page = { limit: 10, offset: 0 };

/** Resolves once a PostgreSQL transaction waits on a lock another one holds. */
function someoneWaitsOnALock(knex: Knex) {
  return eventually(async () => {
    const { rows } = await knex.raw(
      'SELECT count(*) AS n FROM pg_locks WHERE NOT granted',
    );
    if (Number(rows[0].n) === 0) throw new Error('no transaction waits yet');
  });
}

describe.each(databaseIds(databases))('Late copies on %p', databaseId => {
  it('never lets an older deployment copy replace a newer one, nor change its changes', async () => {
    const { stores } = await createTestStore(databases, databaseId);
    const success = deployment('1', at(2), {
      updatedAt: at(2),
      commits: [{ sha: 'a', committedAt: at(0) }],
    });
    await write(stores, [success]);
    // GitHub's `failure` status of the same deployment, delivered late: older than the success.
    const late = deployment('1', at(1), {
      status: 'failure',
      updatedAt: at(1),
      commits: [],
    });
    expect(await write(stores, [late])).toEqual({
      inserted: 0,
      updated: 0,
      unmatched: 0,
      stale: 1,
    });
    const listed = await stores.events.listDeployments(ENTITY, page);
    expect(listed.items).toEqual([
      expect.objectContaining({
        status: 'success',
        finishedAt: at(2),
        updatedAt: at(2),
        commits: [{ sha: 'a', committedAt: at(0) }],
      }),
    ]);
    const m = await metrics(stores);
    expect(m.deploymentFrequency.deployments).toBe(1);
    expect(m.leadTime.changes).toBe(1);
    expect(m.leadTime.medianSeconds).toBe(7200);

    // The same time replaces (a redelivery of the same state); so does a copy without one.
    expect(await write(stores, [{ ...success, version: 'v2' }])).toMatchObject({
      updated: 1,
      stale: 0,
    });
    expect(
      (await stores.events.listDeployments(ENTITY, page)).items[0].version,
    ).toBe('v2');
    const untimed = { ...late, updatedAt: undefined };
    expect(await write(stores, [untimed])).toMatchObject({
      updated: 1,
      stale: 0,
    });
    expect((await stores.events.listDeployments(ENTITY, page)).items).toEqual([
      expect.objectContaining({ status: 'failure', updatedAt: undefined }),
    ]);
    // The stored copy has no time now: the last write wins again.
    expect(await write(stores, [late])).toMatchObject({ updated: 1, stale: 0 });
    expect((await metrics(stores)).deploymentFrequency.deployments).toBe(0);
  });

  it('does not relink incidents for a stale deployment copy', async () => {
    const { stores } = await createTestStore(databases, databaseId);
    await write(
      stores,
      [deployment('1', at(1)), deployment('2', at(20), { updatedAt: at(20) })],
      [incident('i', at(10), { resolvedAt: at(11) })],
    );
    const failed = async () =>
      (await stores.events.listDeployments(ENTITY, page)).items.map(d => [
        d.id,
        d.failed,
      ]);
    expect(await failed()).toEqual([
      ['2', false],
      ['1', true],
    ]);
    // Applied, this copy would move 2 before the incident and make it the cause.
    expect(
      await write(stores, [deployment('2', at(5), { updatedAt: at(19) })]),
    ).toMatchObject({ stale: 1 });
    expect(await failed()).toEqual([
      ['2', false],
      ['1', true],
    ]);
  });

  it('keeps a resolved incident resolved when its trigger arrives late, and reopens it only on a newer reopen', async () => {
    const { stores } = await createTestStore(databases, databaseId);
    const opened = at(10);
    const resolved = incident('p', opened, {
      resolvedAt: at(10.75),
      updatedAt: at(10.75),
    });
    const triggered = incident('p', opened, { updatedAt: opened });
    // Resolved delivered before triggered.
    await write(stores, [], [resolved]);
    expect(await write(stores, [], [triggered])).toEqual({
      inserted: 0,
      updated: 0,
      unmatched: 0,
      stale: 1,
    });
    let m = await metrics(stores);
    expect(m.timeToRestore.restoredIncidents).toBe(1);
    expect(m.timeToRestore.medianSeconds).toBe(45 * 60);
    expect(m.timeToRestore.openIncidents).toBe(0);

    // Reopened after the resolve: open again, no restore time.
    await write(stores, [], [incident('p', opened, { updatedAt: at(11.5) })]);
    m = await metrics(stores);
    expect(m.timeToRestore.restoredIncidents).toBe(0);
    expect(m.timeToRestore.openIncidents).toBe(1);
    // Resolved again: restored at the last resolve, measured from the first open.
    await write(
      stores,
      [],
      [incident('p', opened, { resolvedAt: at(12), updatedAt: at(12) })],
    );
    m = await metrics(stores);
    expect(m.timeToRestore.medianSeconds).toBe(2 * 3600);
    expect(m.timeToRestore.openIncidents).toBe(0);
  });

  it('keeps the newer of two unmatched copies, for the replay', async () => {
    const { stores } = await createTestStore(databases, databaseId);
    const unmatched = (updatedAt: string, resolvedAt: string | null) => ({
      eventType: 'incident' as const,
      source: 'pagerduty',
      id: 'p',
      identity: { 'pagerduty.com/service-id': 'PX' },
      reason: 'no catalog entity carries these annotations',
      payload: { id: 'p', openedAt: at(10), resolvedAt, updatedAt },
      receivedAt: T0,
    });
    const batch = (u: ReturnType<typeof unmatched>) =>
      stores.events.writeBatch(
        { deployments: [], incidents: [], unmatched: [u] },
        DEFAULT_DORA_OPTIONS,
      );
    expect(await batch(unmatched(at(11), at(11)))).toMatchObject({
      unmatched: 1,
      stale: 0,
    });
    expect(await batch(unmatched(at(10), null))).toMatchObject({
      unmatched: 0,
      stale: 1,
    });
    const kept = await stores.unmatched.listUnmatched(page);
    expect(kept.items.map(u => u.payload)).toEqual([
      expect.objectContaining({ resolvedAt: at(11) }),
    ]);
  });

  it('refuses, in the upsert itself, a copy older than the stored one', async () => {
    // What protects a batch that read the row before a concurrent batch stored a newer copy.
    const { knex } = await createTestStore(databases, databaseId);
    const row = (updatedAt: number | null, title: string) => ({
      source: 'pagerduty',
      external_id: 'p',
      entity_ref: ENTITY,
      opened_at: T0,
      title,
      source_updated_at: updatedAt,
    });
    const upsert = (r: ReturnType<typeof row>) =>
      knex.transaction(trx =>
        upsertRows(trx, 'dm_incidents', [r], {
          conflict: ['source', 'external_id'],
          mergeWhere: notOlderThanStored('dm_incidents'),
          returning: ['pk'],
        }),
      );
    const title = async () => (await knex('dm_incidents').first('title')).title;
    expect(await upsert(row(T0 + 10, 'resolved'))).toHaveLength(1);
    expect(await upsert(row(T0 + 5, 'triggered'))).toHaveLength(0);
    expect(await title()).toBe('resolved');
    expect(await upsert(row(T0 + 10, 'again'))).toHaveLength(1);
    expect(await title()).toBe('again');
    expect(await upsert(row(null, 'untimed'))).toHaveLength(1);
    expect(await upsert(row(T0, 'after untimed'))).toHaveLength(1);
    expect(await title()).toBe('after untimed');
  });

  it('keeps the resolve when a trigger read the incident before the resolve was committed', async () => {
    const { knex, stores } = await createTestStore(databases, databaseId);
    const opened = at(10);
    const resolved = incident('p', opened, {
      resolvedAt: at(11),
      updatedAt: at(11),
    });
    const triggered = incident('p', opened, { updatedAt: opened });
    let commit!: () => void;
    const committing = new Promise<void>(resolve => (commit = resolve));
    let wrote!: () => void;
    const written = new Promise<void>(resolve => (wrote = resolve));
    const first = knex.transaction(async trx => {
      await writeIncidents(trx, [resolved], DEFAULT_DORA_OPTIONS);
      wrote();
      await committing;
    });
    await written;
    const second = write(stores, [], [triggered]);
    // On PostgreSQL the trigger's batch has read no incident and now waits on the resolve's
    // row; SQLite runs one transaction at a time, so it waits before reading.
    if (databaseId === 'POSTGRES_15') await someoneWaitsOnALock(knex);
    commit();
    await first;
    expect(await second).toMatchObject({ inserted: 0, updated: 0, stale: 1 });
    const listed = await stores.events.listIncidents(ENTITY, page);
    expect(listed.items).toEqual([
      expect.objectContaining({ resolvedAt: at(11), restoreSeconds: 3600 }),
    ]);
  });
});
