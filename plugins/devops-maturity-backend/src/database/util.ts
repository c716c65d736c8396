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

export function undefinedIfNull<T>(value: T | null | undefined): T | undefined {
  return value === null ? undefined : value;
}

/**
 * Most rows one INSERT may carry: knex writes a multi-row insert for SQLite as a compound
 * SELECT, which SQLite caps at 500 terms.
 */
export const MAX_INSERT_ROWS = 400;

/**
 * The rows of `query()` whose `column` is one of `values`.
 *
 * On SQLite the list is bound as one JSON parameter (`IN (SELECT value FROM json_each(?))`),
 * so the statement stays short whatever the list's length. Why: SQLite compiles every knex
 * query anew, and compiling an `IN` list of a thousand placeholders took longer than running
 * it; at 10,000 entities these lookups were a tenth of ingestion. PostgreSQL gets an `IN`
 * list per chunk.
 */
export async function selectWhereIn<T = any>(
  query: () => Knex.QueryBuilder,
  column: string,
  values: Array<string | number>,
  chunkSize = 400,
): Promise<T[]> {
  if (values.length === 0) return [];
  const first = query();
  if (isSqlite(first)) {
    return (await first.whereRaw('?? IN (SELECT value FROM json_each(?))', [
      column,
      JSON.stringify(values),
    ])) as T[];
  }
  const rows: T[] = [];
  for (const part of chunks(values, chunkSize)) {
    // a loop, not push(...): a part can answer more rows than a call takes arguments
    for (const row of await query().whereIn(column, part)) rows.push(row);
  }
  return rows;
}

/**
 * The rows of `query()` whose two `columns` are one of `pairs`, in the form each database
 * plans well: on SQLite one row-value `IN` over the pairs bound as one JSON parameter (see
 * `selectWhereIn`); on PostgreSQL, which plans long row-value lists poorly, one `IN` list per
 * column and chunk, the rows then narrowed to the pairs asked for (so the query must select
 * both columns).
 */
export async function selectWherePairs<T extends Record<string, any>>(
  query: () => Knex.QueryBuilder,
  columns: [string, string],
  pairs: Array<[string, string]>,
): Promise<T[]> {
  if (pairs.length === 0) return [];
  const first = query();
  if (isSqlite(first)) {
    return (await first.whereRaw(
      "(??, ??) IN (SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?))",
      [...columns, JSON.stringify(pairs)],
    )) as T[];
  }
  const wanted = new Set(pairs.map(([a, b]) => `${a}\u0000${b}`));
  const rows: T[] = [];
  for (const part of chunks(pairs)) {
    const found: T[] = await query()
      .whereIn(columns[0], [...new Set(part.map(p => p[0]))])
      .whereIn(columns[1], [...new Set(part.map(p => p[1]))]);
    rows.push(
      ...found.filter(r =>
        wanted.has(`${r[columns[0]]}\u0000${r[columns[1]]}`),
      ),
    );
  }
  return rows;
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
