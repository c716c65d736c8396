import { Knex } from 'knex';
import { holdAdvisoryLock } from './advisoryLock';

/** The key of the PostgreSQL advisory lock that orders mirror replacements ("dmcr"). */
const CATALOG_LOCK = 0x646d_6372;

/**
 * Held, until the transaction ends, while the catalog mirror is replaced: one replacement at a
 * time, and none while a ranking write checks the mirror (see `holdCatalogShared`). SQLite runs
 * one writer at a time and needs none.
 */
export function holdCatalogExclusively(trx: Knex.Transaction) {
  return holdAdvisoryLock(trx, CATALOG_LOCK);
}

/**
 * Held, until the transaction ends, by a ranking write: the mirror it then reads cannot be
 * replaced before the write commits. Ranking writes share it with each other.
 */
export function holdCatalogShared(trx: Knex.Transaction) {
  return holdAdvisoryLock(trx, CATALOG_LOCK, 'shared');
}
