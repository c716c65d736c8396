import { Knex } from 'knex';

/**
 * PostgreSQL's codes for a transaction it aborted because another one conflicted with it:
 * deadlock_detected (40P01) and serialization_failure (40001). Nothing of it was written, so
 * it may simply run again.
 */
const TRANSIENT_CODES = new Set(['40P01', '40001']);

/** How often a conflicting transaction runs again before its error reaches the caller. */
export const TRANSIENT_ATTEMPTS = 5;

export const isTransientConflict = (error: unknown) =>
  TRANSIENT_CODES.has((error as { code?: string } | null)?.code ?? '');

/**
 * Runs `work` in a transaction, again when the database aborted it for a conflict with a
 * concurrent one (a deadlock between two batches for the same entities): the batch's writes
 * are idempotent by key and were rolled back, so the caller gets the answer of a clean run
 * rather than a 500. A short random pause lets the other transaction finish first.
 */
export async function transactionRetryingConflicts<T>(
  knex: Knex,
  work: (trx: Knex.Transaction) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await knex.transaction(work);
    } catch (error) {
      if (!isTransientConflict(error) || attempt >= TRANSIENT_ATTEMPTS)
        throw error;
      await new Promise(resolve =>
        setTimeout(resolve, Math.random() * 20 * attempt),
      );
    }
  }
}
