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
 * Built inside the migration's transaction, so writes to the changes table wait while it
 * builds (a large installation's upgrade). Not CONCURRENTLY: that needs the migration outside
 * a transaction, and knex then runs the whole pending batch without one, and without holding
 * its migration lock in a transaction (a replica starting meanwhile fails at once, and a
 * process killed mid-build leaves the lock taken).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  if (String(knex.client.config.client).includes('sqlite')) return;
  await knex.schema.alterTable('dm_entity_changes', table => {
    table.dropIndex([], 'dm_entity_changes_time_idx');
    table.index(
      ['entity_ref', 'first_deployed_at', 'committed_at'],
      'dm_entity_changes_lead_idx',
    );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  if (String(knex.client.config.client).includes('sqlite')) return;
  await knex.schema.alterTable('dm_entity_changes', table => {
    table.dropIndex([], 'dm_entity_changes_lead_idx');
    table.index(
      ['entity_ref', 'first_deployed_at'],
      'dm_entity_changes_time_idx',
    );
  });
};
