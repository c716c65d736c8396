import { setImmediate as nextTurn } from 'timers/promises';
import { Knex } from 'knex';
import { isSqlite } from './util';
import { pgUpsertRows } from './pgRows';
import { onConflictSql, quote, UpsertOptions } from './upsertSql';

/** The part of a better-sqlite3 prepared statement the hot paths use. */
interface SqliteStatement {
  run(...params: unknown[]): { changes: number };
  get(...params: unknown[]): any;
}

interface SqliteConnection {
  prepare(sql: string): SqliteStatement;
}

/** Prepares a statement on SQLite's connection, once per connection and SQL text. */
export type SqlitePrepare = (sql: string) => SqliteStatement;

const statementCache = new WeakMap<object, Map<string, SqliteStatement>>();

/**
 * On SQLite, a function preparing (once per connection) statements on the transaction's own
 * better-sqlite3 connection; undefined on other databases.
 *
 * Why: ingestion writes thousands of rows per batch. Through knex each multi-row statement is
 * built as SQL text and prepared anew by SQLite, which took more time than executing it; a
 * statement prepared once and run per row costs microseconds. PostgreSQL, over the network,
 * is better served by one statement per batch (see `pgUpsertRows`).
 */
export async function sqlitePrepare(
  trx: Knex.Transaction,
): Promise<SqlitePrepare | undefined> {
  if (!isSqlite(trx)) return undefined;
  // Inside a transaction knex hands out that transaction's connection.
  const connection: SqliteConnection = await trx.client.acquireConnection();
  if (typeof connection?.prepare !== 'function') return undefined;
  let statements = statementCache.get(connection);
  if (!statements) {
    statements = new Map();
    statementCache.set(connection, statements);
  }
  return sql => {
    let statement = statements!.get(sql);
    if (!statement) {
      statement = connection.prepare(sql);
      statements!.set(sql, statement);
    }
    return statement;
  };
}

/** Rows a loop of prepared SQLite statements handles between two turns of the event loop. */
export const SQLITE_ROWS_PER_TURN = 200;

/**
 * Calls `run` for each item, letting the event loop turn first and after every
 * `SQLITE_ROWS_PER_TURN`. Why: a prepared statement answers synchronously, so a loop of them
 * over a batch (1,000 deployments, their 3,000 commits) held every other plugin of the backend
 * for its whole length; the turn before each knex query (`letEventLoopTurnBeforeQueries`) does
 * not see them. The first turn parts the loop from the work that built its rows.
 */
export async function inTurns<T>(
  items: Iterable<T>,
  run: (item: T) => void,
): Promise<void> {
  let sinceTurn = SQLITE_ROWS_PER_TURN;
  for (const item of items) {
    if (sinceTurn === SQLITE_ROWS_PER_TURN) {
      sinceTurn = 0;
      await nextTurn();
    }
    sinceTurn += 1;
    run(item);
  }
}

/** better-sqlite3 binds numbers, strings, null and buffers, not booleans. */
const sqliteValue = (v: unknown) => (typeof v === 'boolean' ? Number(v) : v);

/**
 * Inserts rows (all with the same columns), updating on a conflict of `conflict` the `merge`
 * columns (default: all), only where `mergeWhere` holds if given; a `keepWhenNull` column
 * keeps its stored value when the new row has none. With `returning`, answers
 * those columns of every row written (match them to `rows` by key, not by position; a row
 * whose update `mergeWhere` refused is not among them).
 *
 * SQLite runs one prepared statement per row (see `sqlitePrepare`); PostgreSQL takes the
 * whole batch in one statement (see `pgUpsertRows`).
 */
export async function upsertRows(
  trx: Knex.Transaction,
  table: string,
  rows: Array<Record<string, unknown>>,
  options: UpsertOptions,
): Promise<Array<Record<string, unknown>>> {
  if (rows.length === 0) return [];
  if (!isSqlite(trx)) return pgUpsertRows(trx, table, rows, options);
  const prepare = await sqlitePrepare(trx);
  // The hot paths use better-sqlite3's synchronous statements; knex's `sqlite3` has none.
  if (!prepare) throw new Error('SQLite is supported through better-sqlite3');
  const columns = Object.keys(rows[0]);
  const statement = prepare(
    `INSERT INTO ${quote(table)} (${columns.map(quote).join(', ')}) ` +
      `VALUES (${columns.map(() => '?').join(', ')}) ` +
      `${onConflictSql(table, columns, options)}`,
  );
  const out: Array<Record<string, unknown>> = [];
  await inTurns(rows, row => {
    const values = columns.map(c => sqliteValue(row[c]));
    if (options.returning) {
      // no row when `mergeWhere` refused the update
      const written = statement.get(...values);
      if (written) out.push(written);
    } else statement.run(...values);
  });
  return out;
}
