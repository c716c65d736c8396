// @ts-check

/**
 * Which ranking rows are stale, where every replica sees it.
 *
 * Why: the entities whose rows needed recomputing lived in a Set in the memory of the replica
 * that took the push; other replicas served stale rows until the hourly recomputation. A row
 * per stale subject (an entity, or `teams-of:<entity>` for the team rows it changes), with a
 * token each mark renews: a recomputation clears only the marks it read, so a mark made
 * meanwhile survives.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('dm_stale_rankings', table => {
    table.string('subject_ref').primary();
    table.string('token').notNullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('dm_stale_rankings');
};
