import { Knex } from 'knex';
import { DEFAULT_DORA_OPTIONS } from '@devops-maturity/backstage-plugin-common';
import {
  createTestDatabases,
  createTestStore,
} from '../__testUtils__/databases';
import { deployment } from '../__testUtils__/events';
import { GroupCommit } from './groupCommit';

jest.setTimeout(60_000);

const databases = createTestDatabases();

/** Counts the commits `knex` runs from now on. */
function countCommits(knex: Knex) {
  const commits = { count: 0 };
  knex.on('query', ({ sql }: { sql: string }) => {
    if (/^commit/i.test(sql)) commits.count += 1;
  });
  return commits;
}

async function itemsTable() {
  const knex = await databases.init('SQLITE_3');
  await knex.schema.createTable('items', t => {
    t.string('k').primary();
    t.integer('v').notNullable();
  });
  return knex;
}

/** Writes a batch's keys; answers, per key, whether it was stored before (in order). */
const upsertKeys = async (trx: Knex.Transaction, keys: string[]) => {
  const seen: boolean[] = [];
  for (const k of keys) {
    const before = await trx('items').where({ k }).first();
    seen.push(!!before);
    await trx('items')
      .insert({ k, v: (before?.v ?? 0) + 1 })
      .onConflict('k')
      .merge();
  }
  return seen;
};

describe('GroupCommit', () => {
  it('writes the batches that wait meanwhile in one commit, each answered with its own result', async () => {
    const knex = await itemsTable();
    const commits = countCommits(knex);
    const group = new GroupCommit(knex, upsertKeys, keys => keys.length);

    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => group.write([`k${i}`])),
    );

    expect(answers).toEqual(Array.from({ length: 20 }, () => [false]));
    expect(await knex('items').count({ n: '*' }).first()).toEqual({ n: 20 });
    // the first batch may start a transaction alone; the others wait and share one
    expect(commits.count).toBeLessThanOrEqual(2);

    // One at a time, each batch is written at once, in a commit of its own.
    const before = commits.count;
    for (let i = 0; i < 3; i++) await group.write([`alone${i}`]);
    expect(commits.count - before).toBe(3);
  });

  it('writes a group in arrival order: a batch sees the batches before it', async () => {
    const knex = await itemsTable();
    const group = new GroupCommit(knex, upsertKeys, keys => keys.length);

    const answers = await Promise.all([
      group.write(['a', 'b']),
      group.write(['b']),
      group.write(['a', 'c']),
    ]);

    expect(answers).toEqual([[false, false], [true], [true, false]]);
    expect(await knex('items').orderBy('k')).toEqual([
      { k: 'a', v: 2 },
      { k: 'b', v: 2 },
      { k: 'c', v: 1 },
    ]);
  });

  it('fails only the batch that failed: nothing of it stored, the others stored and answered', async () => {
    const knex = await itemsTable();
    const group = new GroupCommit(
      knex,
      async (trx, keys: string[]) => {
        const seen = await upsertKeys(trx, keys);
        if (keys.includes('bad')) throw new Error('bad batch');
        return seen;
      },
      keys => keys.length,
    );

    const answers = await Promise.allSettled([
      group.write(['a']),
      group.write(['b', 'bad']),
      group.write(['c']),
    ]);

    expect(answers.map(a => a.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
    expect((answers[1] as PromiseRejectedResult).reason.message).toBe(
      'bad batch',
    );
    expect((await knex('items').orderBy('k')).map(r => r.k)).toEqual([
      'a',
      'c',
    ]);
  });

  it('keeps a group within its largest size, and takes a larger batch alone', async () => {
    const knex = await itemsTable();
    const keysByTransaction = new Map<Knex.Transaction, string[]>();
    const group = new GroupCommit(
      knex,
      async (trx, keys: string[]) => {
        keysByTransaction.set(trx, [
          ...(keysByTransaction.get(trx) ?? []),
          ...keys,
        ]);
        return upsertKeys(trx, keys);
      },
      keys => keys.length,
      3,
    );

    // All queued before the first transaction holds the connection: it takes what fits.
    await Promise.all(
      [['first'], ['a', 'b'], ['c'], ['d', 'e', 'f', 'g'], ['h']].map(keys =>
        group.write(keys),
      ),
    );

    expect([...keysByTransaction.values()]).toEqual([
      ['first', 'a', 'b'],
      ['c'],
      ['d', 'e', 'f', 'g'],
      ['h'],
    ]);
    expect(await knex('items').count({ n: '*' }).first()).toEqual({ n: 9 });
  });

  it('counts an empty batch, or one of unknown or unnumbered size, as one towards a group', async () => {
    const knex = await itemsTable();
    const groups: string[][][] = [];
    const seen = new Set<Knex.Transaction>();
    const group = new GroupCommit(
      knex,
      async (trx, keys: string[]) => {
        if (!seen.has(trx)) groups.push([]);
        seen.add(trx);
        groups[groups.length - 1].push(keys);
        return upsertKeys(trx, keys);
      },
      keys => {
        if (keys[0] === 'unknown') throw new Error('no size');
        return keys[0] === 'nan' ? NaN : keys.length;
      },
      2,
    );

    const answers = await Promise.allSettled(
      [['first'], [], [], [], ['unknown'], ['nan'], ['last']].map(keys =>
        group.write(keys),
      ),
    );

    expect(answers.map(a => a.status)).toEqual(
      Array.from({ length: 7 }, () => 'fulfilled'),
    );
    expect(groups).toEqual([
      [['first'], []],
      [[], []],
      [['unknown'], ['nan']],
      [['last']],
    ]);
  });

  it('answers every waiting batch with the error when no transaction can begin', async () => {
    const knex = await itemsTable();
    const group = new GroupCommit(knex, upsertKeys, keys => keys.length);
    await knex.destroy();

    const answers = await Promise.allSettled([
      group.write(['a']),
      group.write(['b']),
      group.write(['c']),
    ]);

    expect(answers.map(a => a.status)).toEqual([
      'rejected',
      'rejected',
      'rejected',
    ]);
  });

  it('gives each of the store’s concurrent pushes its own counts, a resend in the same group included', async () => {
    const { knex, stores } = await createTestStore(databases, 'SQLITE_3');
    const commits = countCommits(knex);
    const d = (id: string) => deployment(id, '2026-06-01T10:00:00Z');

    const results = await Promise.all(
      [['d1', 'd2'], ['d3'], ['d2', 'd4'], ['d1']].map(ids =>
        stores.events.writeBatch(
          { deployments: ids.map(d), incidents: [], unmatched: [] },
          DEFAULT_DORA_OPTIONS,
        ),
      ),
    );

    expect(results.map(r => [r.inserted, r.updated])).toEqual([
      [2, 0],
      [1, 0],
      [1, 1],
      [0, 1],
    ]);
    expect(commits.count).toBeLessThanOrEqual(2);
    expect(await knex('dm_deployments').count({ n: '*' }).first()).toEqual({
      n: 4,
    });
  });
});
