// @ts-check

const {
  parseEntityRef,
  stringifyEntityRef,
} = require('@backstage/catalog-model');

/**
 * The catalog entity an unmatched event names, as the catalog spells refs.
 *
 * Why: the unmatched list leaves out events that name an entity the catalog hides from the
 * reader. Done on each page after reading it, the count still counted them and pages came back
 * short; with the named ref in a column the list filters in SQL before counting and paging.
 * The ref is the event's `entityRef`, normalised, or, for an event named by annotations only,
 * the entity of an unscored kind that carries them (its reason says which). Null: nothing in
 * the catalog is named.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('dm_unmatched_events', table => {
    table.text('named_ref');
  });
  const rows = await knex('dm_unmatched_events').select(
    'pk',
    'identity',
    'reason',
  );
  for (const row of rows) {
    const namedRef = namedRefOf(JSON.parse(row.identity), row.reason);
    if (namedRef)
      await knex('dm_unmatched_events')
        .where('pk', row.pk)
        .update({ named_ref: namedRef });
  }
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('dm_unmatched_events', table => {
    table.dropColumn('named_ref');
  });
};

/**
 * @param {Record<string, string>} identity
 * @param {string} reason
 */
function namedRefOf(identity, reason) {
  try {
    if (identity.entityRef)
      return stringifyEntityRef(
        parseEntityRef(identity.entityRef, {
          defaultKind: 'component',
          defaultNamespace: 'default',
        }),
      ).toLocaleLowerCase('en-US');
  } catch {
    return undefined;
  }
  const carried = /^catalog entity (\S+) is of kind /.exec(reason ?? '');
  return carried ? carried[1] : undefined;
}
