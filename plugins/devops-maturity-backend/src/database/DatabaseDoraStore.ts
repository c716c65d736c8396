import {
  DatabaseService,
  LoggerService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import {
  CalmsAssessment,
  DoraFacts,
  DoraOptions,
  TimeWindow,
} from '@devops-maturity/backstage-plugin-common';
import {
  DeploymentBaseQuery,
  DoraStore,
  StoredIncidentQuery,
  MaturityStore,
  EventBatch,
  ListOptions,
  MirroredEntity,
  MirroredGroup,
  WriteResult,
} from './types';
import { writeEventBatch } from './writeEventBatch';
import { GroupCommit } from './groupCommit';
import {
  assessmentHistory,
  checkHistory,
  checkHistorySince,
  checkLevelsBetween,
  insertAssessment,
  latestAssessments,
  readCheckSignals,
  recordCheckHistory,
} from './maturity';
import { moveDepartedEntities, recordDepartures } from './departedEntities';
import {
  listUnmatched,
  unmatchedFromRow,
  unmatchedNamedRefs,
} from './unmatchedList';
import { databaseDeliveryLog } from './deliveries';
import { databaseFactRules } from './factRules';
import {
  clearStale,
  countStale,
  markStale,
  readStale,
  StaleMark,
} from './staleRankings';
import { readFacts } from './readFacts';
import { exclusively } from './exclusiveRecompute';
import { startSqliteCheckpointer } from './sqliteCheckpointer';
import { letEventLoopTurnBeforeQueries } from './sqliteTurns';
import { reusePreparedStatements } from './sqliteStatementCache';
import { DatabaseCommitHistory } from './commitHistory';
import { listDeployments, listIncidents } from './lists';
import { deploymentBase } from './deploymentBase';
import { storedIncident } from './storedIncident';
import { transactionRetryingConflicts } from './transientConflicts';
import {
  chunks,
  isSqlite,
  toNumber,
  selectWhereIn,
  selectWherePairs,
  undefinedIfNull,
} from './util';
import {
  deleteScorecardsExcept,
  maturityRows,
  queryScorecards,
  RankingQuery,
  ScorecardRow,
  upsertScorecards,
} from './scorecards';

const migrationsDir = resolvePackagePath(
  '@devops-maturity/backstage-plugin-backend',
  'migrations',
);

/** The store on knex: SQLite (better-sqlite3) and PostgreSQL. */
export class DatabaseDoraStore implements DoraStore, MaturityStore {
  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
    /** Told of problems that do not stop the store, such as a failed background checkpoint. */
    logger?: LoggerService;
    /**
     * On SQLite, whether batches that arrive during a write share the next commit (default
     * true; false only to measure the difference, see `bench/smallBatches.ts`).
     */
    groupCommits?: boolean;
  }) {
    const knex = await options.database.getClient();
    if (isSqlite(knex) && knex.client.driverName !== 'better-sqlite3') {
      // The write path runs better-sqlite3's synchronous statements (see fastWrites.ts).
      throw new Error(
        `The devops-maturity backend stores SQLite data through better-sqlite3; ` +
          `set backend.database.client to better-sqlite3 (it is ${knex.client.driverName})`,
      );
    }
    letEventLoopTurnBeforeQueries(knex);
    reusePreparedStatements(knex);
    if (isSqlite(knex)) {
      // SQLite's defaults (a rollback journal written and synced twice per commit, a 2 MB
      // page cache) make each batch wait on the disk. Write-ahead logging appends a batch
      // with one sync (FULL: an acknowledged batch survives a power loss too, which NORMAL
      // does not promise; measured within 3% of NORMAL once checkpoints run in the
      // background). No effect on in-memory databases.
      await knex.raw('PRAGMA journal_mode = WAL');
      await knex.raw('PRAGMA synchronous = FULL');
      await knex.raw('PRAGMA cache_size = -65536');
    }
    if (!options.database.migrations?.skip && !options.skipMigrations) {
      await knex.migrate.latest({ directory: migrationsDir });
    }
    const checkpointer = await startSqliteCheckpointer(knex, {
      onError: message =>
        options.logger?.warn(`SQLite background checkpoint failed: ${message}`),
    });
    return new DatabaseDoraStore(
      knex,
      checkpointer,
      options.groupCommits ?? true,
    );
  }

  private readonly groupedWrites?: GroupCommit<
    { batch: EventBatch; options: DoraOptions },
    WriteResult
  >;

  private constructor(
    private readonly knex: Knex,
    private readonly checkpointer?: { stop(): Promise<void> },
    groupCommits = true,
  ) {
    // PostgreSQL syncs the commits of concurrent transactions together by itself, and runs
    // them on several connections; SQLite has one connection and syncs each commit alone.
    if (groupCommits && isSqlite(knex)) {
      this.groupedWrites = new GroupCommit(
        knex,
        (trx, { batch, options }) => writeEventBatch(trx, batch, options),
        ({ batch }) =>
          batch.deployments.length +
          batch.incidents.length +
          batch.unmatched.length,
      );
    }
  }

  /** Stops background work (SQLite checkpoints); the database connection stays knex's. */
  async close() {
    await this.checkpointer?.stop();
  }

  async replaceCatalog(entities: MirroredEntity[], groups: MirroredGroup[]) {
    const parents = new Map(groups.map(g => [g.groupRef, g.parentRef]));
    const ancestors: Array<{
      group_ref: string;
      ancestor_ref: string;
      depth: number;
    }> = [];
    for (const g of groups) {
      const seen = new Set<string>(); // guards against a cycle in bad catalog data
      for (
        let at: string | undefined = g.groupRef, depth = 0;
        at && !seen.has(at);
        at = parents.get(at), depth++
      ) {
        seen.add(at);
        ancestors.push({ group_ref: g.groupRef, ancestor_ref: at, depth });
      }
    }
    await this.knex.transaction(async trx => {
      await recordDepartures(trx, entities, Date.now());
      for (const t of [
        'dm_entities',
        'dm_entity_identities',
        'dm_groups',
        'dm_group_ancestors',
      ]) {
        await trx(t).delete();
      }
      const entityRows = entities.map(e => ({
        entity_ref: e.entityRef,
        kind: e.kind,
        namespace: e.namespace,
        name: e.name,
        title: e.title ?? null,
        type: e.type ?? null,
        lifecycle: e.lifecycle ?? null,
        owner_ref: e.ownerRef ?? null,
        system_ref: e.systemRef ?? null,
        catalog_facts: JSON.stringify({
          description: e.description,
          annotations: e.annotations ?? {},
          links: e.links ?? [],
        }),
      }));
      for (const part of chunks(entityRows, 50))
        await trx('dm_entities').insert(part);
      const identityRows = entities.flatMap(e =>
        e.identities.map(i => ({
          annotation: i.annotation,
          value: i.value,
          entity_ref: e.entityRef,
        })),
      );
      for (const part of chunks(identityRows, 100)) {
        await trx('dm_entity_identities')
          .insert(part)
          .onConflict(['annotation', 'value', 'entity_ref'])
          .ignore();
      }
      const groupRows = groups.map(g => ({
        group_ref: g.groupRef,
        title: g.title ?? null,
        parent_ref: g.parentRef ?? null,
      }));
      for (const part of chunks(groupRows, 100))
        await trx('dm_groups').insert(part);
      for (const part of chunks(ancestors, 100))
        await trx('dm_group_ancestors').insert(part);
    });
  }

  async existingEntities(entityRefs: string[]) {
    const rows = await selectWhereIn(
      () => this.knex('dm_entities').select('entity_ref'),
      'entity_ref',
      [...new Set(entityRefs)],
    );
    return new Set(rows.map(r => r.entity_ref as string));
  }

  async entitiesByIdentity(
    pairs: Array<{ annotation: string; value: string }>,
  ) {
    const result = new Map<string, string[]>();
    const rows = await selectWherePairs(
      () => this.knex('dm_entity_identities'),
      ['annotation', 'value'],
      pairs.map(p => [p.annotation, p.value]),
    );
    for (const r of rows) {
      const k = `${r.annotation}=${r.value}`;
      result.set(k, [...(result.get(k) ?? []), r.entity_ref]);
    }
    return result;
  }

  private static entityFromRow(r: any) {
    const facts = r.catalog_facts ? JSON.parse(r.catalog_facts) : {};
    return {
      description: facts.description,
      annotations: facts.annotations ?? {},
      links: facts.links ?? [],
      entityRef: r.entity_ref,
      kind: r.kind,
      namespace: r.namespace,
      name: r.name,
      title: undefinedIfNull(r.title),
      type: undefinedIfNull(r.type),
      lifecycle: undefinedIfNull(r.lifecycle),
      ownerRef: undefinedIfNull(r.owner_ref),
      systemRef: undefinedIfNull(r.system_ref),
    };
  }

  async listEntities() {
    const rows = await this.knex('dm_entities').orderBy('entity_ref');
    return rows.map(DatabaseDoraStore.entityFromRow);
  }

  async getEntity(entityRef: string) {
    const row = await this.knex('dm_entities')
      .where('entity_ref', entityRef)
      .first();
    return row ? DatabaseDoraStore.entityFromRow(row) : undefined;
  }

  async listGroups() {
    const rows = await this.knex('dm_groups').orderBy('group_ref');
    return rows.map(r => ({
      groupRef: r.group_ref,
      title: undefinedIfNull(r.title),
      parentRef: undefinedIfNull(r.parent_ref),
    }));
  }

  async listGroupAncestry() {
    const rows = await this.knex('dm_group_ancestors').select(
      'group_ref',
      'ancestor_ref',
    );
    return rows.map(r => ({
      groupRef: r.group_ref,
      ancestorRef: r.ancestor_ref,
    }));
  }

  async groupWithDescendants(groupRef: string, includeChildren: boolean) {
    if (!includeChildren) return [groupRef];
    const rows = await this.knex('dm_group_ancestors')
      .where('ancestor_ref', groupRef)
      .select('group_ref');
    return [...new Set([groupRef, ...rows.map(r => r.group_ref)])];
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

  /** The commit history of a source's repositories, kept in this database. */
  commitHistory(source: string, options: DoraOptions) {
    return new DatabaseCommitHistory(this.knex, source, options);
  }

  /** The webhook deliveries a source has had handled, kept in this database. */
  deliveries(source: string) {
    return databaseDeliveryLog(this.knex, source);
  }

  markStale(entityRefs: Iterable<string>) {
    return markStale(this.knex, entityRefs);
  }

  readStale() {
    return readStale(this.knex);
  }

  countStale() {
    return countStale(this.knex);
  }

  /** Runs `fn` while no other recomputation of every ranking row runs, on any replica. */
  exclusively<T>(fn: () => Promise<T>): Promise<T> {
    return exclusively(this.knex, fn);
  }

  clearStale(marks: StaleMark[]) {
    return clearStale(this.knex, marks);
  }

  /** The rules the stored facts follow, and their rebuild under other rules. */
  factRules() {
    return databaseFactRules(this.knex);
  }

  listUnmatched(options: {
    limit: number;
    offset: number;
    hiddenRefs?: string[];
    departed?: boolean;
  }) {
    return listUnmatched(this.knex, options);
  }

  unmatchedNamedRefs() {
    return unmatchedNamedRefs(this.knex);
  }

  moveDepartedEntities(options: DoraOptions) {
    return moveDepartedEntities(this.knex, options);
  }

  async deleteUnmatchedBefore(cutoff: number) {
    return this.knex('dm_unmatched_events')
      .where('received_at', '<', cutoff)
      .delete();
  }

  async unmatchedAfter(pk: number, limit: number, receivedSince?: number) {
    const query = this.knex('dm_unmatched_events').where('pk', '>', pk);
    if (receivedSince !== undefined)
      query.where('received_at', '>=', receivedSince);
    const rows = await query.orderBy('pk').limit(limit);
    return rows.map(r => ({ ...unmatchedFromRow(r), pk: toNumber(r.pk) }));
  }

  readFacts(
    entityRefs: string[],
    window: TimeWindow,
  ): Promise<Map<string, DoraFacts>> {
    return readFacts(this.knex, entityRefs, window);
  }

  upsertScorecards(rows: ScorecardRow[]) {
    return upsertScorecards(this.knex, rows);
  }

  deleteScorecardsExcept(subjectType: string, keep: string[]) {
    return deleteScorecardsExcept(this.knex, subjectType, keep);
  }

  maturityRows(windowDays: number, profile: string) {
    return maturityRows(this.knex, windowDays, profile);
  }

  queryScorecards(query: RankingQuery) {
    return queryScorecards(this.knex, query);
  }

  readCheckSignals(entityRefs: string[], now: number) {
    return readCheckSignals(this.knex, entityRefs, now);
  }

  insertAssessment(assessment: CalmsAssessment) {
    return insertAssessment(this.knex, assessment);
  }

  latestAssessments(entityRefs: string[]) {
    return latestAssessments(this.knex, entityRefs);
  }

  assessmentHistory(entityRef: string, limit: number) {
    return assessmentHistory(this.knex, entityRef, limit);
  }

  recordCheckHistory(rows: Parameters<MaturityStore['recordCheckHistory']>[0]) {
    return recordCheckHistory(this.knex, rows);
  }

  checkHistory(entityRef: string, limit: number) {
    return checkHistory(this.knex, entityRef, limit);
  }

  checkHistorySince(entityRef: string, fromDay: number) {
    return checkHistorySince(this.knex, entityRef, fromDay);
  }

  checkLevelsBetween(entityRefs: string[], fromDay: number, toDay: number) {
    return checkLevelsBetween(this.knex, entityRefs, fromDay, toDay);
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
