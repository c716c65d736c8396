import { Knex } from 'knex';
import { transactionRetryingConflicts } from './transientConflicts';

interface Waiting<B, R> {
  batch: B;
  resolve(result: R): void;
  reject(error: unknown): void;
}

/**
 * Writes the batches that arrive while a transaction runs together, in the next transaction:
 * one commit for all of them, each batch answered once that commit is durable.
 *
 * Why: on SQLite every commit syncs the write-ahead log to disk, on the one connection, while
 * the event loop waits. Under many small pushes (a pipeline per deployment) that sync was the
 * largest single cost of a push (0.8-0.9 ms of ~2.8 ms, `bench/smallBatches.ts`). A group
 * shares it, and adds no wait when pushes come one at a time: a batch that finds no transaction
 * running starts one at once.
 *
 * A group's batches are written one after the other, in arrival order, each seeing the writes
 * of those before it: the same rows as writing them one by one. If any batch of a group fails,
 * the group is rolled back and each of its batches written again alone, so a batch's failure
 * reaches only its own caller, and no caller is told of a write that was rolled back.
 */
export class GroupCommit<B, R> {
  private readonly queue: Array<Waiting<B, R>> = [];
  private draining = false;

  constructor(
    private readonly knex: Knex,
    private readonly writeOne: (trx: Knex.Transaction, batch: B) => Promise<R>,
    /** A batch's size (its events): a group stops growing at `maxGroupSize`. */
    private readonly sizeOf: (batch: B) => number,
    /**
     * A group's largest size, at least one batch. On SQLite the event loop turns within a
     * group's writes (see `inTurns`), but what runs between two turns (building the group's
     * rows, its commit) grows with the group.
     */
    private readonly maxGroupSize = 2_000,
  ) {}

  write(batch: B): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ batch, resolve, reject });
      if (!this.draining) {
        this.draining = true;
        void this.drain();
      }
    });
  }

  private async drain() {
    try {
      while (this.queue.length) await this.writeGroup();
    } finally {
      this.draining = false;
    }
  }

  /** Takes the batches waiting now, in order, up to the largest group size. */
  private takeGroup(): Array<Waiting<B, R>> {
    let size = 0;
    let count = 0;
    while (count < this.queue.length) {
      size += this.weightOf(this.queue[count].batch);
      if (count > 0 && size > this.maxGroupSize) break;
      count++;
    }
    return this.queue.splice(0, count);
  }

  /**
   * A batch's share of a group: at least one, so that empty batches (each still a
   * transaction's worth of statements) cannot make a group unbounded; one should its size
   * not be known, or not be a number (the write itself will then answer that batch's error).
   */
  private weightOf(batch: B): number {
    try {
      const size = this.sizeOf(batch);
      return Number.isFinite(size) ? Math.max(1, size) : 1;
    } catch {
      return 1;
    }
  }

  private async writeGroup() {
    let group: Array<Waiting<B, R>> | undefined;
    let results: R[];
    try {
      results = await transactionRetryingConflicts(this.knex, async trx => {
        // Taken once the transaction holds the connection, not before: the batches that
        // arrived while it waited for it join this group. A retry writes the same group.
        group ??= this.takeGroup();
        const written: R[] = [];
        for (const waiting of group) {
          written.push(await this.writeOne(trx, waiting.batch));
        }
        return written;
      });
    } catch (error) {
      if (!group) {
        // No transaction began (no connection): the batches waiting now were not written.
        for (const waiting of this.takeGroup()) waiting.reject(error);
        return;
      }
      if (group.length === 1) {
        group[0].reject(error);
        return;
      }
      await this.writeAlone(group);
      return;
    }
    group!.forEach((waiting, i) => waiting.resolve(results[i]));
  }

  /** A failed group's batches, each in its own transaction: a failure is its batch's alone. */
  private async writeAlone(group: Array<Waiting<B, R>>) {
    for (const waiting of group) {
      try {
        waiting.resolve(
          await transactionRetryingConflicts(this.knex, trx =>
            this.writeOne(trx, waiting.batch),
          ),
        );
      } catch (error) {
        waiting.reject(error);
      }
    }
  }
}
