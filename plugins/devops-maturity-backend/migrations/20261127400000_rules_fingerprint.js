// @ts-check

/**
 * The rules stored facts were derived under.
 *
 * Why: which deployments count (`dm_deployments.counts`), each change's first counted
 * deployment (`dm_entity_changes`) and each incident's cause (`dm_incidents.cause_deployment_pk`)
 * are derived when an event is stored, under `devopsMaturity.productionEnvironments` and
 * `devopsMaturity.incidents.linkToLatestDeployment`. When those change, the stored facts no
 * longer follow the spec until they are rebuilt from the stored events.
 *
 * `dm_rules`: one row per set of rules (`facts` for now) with the fingerprint of the rules the
 * stored facts follow, the rules themselves for the log, and when they were last rebuilt.
 * No row: the facts were stored before this table existed, under rules nobody recorded.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('dm_rules', table => {
    table.string('name').primary();
    table.string('fingerprint').notNullable();
    table.text('rules').notNullable();
    table.bigInteger('applied_at').notNullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('dm_rules');
};
