import { Knex } from 'knex';

/** Whether knex talks to SQLite (better-sqlite3 or sqlite3) rather than PostgreSQL. */
export function isSqlite(knex: Knex): boolean {
  return String(knex.client.config.client).includes('sqlite');
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
 * Narrows a query to pairs of two columns, in the form each database plans well: a row-value
 * `(a, b) IN (...)` list on SQLite; one IN list per column on PostgreSQL, which plans long
 * row-value lists poorly (there the result is a superset). Keep the rows with `isWanted`.
 */
export function wherePairs<
  Q extends { whereIn(...args: any[]): Q; client: any },
>(
  query: Q,
  columns: [string, string],
  pairs: Array<[string, string]>,
): { query: Q; isWanted: (a: string, b: string) => boolean } {
  const wanted = new Set(pairs.map(([a, b]) => `${a}\u0000${b}`));
  const isWanted = (a: string, b: string) => wanted.has(`${a}\u0000${b}`);
  if (!String(query.client?.config?.client).includes('pg')) {
    return { query: query.whereIn(columns, pairs), isWanted };
  }
  const firsts = [...new Set(pairs.map(p => p[0]))];
  const seconds = [...new Set(pairs.map(p => p[1]))];
  return {
    query: query.whereIn(columns[0], firsts).whereIn(columns[1], seconds),
    isWanted,
  };
}
