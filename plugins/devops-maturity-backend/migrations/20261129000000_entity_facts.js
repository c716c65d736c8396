// @ts-check

/**
 * Each entity's facts as its last ranking rows were computed from them (a year, packed; see
 * `encodePackedFacts`). A group's rows pool these instead of reading every owned entity's
 * events again: a catalog change that moves services between teams in every department made
 * each department read its whole year of events (10,000 services: 34 s on SQLite).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('dm_entity_facts', table => {
    table.string('entity_ref').primary();
    /** The `now` of the computation: its window ended there. */
    table.bigInteger('computed_at').notNullable();
    table.binary('facts').notNullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('dm_entity_facts');
};
