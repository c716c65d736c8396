/**
 * The guard of an upsert that lets no copy replace a stored copy with a newer source time
 * (`source_updated_at`), as `isStaleCopy` decides: equal or newer replaces, and without a time
 * on either copy the last write wins.
 *
 * The batch already leaves out the copies it read as stale; the guard is for the ones a
 * concurrent batch made stale after that read (PostgreSQL runs batches side by side: a
 * PagerDuty `incident.triggered` and its `incident.resolved` can arrive together).
 */
export function notOlderThanStored(table: string): string {
  return (
    `(excluded.source_updated_at IS NULL OR ${table}.source_updated_at IS NULL OR ` +
    `excluded.source_updated_at >= ${table}.source_updated_at)`
  );
}
