// @ts-check

/**
 * The CALMS score in the daily history, next to the level.
 *
 * Why: an entity's history chart shows how its CALMS score moved, and the score of a past day
 * cannot be recomputed (the assessment, the events and the weights it came from have changed
 * since). Rows recorded before this migration keep null: their score was never stored.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('dm_check_history', table => {
    table.integer('calms_score'); // 0..100, the ranking rows' calms_score of that day
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('dm_check_history', table => {
    table.dropColumn('calms_score');
  });
};
