import { Knex } from 'knex';
import { DoraOptions } from '@devops-maturity/backstage-plugin-common';
import {
  DeploymentBaseQuery,
  EventBatch,
  EventStore,
  ListOptions,
  StoredIncidentQuery,
  WriteResult,
} from './types';
import { writeEventBatch } from './writeEventBatch';
import { GroupCommit } from './groupCommit';
import { transactionRetryingConflicts } from './transientConflicts';
import { listDeployments, listIncidents } from './lists';
import { deploymentBase } from './deploymentBase';
import { storedIncident } from './storedIncident';
import { isSqlite } from './util';

/**
 * Stored events: a batch is written in one transaction, with the facts it changes and the stale
 * marks of its entities' ranking rows (`writeEventBatch`); and one entity's events are listed.
 */
export class DatabaseEventStore implements EventStore {
  private readonly groupedWrites?: GroupCommit<
    { batch: EventBatch; options: DoraOptions },
    WriteResult
  >;

  constructor(
    private readonly knex: Knex,
    options: {
      /**
       * On SQLite, whether batches that arrive during a write share the next commit (default
       * true; false only to measure the difference, see `bench/smallBatches.ts`).
       */
      groupCommits?: boolean;
    } = {},
  ) {
    // PostgreSQL syncs the commits of concurrent transactions together by itself, and runs
    // them on several connections; SQLite has one connection and syncs each commit alone.
    if ((options.groupCommits ?? true) && isSqlite(knex)) {
      this.groupedWrites = new GroupCommit(
        knex,
        (trx, { batch, options: dora }) => writeEventBatch(trx, batch, dora),
        ({ batch }) =>
          batch.deployments.length +
          batch.incidents.length +
          batch.unmatched.length,
      );
    }
  }

  /**
   * Writes a batch in one transaction; on SQLite, with the batches that arrive meanwhile in the
   * next (see `GroupCommit`).
   */
  writeBatch(batch: EventBatch, options: DoraOptions): Promise<WriteResult> {
    if (this.groupedWrites) return this.groupedWrites.write({ batch, options });
    return transactionRetryingConflicts(this.knex, trx =>
      writeEventBatch(trx, batch, options),
    );
  }

  listDeployments(entityRef: string, options: ListOptions) {
    return listDeployments(this.knex, entityRef, options);
  }

  listIncidents(entityRef: string, options: ListOptions) {
    return listIncidents(this.knex, entityRef, options);
  }

  deploymentBase(query: DeploymentBaseQuery) {
    return deploymentBase(this.knex, query);
  }

  storedIncident(query: StoredIncidentQuery) {
    return storedIncident(this.knex, query);
  }
}
