// @ts-check

/**
 * Text whose length nobody bounds becomes `text`.
 *
 * Why: knex's `string()` is `varchar(255)`, and PostgreSQL refuses longer values where SQLite
 * stores them. The catalog does not bound titles, spec.type, spec.lifecycle, owner and parent
 * refs or annotation values, so one entity with a 300-character title failed every mirror
 * refresh; and an unmatched event's reason quotes the ref or annotations it was sent with, so
 * a long unknown entityRef failed its whole batch. What the push API validates keeps its
 * column: its limits equal the column sizes (src/service/validation.ts).
 *
 * SQLite does not enforce varchar lengths, so only PostgreSQL needs the change. On PostgreSQL
 * varchar to text rewrites neither the table nor its indexes.
 */
const WIDENED = {
  dm_entities: ['title', 'type', 'lifecycle', 'owner_ref', 'system_ref'],
  dm_entity_identities: ['annotation', 'value'],
  dm_groups: ['title', 'parent_ref'],
  dm_group_ancestors: ['group_ref', 'ancestor_ref'],
  dm_scorecards: ['title', 'type', 'lifecycle', 'owner_ref', 'system_ref'],
  dm_unmatched_events: ['reason'],
};

/** @param {import('knex').Knex} knex */
const isPostgres = knex =>
  /^(pg|postgres)/.test(String(knex.client.config.client));

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  if (!isPostgres(knex)) return;
  for (const [table, columns] of Object.entries(WIDENED)) {
    await knex.raw(
      `ALTER TABLE ?? ${columns
        .map(() => 'ALTER COLUMN ?? TYPE text')
        .join(', ')}`,
      [table, ...columns],
    );
  }
};

/**
 * Back to varchar(255): longer values are cut to 255 characters, as the earlier schema could
 * not hold them.
 *
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  if (!isPostgres(knex)) return;
  for (const [table, columns] of Object.entries(WIDENED)) {
    await knex.raw(
      `ALTER TABLE ?? ${columns
        .map(() => 'ALTER COLUMN ?? TYPE varchar(255) USING left(??, 255)')
        .join(', ')}`,
      [table, ...columns.flatMap(c => [c, c])],
    );
  }
};
