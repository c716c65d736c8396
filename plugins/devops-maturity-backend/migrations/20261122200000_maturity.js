// @ts-check

/**
 * The maturity model: what checks read of the catalog, the teams' CALMS self-assessments (all
 * kept, newest counts), a daily history of check results and levels, and the ranking columns.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('dm_entities', table => {
    // { description, annotations, links } as JSON: what the golden-path checks read
    table.text('catalog_facts');
  });
  await knex.schema.createTable('dm_assessments', table => {
    table.bigIncrements('pk');
    table.string('entity_ref').notNullable();
    table.text('answers').notNullable(); // { questionId: 1..5 }
    table.string('author_ref').notNullable();
    table.bigInteger('submitted_at').notNullable();
    table.index(['entity_ref', 'submitted_at'], 'dm_assessments_entity_idx');
  });
  await knex.schema.createTable('dm_check_history', table => {
    table.string('entity_ref').notNullable();
    table.bigInteger('day').notNullable(); // UTC day start, epoch ms: one row per entity and day
    table.integer('level').notNullable();
    table.text('results').notNullable(); // [{ id, status, value }]
    table.primary(['entity_ref', 'day']);
  });
  await knex.schema.alterTable('dm_scorecards', table => {
    table.integer('maturity_level');
    table.integer('calms_score');
    table.text('checks'); // { checkId: 'pass' | 'fail' | 'not-applicable' }
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('dm_scorecards', table => {
    table.dropColumn('maturity_level');
    table.dropColumn('calms_score');
    table.dropColumn('checks');
  });
  await knex.schema.dropTable('dm_check_history');
  await knex.schema.dropTable('dm_assessments');
  await knex.schema.alterTable('dm_entities', table => {
    table.dropColumn('catalog_facts');
  });
};
