// @ts-check

/**
 * Times are stored as epoch milliseconds (bigint): the same type and the same comparisons on
 * SQLite and PostgreSQL, and the DORA math works in milliseconds anyway.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  // A mirror of the catalog: what events resolve to, and who owns what.
  await knex.schema.createTable('dm_entities', table => {
    table.string('entity_ref').primary();
    table.string('kind').notNullable();
    table.string('namespace').notNullable();
    table.string('name').notNullable();
    table.string('title');
    table.string('type');
    table.string('lifecycle');
    table.string('owner_ref').index();
    table.string('system_ref').index();
  });
  await knex.schema.createTable('dm_entity_identities', table => {
    table.string('annotation').notNullable();
    table.string('value').notNullable();
    table.string('entity_ref').notNullable();
    table.primary(['annotation', 'value', 'entity_ref']);
  });
  await knex.schema.createTable('dm_groups', table => {
    table.string('group_ref').primary();
    table.string('title');
    table.string('parent_ref');
  });
  // Every group with each of its ancestors, itself included at depth 0.
  await knex.schema.createTable('dm_group_ancestors', table => {
    table.string('group_ref').notNullable();
    table.string('ancestor_ref').notNullable().index();
    table.integer('depth').notNullable();
    table.primary(['group_ref', 'ancestor_ref']);
  });

  await knex.schema.createTable('dm_deployments', table => {
    table.bigIncrements('pk');
    table.string('source').notNullable();
    table.string('external_id').notNullable();
    table.string('entity_ref').notNullable();
    table.string('environment').notNullable();
    table.string('status').notNullable();
    // status success and a production environment: counts in DORA metrics
    table.boolean('counts').notNullable();
    table.bigInteger('started_at');
    table.bigInteger('finished_at').notNullable();
    table.string('kind').notNullable();
    table.string('fixes');
    table.string('version');
    table.text('url');
    table.string('actor');
    table.text('labels');
    table.integer('commit_count').notNullable();
    // [{ sha, committedAt }], each sha once: what the deployment brought
    table.text('commits').notNullable();
    table.unique(['source', 'external_id']);
    table.index(
      ['entity_ref', 'counts', 'finished_at'],
      'dm_deployments_entity_time_idx',
    );
    table.index(['entity_ref', 'external_id'], 'dm_deployments_entity_id_idx');
    table.index(['entity_ref', 'fixes'], 'dm_deployments_entity_fixes_idx');
  });
  // Each change of an entity at its first counted deployment: what lead time is made of.
  await knex.schema.createTable('dm_entity_changes', table => {
    table.string('entity_ref').notNullable();
    table.string('sha').notNullable();
    table.bigInteger('committed_at').notNullable();
    table.bigInteger('first_deployment_pk').notNullable();
    table.bigInteger('first_deployed_at').notNullable();
    // with first_deployed_at, the canonical order that decides which deployment was first
    table.string('first_source').notNullable();
    table.string('first_external_id').notNullable();
    table.primary(['entity_ref', 'sha']);
    table.index(
      ['entity_ref', 'first_deployed_at'],
      'dm_entity_changes_time_idx',
    );
  });

  await knex.schema.createTable('dm_incidents', table => {
    table.bigIncrements('pk');
    table.string('source').notNullable();
    table.string('external_id').notNullable();
    table.string('entity_ref').notNullable();
    table.bigInteger('opened_at').notNullable();
    table.bigInteger('resolved_at');
    table.string('severity');
    table.text('title');
    table.text('url');
    table.text('postmortem_url');
    table.string('deployment_id');
    table.string('cause_sha');
    // the deployment this incident makes failed, by the precedence in docs/metrics.md
    table.bigInteger('cause_deployment_pk').index();
    table.unique(['source', 'external_id']);
    table.index(
      ['entity_ref', 'resolved_at'],
      'dm_incidents_entity_resolved_idx',
    );
    table.index(['entity_ref', 'opened_at'], 'dm_incidents_entity_opened_idx');
  });

  // Events whose entity is not (yet) in the catalog: kept whole, replayed when it appears.
  await knex.schema.createTable('dm_unmatched_events', table => {
    table.bigIncrements('pk');
    table.string('event_type').notNullable();
    table.string('source').notNullable();
    table.string('external_id').notNullable();
    table.text('identity').notNullable();
    table.string('reason').notNullable();
    table.text('payload').notNullable();
    table.bigInteger('received_at').notNullable();
    table.unique(['event_type', 'source', 'external_id']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  for (const table of [
    'dm_unmatched_events',
    'dm_incidents',
    'dm_entity_changes',
    'dm_deployments',
    'dm_group_ancestors',
    'dm_groups',
    'dm_entity_identities',
    'dm_entities',
  ]) {
    await knex.schema.dropTable(table);
  }
};
