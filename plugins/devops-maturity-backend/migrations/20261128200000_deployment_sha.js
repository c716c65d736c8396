// @ts-check

/**
 * The commit a deployment deployed (the push API's `sha`, the webhooks' deployed sha). No
 * metric reads it: a pipeline that reports `commits` from its git history asks for the
 * previous production deployment's sha (`GET /deployments/base`) to start the next
 * deployment's change set there. Null for deployments stored before, or sent without it.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('dm_deployments', table => {
    table.string('sha');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('dm_deployments', table => {
    table.dropColumn('sha');
  });
};
