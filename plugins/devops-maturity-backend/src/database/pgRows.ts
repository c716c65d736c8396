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

/** `upsertRows` on PostgreSQL: the whole batch in one statement (see `pgRowsSelect`). */
export async function pgUpsertRows(
  knex: Knex | Knex.Transaction,
  table: string,
  rows: Array<Record<string, unknown>>,
  options: UpsertOptions,
): Promise<Array<Record<string, unknown>>> {
  if (rows.length === 0) return [];
  const { columns, sql, bindings } = pgRowsSelect(table, rows);
  const result = await knex.raw(
    `INSERT INTO ${quote(table)} (${columns.map(quote).join(', ')}) ${sql} ` +
      `${onConflictSql(table, columns, options)}`,
    bindings,
  );
  return options.returning ? result.rows : [];
}
