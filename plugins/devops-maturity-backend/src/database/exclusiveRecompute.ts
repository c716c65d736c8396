import { Knex } from 'knex';
import { isSqlite } from './util';
import { holdAdvisoryLock } from './advisoryLock';

/**
 * The key of the PostgreSQL advisory lock held while every ranking row is recomputed: a
 * constant of this plugin (advisory locks are per database, and each plugin has its own).
 */
const RECOMPUTE_ALL_LOCK = 0x646d_7261; // "dmra"

/** Per database client, the last recomputation queued in this process. */
const inProcess = new WeakMap<object, Promise<unknown>>();

/**
 * Runs `fn` while no other recomputation of every ranking row runs, on any replica: they
 * queue, each starting after the one before ends.
 *
 * Why: the rankings job runs on one replica at a time (`scope: 'global'`), but a catalog
 * refresh or a rebuild of the stored facts recomputes every row too, on whichever replica ran
 * it. The load probe saw a replica's first catalog refresh recompute for 200 s beside the
 * other replica's scheduled run: twice the work, at once. Queued rather than skipped, so that
 * a recomputation asked for after a catalog change always starts after that change.
 *
 * On PostgreSQL a transaction-scoped advisory lock, held on one pooled connection while `fn`
 * works on others; on SQLite (one replica) the in-process queue alone.
 */
export async function exclusively<T>(
  knex: Knex,
  fn: () => Promise<T>,
): Promise<T> {
  const before = inProcess.get(knex.client) ?? Promise.resolve();
  const run = before
    .catch(() => undefined)
    .then(() => acrossReplicas(knex, fn));
  inProcess.set(knex.client, run);
  return run;
}

async function acrossReplicas<T>(knex: Knex, fn: () => Promise<T>) {
  if (isSqlite(knex)) return fn();
  return knex.transaction(async trx => {
    await holdAdvisoryLock(trx, RECOMPUTE_ALL_LOCK);
    return fn();
  });
}
