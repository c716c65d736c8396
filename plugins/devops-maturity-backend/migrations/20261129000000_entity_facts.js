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
    /**
     * The first time after `computed_at` of an event of the entity stored by then (events may
     * be stamped up to a day ahead): from there the facts lack it. Null: none.
     */
    table.bigInteger('valid_until').nullable();
    table.binary('facts').notNullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('dm_entity_facts');
};
