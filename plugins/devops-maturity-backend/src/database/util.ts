import { Knex } from 'knex';

/** Whether knex talks to SQLite (better-sqlite3 or sqlite3) rather than PostgreSQL. */
export function isSqlite(knex: { client: Knex.Client }): boolean {
  return String(knex.client.config.client).includes('sqlite');
}

/**
 * What to write after a text column so that SQL orders it by its UTF-8 bytes, as
 * `compareUtf8` does in JavaScript: PostgreSQL otherwise orders by the database's locale
 * (under `en_US`, `B` sorts after `a` and `a_1` before `a-1`); SQLite's default collation,
 * BINARY, already is byte order and has no collation named "C".
 */
export function byteOrder(knex: { client: Knex.Client }): string {
  return isSqlite(knex) ? '' : ' COLLATE "C"';
}

/** PostgreSQL returns bigint columns as strings; SQLite as numbers. */
export function toNumber(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}

export function toNumberOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : toNumber(value);
}

/** SQLite returns booleans as 0/1, PostgreSQL as true/false. */
export function toBoolean(value: unknown): boolean {
  return value === true || value === 1 || value === '1' || value === 't';
}

export function isoOrUndefined(ms: unknown): string | undefined {
  return ms === null || ms === undefined
    ? undefined
    : new Date(toNumber(ms)).toISOString();
}

/** Splits a list so that `IN (...)` stays within the databases' bound-parameter limits. */
export function chunks<T>(items: T[], size = 400): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size)
    out.push(items.slice(i, i + size));
  return out;
}

/**
 * Deletes the rows of `table` (within `scope`) whose `column` holds none of `keep`: the rows of
 * subjects that left the catalog.
 */
export async function deleteRefsExcept(
  knex: Knex,
  table: string,
  column: string,
  keep: string[],
  scope: Record<string, string> = {},
) {
  const stored = await knex(table).where(scope).distinct(column);
  const keepSet = new Set(keep);
  const gone = stored
    .map(r => r[column] as string)
    .filter(ref => !keepSet.has(ref));
  for (const part of chunks(gone)) {
    await knex(table).where(scope).whereIn(column, part).delete();
  }
}

export function undefinedIfNull<T>(value: T | null | undefined): T | undefined {
  return value === null ? undefined : value;
}

/**
 * The element type of a PostgreSQL array parameter: numbers are keys (`pk`), strings text.
 * Bound as one typed array, a list of any length is one parameter and one plan.
 */
export const pgArrayOf = (values: Array<string | number>) =>
  typeof values[0] === 'number' ? 'bigint[]' : 'text[]';

/**
 * The rows of `query()` whose `column` is one of `values`, in one query whatever their number.
 *
 * On SQLite the list is bound as one JSON parameter (`IN (SELECT value FROM json_each(?))`),
 * so the statement stays short whatever the list's length. Why: SQLite compiles every knex
 * query anew, and compiling an `IN` list of a thousand placeholders took longer than running
 * it; at 10,000 entities these lookups were a tenth of ingestion. PostgreSQL gets one array
 * parameter (`= ANY(?)`), which it plans as it plans an `IN` list, without a round trip per
 * few hundred values.
 */
export async function selectWhereIn<T = any>(
  query: () => Knex.QueryBuilder,
  column: string,
  values: Array<string | number>,
): Promise<T[]> {
  if (values.length === 0) return [];
  return (await whereAnyOf(query(), column, values)) as T[];
}

/** `query` restricted to rows whose `column` is one of `values` (not empty), as `selectWhereIn`. */
export function whereAnyOf(
  q: Knex.QueryBuilder,
  column: string,
  values: Array<string | number>,
): Knex.QueryBuilder {
  if (isSqlite(q)) {
    return q.whereRaw('?? IN (SELECT value FROM json_each(?))', [
      column,
      JSON.stringify(values),
    ]);
  }
  return q.whereRaw(`?? = ANY(?::${pgArrayOf(values)})`, [
    column,
    values as string[] | number[],
  ]);
}

/**
 * The rows of `query()` whose two `columns` are one of `pairs`, in one query whatever their
 * number: on SQLite one row-value `IN` over the pairs bound as one JSON parameter (see
 * `selectWhereIn`); on PostgreSQL a semi-join with the pairs bound as two text arrays, which
 * it answers by one probe of the two columns' index per pair. (A long row-value list it plans
 * poorly; an `IN` list per column matches every combination of the two, to be filtered after.)
 */
export async function selectWherePairs<T extends Record<string, any>>(
  query: () => Knex.QueryBuilder,
  columns: [string, string],
  pairs: Array<[string, string]>,
): Promise<T[]> {
  if (pairs.length === 0) return [];
  const q = query();
  if (isSqlite(q)) {
    return (await q.whereRaw(
      "(??, ??) IN (SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?))",
      [...columns, JSON.stringify(pairs)],
    )) as T[];
  }
  return (await q.whereRaw(
    '(??, ??) IN (SELECT * FROM unnest(?::text[], ?::text[]))',
    [...columns, pairs.map(p => p[0]), pairs.map(p => p[1])],
  )) as T[];
}

/**
 * `column IN (values)` for lists of any length, as one bound parameter: a reader's visible
 * entities may be tens of thousands, past either database's limit on parameters.
 */
export function whereInList(
  q: Knex.QueryBuilder,
  column: string,
  values: string[],
): Knex.QueryBuilder {
  return isSqlite(q)
    ? q.whereRaw(`?? IN (SELECT value FROM json_each(?))`, [
        column,
        JSON.stringify(values),
      ])
    : q.whereRaw(`?? = ANY(?::text[])`, [column, values]);
}

/** `column NOT IN (values)` for lists of any length, as one bound parameter (see whereInList). */
export function whereNotInList(
  q: Knex.QueryBuilder,
  column: string,
  values: string[],
): Knex.QueryBuilder {
  return isSqlite(q)
    ? q.whereRaw(`?? NOT IN (SELECT value FROM json_each(?))`, [
        column,
        JSON.stringify(values),
      ])
    : q.whereRaw(`NOT (?? = ANY(?::text[]))`, [column, values]);
}
