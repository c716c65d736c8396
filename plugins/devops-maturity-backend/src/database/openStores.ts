import {
  DatabaseService,
  LoggerService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { DoraOptions } from '@devops-maturity/backstage-plugin-common';
import {
  CatalogStore,
  EventStore,
  FactsStore,
  MaturityStore,
  RankingStore,
  UnmatchedStore,
} from './types';
import { DatabaseCatalogStore } from './DatabaseCatalogStore';
import { DatabaseEventStore } from './DatabaseEventStore';
import { DatabaseUnmatchedStore } from './DatabaseUnmatchedStore';
import { DatabaseRankingStore } from './DatabaseRankingStore';
import { DatabaseMaturityStore } from './DatabaseMaturityStore';
import { readFacts } from './readFacts';
import {
  deleteEntityFactsExcept,
  entityFactsComputedFirst,
  readEntityFacts,
  writeEntityFacts,
} from './entityFacts';
import {
  databaseFactRules,
  databaseRulesRecord,
  FactRulesStore,
  RulesRecord,
} from './factRules';
import { DatabaseCommitHistory } from './commitHistory';
import { databaseDeliveryLog, DeliveryLog } from './deliveries';
import { startSqliteCheckpointer } from './sqliteCheckpointer';
import { letEventLoopTurnBeforeQueries } from './sqliteTurns';
import { reusePreparedStatements } from './sqliteStatementCache';
import { isSqlite } from './util';

/** The plugin's storage, one small store per concern, all in one database. */
export interface DoraStores {
  catalog: CatalogStore;
  events: EventStore;
  unmatched: UnmatchedStore;
  facts: FactsStore;
  /** The rules the stored facts follow, and their rebuild under other rules. */
  factRules: FactRulesStore;
  /** The settings the ranking rows were last all recomputed under. */
  rankingRules: RulesRecord;
  rankings: RankingStore;
  maturity: MaturityStore;
  /** What an event source keeps: its repositories' commits, its handled deliveries. */
  sources: {
    commitHistory(source: string, options: DoraOptions): DatabaseCommitHistory;
    deliveries(source: string): DeliveryLog;
  };
  /** Stops background work (SQLite checkpoints); the database connection stays knex's. */
  close(): Promise<void>;
}

const migrationsDir = resolvePackagePath(
  '@devops-maturity/backstage-plugin-backend',
  'migrations',
);

/**
 * The stores on the plugin's database (SQLite through better-sqlite3, or PostgreSQL), migrated
 * and tuned.
 */
export async function openDatabaseStores(options: {
  database: DatabaseService;
  skipMigrations?: boolean;
  /** Told of problems that do not stop the stores, such as a failed background checkpoint. */
  logger?: LoggerService;
  /** See `DatabaseEventStore`; false only to measure the difference. */
  groupCommits?: boolean;
}): Promise<DoraStores> {
  const knex = await options.database.getClient();
  await tune(knex);
  if (!options.database.migrations?.skip && !options.skipMigrations) {
    await knex.migrate.latest({ directory: migrationsDir });
  }
  const checkpointer = await startSqliteCheckpointer(knex, {
    onError: message =>
      options.logger?.warn(`SQLite background checkpoint failed: ${message}`),
  });
  return {
    catalog: new DatabaseCatalogStore(knex),
    events: new DatabaseEventStore(knex, {
      groupCommits: options.groupCommits,
    }),
    unmatched: new DatabaseUnmatchedStore(knex),
    facts: {
      readFacts: (refs, window) => readFacts(knex, refs, window),
      readEntityFacts: (refs, now) => readEntityFacts(knex, refs, now),
      writeEntityFacts: (facts, computedAt) =>
        writeEntityFacts(knex, facts, computedAt),
      entityFactsComputedFirst: count => entityFactsComputedFirst(knex, count),
      deleteEntityFactsExcept: keep => deleteEntityFactsExcept(knex, keep),
    },
    factRules: databaseFactRules(knex),
    rankingRules: databaseRulesRecord(knex, 'rankings'),
    rankings: new DatabaseRankingStore(knex),
    maturity: new DatabaseMaturityStore(knex),
    sources: {
      commitHistory: (source, dora) =>
        new DatabaseCommitHistory(knex, source, dora),
      deliveries: source => databaseDeliveryLog(knex, source),
    },
    close: async () => {
      await checkpointer?.stop();
    },
  };
}

async function tune(knex: Knex) {
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
}
