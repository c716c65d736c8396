import { Knex } from 'knex';
import { onConflictSql, quote, UpsertOptions } from './upsertSql';

/**
 * On PostgreSQL, `rows` (all with the same columns) as a `SELECT` of one JSON parameter, each
 * field read as its column of `table` reads it.
 *
 * Why: a multi-row `VALUES` list binds a parameter per cell, so a batch had to be split into
 * statements of a few hundred rows (PostgreSQL takes at most 65,535 parameters), each a round
 * trip whose SQL text knex built anew. One JSON parameter makes a batch of any size one
 * statement. `json_populate_recordset` over the table's own row type converts each field to
 * its column's type, so no column type is written here twice.
 */
export function pgRowsSelect(
  table: string,
  rows: Array<Record<string, unknown>>,
): { columns: string[]; sql: string; bindings: string[] } {
  const columns = Object.keys(rows[0]);
  const list = columns.map(quote).join(', ');
  return {
    columns,
    sql: `SELECT ${list} FROM json_populate_recordset(NULL::${quote(
      table,
    )}, ?::json)`,
    bindings: [JSON.stringify(rows)],
  };
}

/** Orders rows by the values of `keys` (nulls first), the same order for every caller. */
export function inKeyOrder<R extends Record<string, unknown>>(
  rows: R[],
  keys: string[],
): R[] {
  return [...rows].sort((a, b) => {
    for (const k of keys) {
      const x = a[k] as any;
      const y = b[k] as any;
      if (x === y) continue;
      if (x === null || x === undefined) return -1;
      if (y === null || y === undefined) return 1;
      return x < y ? -1 : 1;
    }
    return 0;
  });
}

/**
 * `upsertRows` on PostgreSQL: the whole batch in one statement (see `pgRowsSelect`), its rows
 * in the order of their conflict key. PostgreSQL locks the rows in the order it writes them,
 * so two concurrent batches writing some of the same rows wait for each other rather than
 * each holding a row the other needs (a deadlock, which one of them pays with a retry).
 */
export async function pgUpsertRows(
  knex: Knex | Knex.Transaction,
  table: string,
  rows: Array<Record<string, unknown>>,
  options: UpsertOptions,
): Promise<Array<Record<string, unknown>>> {
  if (rows.length === 0) return [];
  const { columns, sql, bindings } = pgRowsSelect(
    table,
    inKeyOrder(rows, options.conflict),
  );
  const result = await knex.raw(
    `INSERT INTO ${quote(table)} (${columns.map(quote).join(', ')}) ${sql} ` +
      `${onConflictSql(table, columns, options)}`,
    bindings,
  );
  return options.returning ? result.rows : [];
}
