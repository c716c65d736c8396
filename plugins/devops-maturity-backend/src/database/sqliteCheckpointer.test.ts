import fs from 'fs';
import os from 'os';
import path from 'path';
import knexFactory, { Knex } from 'knex';
import {
  DEFAULT_DORA_OPTIONS,
  DeploymentEvent,
} from '@devops-maturity/backstage-plugin-common';
import { deployment, ENTITY } from '../__testUtils__/events';
import { openDatabaseStores } from './openStores';
import { startSqliteCheckpointer } from './sqliteCheckpointer';

jest.setTimeout(60_000);

/** Polls `condition` until it holds; fails after `timeoutMs`. */
async function waitFor(condition: () => boolean, timeoutMs = 20_000) {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise(resolve => setImmediate(resolve));
  }
}

describe('the SQLite background checkpointer', () => {
  let directory: string;
  const opened: Knex[] = [];
  const open = (filename: string) => {
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename },
      useNullAsDefault: true,
    });
    opened.push(knex);
    return knex;
  };

  /** A store on a database file in `directory`, after one batch of these deployments. */
  const storeWith = async (deployments: DeploymentEvent[]) => {
    const filename = path.join(directory, 'devops-maturity.sqlite');
    const knex = open(filename);
    const stores = await openDatabaseStores({
      database: { getClient: async () => knex },
    });
    const sizeAfterMigrations = fs.statSync(filename).size;
    await stores.events.writeBatch(
      { deployments, incidents: [], unmatched: [] },
      DEFAULT_DORA_OPTIONS,
    );
    return { filename, knex, stores, sizeAfterMigrations };
  };

  beforeEach(() => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'dm-checkpointer-'));
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map(k => k.destroy()));
    fs.rmSync(directory, { recursive: true, force: true });
  });

  it('copies committed pages into the database file, and the data reads back after a reopen', async () => {
    // Far fewer pages than the writer's own fallback threshold: only the worker copies them.
    const { filename, knex, stores, sizeAfterMigrations } = await storeWith(
      Array.from({ length: 300 }, (_, n) =>
        deployment(`d${n}`, new Date(Date.UTC(2026, 5, 1, n)).toISOString(), {
          commits: [{ sha: `s${n}`, committedAt: '2026-05-31T00:00:00Z' }],
        }),
      ),
    );
    await waitFor(() => fs.statSync(filename).size > sizeAfterMigrations);
    await stores.close();
    await knex.destroy();
    opened.splice(opened.indexOf(knex), 1);

    const again = open(filename);
    const [{ n }] = await again('dm_deployments')
      .where('entity_ref', ENTITY)
      .count({ n: '*' });
    expect(Number(n)).toBe(300);
  });

  it('gives the log file back once writes stop, truncated by the worker, not on this thread', async () => {
    const { filename, knex, stores } = await storeWith([
      deployment('d1', '2026-06-01T00:00:00Z'),
    ]);
    const sql: string[] = [];
    knex.on('query', query => sql.push(query.sql));
    expect(fs.statSync(`${filename}-wal`).size).toBeGreaterThan(0);
    await waitFor(() => fs.statSync(`${filename}-wal`).size === 0);
    expect(sql.filter(q => /wal_checkpoint/i.test(q))).toEqual([]);
    // The writer's connection works on after it.
    await stores.events.writeBatch(
      {
        deployments: [deployment('d2', '2026-06-02T00:00:00Z')],
        incidents: [],
        unmatched: [],
      },
      DEFAULT_DORA_OPTIONS,
    );
    expect(Number((await knex('dm_deployments').count({ n: '*' }))[0].n)).toBe(
      2,
    );
    await stores.close();
  });

  it('stops when the worker said something else first', async () => {
    const { stores } = await storeWith([
      deployment('d1', '2026-06-01T00:00:00Z'),
    ]);
    // Keep this thread from taking messages (as a long chain of synchronous database calls
    // does) until the worker has found the log quiet and said so.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2_000);
    await stores.close(); // hung when stopping listened to the next message only
  });

  it('is not started, and says why, when knex may open more than one connection', async () => {
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: path.join(directory, 'pooled.sqlite') },
      useNullAsDefault: true,
      pool: { min: 1, max: 4 },
    });
    opened.push(knex);
    const onError = jest.fn();
    expect(await startSqliteCheckpointer(knex, { onError })).toBeUndefined();
    expect(onError).toHaveBeenCalledWith(
      expect.stringContaining('pool.max is 4'),
    );
  });

  it('is not started for in-memory databases', async () => {
    const knex = open(':memory:');
    expect(await startSqliteCheckpointer(knex)).toBeUndefined();
  });
});
