// @ts-check

/**
 * An index on when unmatched events arrived.
 *
 * Why: unmatched events are now kept for a bounded time (`devopsMaturity.unmatched.retention`),
 * and the expired ones are deleted at every catalog refresh; the list also shows them newest
 * first. Without the index each of those reads the whole table.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('dm_unmatched_events', table => {
    table.index(['received_at'], 'dm_unmatched_events_received_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('dm_unmatched_events', table => {
    table.dropIndex(['received_at'], 'dm_unmatched_events_received_idx');
  });
};
