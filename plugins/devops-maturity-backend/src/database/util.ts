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
