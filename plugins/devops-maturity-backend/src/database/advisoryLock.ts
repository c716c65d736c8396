import { Knex } from 'knex';
import { isSqlite } from './util';

/**
 * Holds a PostgreSQL advisory lock until `trx` ends: `exclusive` against every other holder,
 * `shared` against exclusive holders only. A number is the lock's key, a constant of this plugin
 * (advisory locks are per database, shared by every plugin using it); a string is hashed into
 * one (`hashtext`), for locks per name. On SQLite nothing: it runs one writer at a time.
 */
export async function holdAdvisoryLock(
  trx: Knex.Transaction,
  key: number | string,
  mode: 'exclusive' | 'shared' = 'exclusive',
): Promise<void> {
  if (isSqlite(trx)) return;
  const lock =
    mode === 'shared'
      ? 'pg_advisory_xact_lock_shared'
      : 'pg_advisory_xact_lock';
  const argument = typeof key === 'string' ? 'hashtext(?)' : '?';
  await trx.raw(`SELECT ${lock}(${argument})`, [key]);
}
