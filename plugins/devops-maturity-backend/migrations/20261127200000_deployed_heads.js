// @ts-check

/**
 * The sha each successful production deployment deployed, per source and repository.
 *
 * Why: the change set of a deployment can be asked of the provider's compare API (GitHub,
 * GitLab) as (previous production sha ... deployed sha). The previous one is the production
 * deployment before it by finish time, then deployment id in byte order (the order the commit
 * history uses), so a late deployment compares with the one that precedes it, not the newest,
 * and a redelivery with the same one as before. One row per deployment id: a redelivery
 * overwrites its own row.
 *
 * Deployments stored before this migration have no row: the first deployment of a repository
 * after it takes its change set from the history learnt from pushes, as before.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('dm_deployed_heads', table => {
    table.string('source').notNullable();
    table.string('repository').notNullable();
    table.string('deployment_id').notNullable();
    table.string('sha').notNullable();
    table.bigInteger('finished_at').notNullable();
    table.primary(['source', 'repository', 'deployment_id']);
    table.index(
      ['source', 'repository', 'finished_at'],
      'dm_deployed_heads_order_idx',
    );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('dm_deployed_heads');
};
