// @ts-check

/**
 * Events that arrive late or twice.
 *
 * `source_updated_at`: when the source last changed the event (the push API's `updatedAt`,
 * epoch ms), on deployments, incidents and the unmatched events waiting for their entity. A
 * copy older than the stored one does not replace it, so a PagerDuty `incident.triggered`
 * delivered after its `incident.resolved` cannot reopen the incident. Null when the sender
 * gave no time: then the last write wins, as before.
 *
 * `dm_deliveries`: the webhook deliveries already handled, per source (GitHub's
 * `X-GitHub-Delivery`, GitLab's `Idempotency-Key`, PagerDuty's `event.id`), so a redelivery is
 * taken once across restarts and replicas. Kept for a bounded time; `handled_at` is indexed so
 * the expired ones are deleted cheaply.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  for (const table of [
    'dm_deployments',
    'dm_incidents',
    'dm_unmatched_events',
  ]) {
    await knex.schema.alterTable(table, t => {
      t.bigInteger('source_updated_at');
    });
  }
  await knex.schema.createTable('dm_deliveries', table => {
    table.string('source').notNullable();
    table.string('delivery_id').notNullable();
    table.bigInteger('handled_at').notNullable();
    table.primary(['source', 'delivery_id']);
    table.index(['handled_at'], 'dm_deliveries_handled_at_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('dm_deliveries');
  for (const table of [
    'dm_deployments',
    'dm_incidents',
    'dm_unmatched_events',
  ]) {
    await knex.schema.alterTable(table, t => {
      t.dropColumn('source_updated_at');
    });
  }
};
