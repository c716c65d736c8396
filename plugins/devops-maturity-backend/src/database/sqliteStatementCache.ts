import { Knex } from 'knex';
import { isSqlite } from './util';

/** Statements kept per connection: the queries of this plugin's hot paths are a few dozen. */
const STATEMENTS_PER_CONNECTION = 500;

/**
 * Configs of the knex clients that reuse their statements: one set per process, as the wrap is
 * one per prototype, should this module be loaded twice.
 */
const reusing: WeakSet<object> = ((globalThis as any)[
  Symbol.for('devops-maturity.sqliteStatementCache.clients')
] ??= new WeakSet<object>());
const patched = Symbol.for('devops-maturity.sqliteStatementCache');

interface Statement {
  reader: boolean;
}

interface Connection {
  prepare(sql: string): Statement;
}

/** A stand-in for a better-sqlite3 connection whose `prepare` answers from a cache. */
const caching = new WeakMap<object, Connection>();

function cachingConnection(connection: Connection): Connection {
  let found = caching.get(connection);
  if (!found) {
    const statements = new Map<string, Statement>();
    found = {
      prepare(sql: string) {
        let statement = statements.get(sql);
        if (statement) {
          // least recently used first: refreshed on every use
          statements.delete(sql);
        } else {
          statement = connection.prepare(sql);
          if (statements.size >= STATEMENTS_PER_CONNECTION) {
            statements.delete(statements.keys().next().value!);
          }
        }
        statements.set(sql, statement);
        return statement;
      },
    };
    caching.set(connection, found);
  }
  return found;
}

/**
 * On SQLite (better-sqlite3), lets this knex client and its transactions reuse a prepared
 * statement for the same SQL text, per connection.
 *
 * Why: knex's better-sqlite3 dialect prepares every query anew, and SQLite's prepare (parse,
 * plan) costs more than running the small statements of a push: a profile of the push route
 * under load put 8% of the main thread in `prepare`. Statements are run to completion
 * (`all`/`run`) before the next query, so one statement never serves two queries at once;
 * SQLite prepares a kept statement again by itself after a schema change.
 *
 * How: knex's `_query(connection, obj)` only calls `connection.prepare(obj.sql)` on the
 * connection, so it is handed a stand-in whose `prepare` answers from a cache. Queries that
 * set `safeIntegers` (which would stick to a kept statement) are left as they were, and so
 * are clients of the same dialect that did not opt in (matched by config, as `sqliteTurns`).
 */
export function reusePreparedStatements(knex: Knex) {
  if (!isSqlite(knex)) return;
  const client = knex.client as any;
  const prototype = Object.getPrototypeOf(client);
  if (typeof client.driver?.prototype?.prepare !== 'function') return;
  if (!prototype[patched]) {
    const query = prototype._query;
    prototype._query = function queryReusingStatements(
      this: { config: object },
      connection: Connection | undefined,
      obj: { options?: { safeIntegers?: boolean } },
    ) {
      const reuse =
        connection &&
        reusing.has(this.config) &&
        obj?.options?.safeIntegers === undefined;
      return query.call(
        this,
        reuse ? cachingConnection(connection) : connection,
        obj,
      );
    };
    prototype[patched] = true;
  }
  reusing.add(client.config);
}
