// @ts-check

/**
 * Entities that left the catalog (deleted or renamed) while they had events.
 *
 * Why: events are stored under the entity ref they resolved to. When that entity leaves the
 * catalog its events drop out of every page, and the unmatched list, which only held events
 * that never matched, did not show them either: a renamed service lost its history. A row here
 * lists the entity's events as unmatched ("no longer in the catalog") and lets a later catalog
 * refresh move them to the entity that carries its ref again, or one of the annotations it was
 * known by (`identities`, JSON `[{ annotation, value }]`, as the mirror had them when it left).
 *
 * Entities that had already left before this migration are found by their events: refs with
 * deployments or incidents that the mirror does not have. Their annotations are no longer
 * known: they are listed, and leave the list when their ref comes back to the catalog.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('dm_departed_entities', table => {
    table.string('entity_ref').primary();
    table.text('identities').notNullable();
    table.bigInteger('departed_at').notNullable();
  });
  const now = Date.now();
  for (const events of ['dm_deployments', 'dm_incidents']) {
    await knex.raw(
      `INSERT INTO dm_departed_entities (entity_ref, identities, departed_at)
       SELECT DISTINCT e.entity_ref, '[]', CAST(? AS bigint) FROM ${events} e
       WHERE NOT EXISTS (SELECT 1 FROM dm_entities m WHERE m.entity_ref = e.entity_ref)
         AND NOT EXISTS (SELECT 1 FROM dm_departed_entities g WHERE g.entity_ref = e.entity_ref)`,
      [now],
    );
  }
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('dm_departed_entities');
};
