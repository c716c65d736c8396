import { Knex } from 'knex';
import { chunks, isSqlite, MAX_INSERT_ROWS } from './util';

/** The part of a better-sqlite3 prepared statement the hot paths use. */
interface SqliteStatement {
  run(...params: unknown[]): { changes: number };
  get(...params: unknown[]): any;
}

interface SqliteConnection {
  prepare(sql: string): SqliteStatement;
}

const statementCache = new WeakMap<object, Map<string, SqliteStatement>>();

/**
 * On SQLite, a function preparing (once per connection) statements on the transaction's own
 * better-sqlite3 connection; undefined on other databases.
 *
 * Why: ingestion writes thousands of rows per batch. Through knex each multi-row statement is
 * built as SQL text and prepared anew by SQLite, which took more time than executing it; a
 * statement prepared once and run per row costs microseconds. PostgreSQL, over the network,
 * is better served by knex's multi-row statements.
 */
export async function sqlitePrepare(
  trx: Knex.Transaction,
): Promise<((sql: string) => SqliteStatement) | undefined> {
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

/** better-sqlite3 binds numbers, strings, null and buffers, not booleans. */
const sqliteValue = (v: unknown) => (typeof v === 'boolean' ? Number(v) : v);

const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;

/**
 * Inserts rows (all with the same columns), updating on a conflict of `conflict` the `merge`
 * columns (default: all), only where `mergeWhere` holds if given; a `keepWhenNull` column
 * keeps its stored value when the new row has none. With `returning`, answers
 * those columns of every row written (match them to `rows` by key, not by position; a row
 * whose update `mergeWhere` refused is not among them).
 */
export async function upsertRows(
  trx: Knex.Transaction,
  table: string,
  rows: Array<Record<string, unknown>>,
  options: {
    conflict: string[];
    merge?: string[];
    mergeWhere?: string;
    keepWhenNull?: string[];
    returning?: string[];
  },
): Promise<Array<Record<string, unknown>>> {
  if (rows.length === 0) return [];
  const columns = Object.keys(rows[0]);
  const merge = options.merge ?? columns;
  const keep = new Set(options.keepWhenNull ?? []);
  const prepare = await sqlitePrepare(trx);
  if (prepare) {
    const statement = prepare(
      `INSERT INTO ${quote(table)} (${columns.map(quote).join(', ')}) ` +
        `VALUES (${columns.map(() => '?').join(', ')}) ` +
        `ON CONFLICT (${options.conflict
          .map(quote)
          .join(', ')}) DO UPDATE SET ` +
        `${merge
          .map(c =>
            keep.has(c)
              ? `${quote(c)} = COALESCE(excluded.${quote(c)}, ${quote(
                  table,
                )}.${quote(c)})`
              : `${quote(c)} = excluded.${quote(c)}`,
          )
          .join(', ')}` +
        `${options.mergeWhere ? ` WHERE ${options.mergeWhere}` : ''}` +
        `${
          options.returning
            ? ` RETURNING ${options.returning.map(quote).join(', ')}`
            : ''
        }`,
    );
    const out: Array<Record<string, unknown>> = [];
    for (const row of rows) {
      const values = columns.map(c => sqliteValue(row[c]));
      if (options.returning) {
        // no row when `mergeWhere` refused the update
        const written = statement.get(...values);
        if (written) out.push(written);
      } else statement.run(...values);
    }
    return out;
  }
  const out: Array<Record<string, unknown>> = [];
  for (const part of chunks(rows, MAX_INSERT_ROWS)) {
    let query: any = trx(table)
      .insert(part)
      .onConflict(options.conflict)
      .merge(
        keep.size
          ? Object.fromEntries(
              merge.map(c => [
                c,
                keep.has(c)
                  ? trx.raw('COALESCE(excluded.??, ??.??)', [c, table, c])
                  : trx.raw('excluded.??', [c]),
              ]),
            )
          : merge,
      );
    if (options.mergeWhere) query = query.whereRaw(options.mergeWhere);
    if (options.returning) query = query.returning(options.returning);
    const written = await query;
    if (options.returning) out.push(...written);
  }
  return out;
}
