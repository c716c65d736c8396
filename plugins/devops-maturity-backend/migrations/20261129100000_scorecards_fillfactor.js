// @ts-check

/**
 * On PostgreSQL, ranking rows are kept in pages half full (`fillfactor` 50). Why: every
 * recomputation rewrites every row (80,000 at 10,000 entities, about 2 KB each). In a full page
 * an update writes the new row version elsewhere and a new entry in both indexes of the table;
 * with room left in the page it stays there, and no index is written (a "HOT" update: the
 * indexed columns, the row's key and owner, do not change). Measured on 500 rows of the
 * benchmark's table: 53-63 ms an upsert in full pages, 33-39 ms with room. The table takes
 * about twice the space, as an updated table of full pages does between vacuums anyway.
 *
 * Pages written before keep their rows until they are updated or the table is rewritten.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  if (String(knex.client.config.client).includes('sqlite')) return;
  await knex.raw('ALTER TABLE ?? SET (fillfactor = 50)', ['dm_scorecards']);
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  if (String(knex.client.config.client).includes('sqlite')) return;
  await knex.raw('ALTER TABLE ?? RESET (fillfactor)', ['dm_scorecards']);
};
