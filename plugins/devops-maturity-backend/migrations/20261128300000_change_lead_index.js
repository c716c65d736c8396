// @ts-check

/**
 * On PostgreSQL, the (entity, first deployed) index of the changes also carries the commit
 * time, so a window's lead times are answered from the index alone (an index-only scan once
 * autovacuum has marked the pages visible) instead of a visit to the table per change. It
 * replaces the old index: as many index entries per change as before.
 *
 * SQLite keeps its changes clustered by (entity, sha) with no second index (see
 * 20261123100000_clustered_changes.js). Measured with the skewed benchmark's database (the
 * busiest service: 37,000 changes in 90 days, 150,000 in a year): this index on SQLite made
 * the 90-day read of that service 92 -> 55 ms, but ingestion 10-15% slower (0.33-0.36x ->
 * 0.29-0.30x the raw insert, 2,000 entities x 120 days); an embedded SQLite rarely holds such
 * a service, and every installation ingests.
 *
 * Built CONCURRENTLY, outside a transaction: a large installation keeps taking events while
 * the index is built (a plain CREATE INDEX blocks every write to the table until it ends).
 * Each step can run again after an interrupted migration: an index left invalid by a failed
 * build is dropped first.
 */
exports.config = { transaction: false };

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  if (String(knex.client.config.client).includes('sqlite')) return;
  await knex.raw('DROP INDEX CONCURRENTLY IF EXISTS dm_entity_changes_lead_idx');
  await knex.raw(
    'CREATE INDEX CONCURRENTLY dm_entity_changes_lead_idx ON dm_entity_changes (entity_ref, first_deployed_at, committed_at)',
  );
  await knex.raw('DROP INDEX CONCURRENTLY IF EXISTS dm_entity_changes_time_idx');
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  if (String(knex.client.config.client).includes('sqlite')) return;
  await knex.raw('DROP INDEX CONCURRENTLY IF EXISTS dm_entity_changes_time_idx');
  await knex.raw(
    'CREATE INDEX CONCURRENTLY dm_entity_changes_time_idx ON dm_entity_changes (entity_ref, first_deployed_at)',
  );
  await knex.raw('DROP INDEX CONCURRENTLY IF EXISTS dm_entity_changes_lead_idx');
};
