// @ts-check

/**
 * Commits pushed and not deployed yet, per source and repository, in push order (`pk`): what a
 * GitHub or GitLab deployment of sha X reports as its changes. In the database rather than in
 * memory so that they survive a restart and are shared by every backend replica.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('dm_pending_commits', table => {
    table.bigIncrements('pk');
    table.string('source').notNullable();
    table.string('repository').notNullable();
    table.string('sha').notNullable();
    table.bigInteger('committed_at').notNullable();
    table.unique(['source', 'repository', 'sha']);
    table.index(['source', 'repository', 'pk'], 'dm_pending_commits_order_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('dm_pending_commits');
};
