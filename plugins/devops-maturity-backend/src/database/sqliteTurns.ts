import { setImmediate as nextTurn } from 'timers/promises';
import { Knex } from 'knex';
import { isSqlite } from './util';

/**
 * Configs of the knex clients that let the event loop turn before each query: one set per
 * process, as the wrap is one per prototype, should this module be loaded twice.
 */
const turning: WeakSet<object> = ((globalThis as any)[
  Symbol.for('devops-maturity.sqliteTurns.clients')
] ??= new WeakSet<object>());
const patched = Symbol.for('devops-maturity.sqliteTurns');

/**
 * On SQLite, lets the event loop turn before each query of this knex client and of its
 * transactions.
 *
 * Why: better-sqlite3 answers synchronously, so knex's promises resolve as microtasks and a
 * chain of queries (a batch, a ranking recomputation over thousands of entities) never gives
 * the event loop back. Measured in the skewed benchmark: one timer tick in a 15 s run. Every
 * other plugin of the backend, the catalog included, stopped answering meanwhile. With a turn
 * before each query, the longest stall is the longest single query plus the work between two
 * queries.
 *
 * How: knex gives a transaction a client made from the dialect's prototype, not from the
 * client, so the wrap sits on the prototype and turns only for clients opted in here (matched
 * by their config, which a transaction's client shares). Other plugins' clients of the same
 * dialect are not changed.
 */
export function letEventLoopTurnBeforeQueries(knex: Knex) {
  if (!isSqlite(knex)) return;
  const client = knex.client as any;
  const prototype = Object.getPrototypeOf(client);
  if (!prototype[patched]) {
    const query = prototype._query;
    prototype._query = async function turnThenQuery(
      this: { config: object },
      ...args: unknown[]
    ) {
      if (turning.has(this.config)) await nextTurn();
      return query.apply(this, args);
    };
    prototype[patched] = true;
  }
  turning.add(client.config);
}
