/** A quoted SQL identifier, the same on SQLite and PostgreSQL. */
export const quote = (identifier: string) =>
  `"${identifier.replace(/"/g, '""')}"`;

/** How an upsert treats a row whose key is stored already: see `upsertRows`. */
export interface UpsertOptions {
  conflict: string[];
  merge?: string[];
  mergeWhere?: string;
  keepWhenNull?: string[];
  returning?: string[];
}

/**
 * The `ON CONFLICT ... DO UPDATE ... [RETURNING ...]` tail of an upsert of `columns` into
 * `table`, one text for both databases: SQLite and PostgreSQL share this syntax.
 */
export function onConflictSql(
  table: string,
  columns: string[],
  options: UpsertOptions,
): string {
  const keep = new Set(options.keepWhenNull ?? []);
  const set = (options.merge ?? columns).map(c => {
    const value = `excluded.${quote(c)}`;
    if (!keep.has(c)) return `${quote(c)} = ${value}`;
    return `${quote(c)} = COALESCE(${value}, ${quote(table)}.${quote(c)})`;
  });
  const where = options.mergeWhere ? ` WHERE ${options.mergeWhere}` : '';
  const returning = options.returning
    ? ` RETURNING ${options.returning.map(quote).join(', ')}`
    : '';
  return (
    `ON CONFLICT (${options.conflict.map(quote).join(', ')}) ` +
    `DO UPDATE SET ${set.join(', ')}${where}${returning}`
  );
}
