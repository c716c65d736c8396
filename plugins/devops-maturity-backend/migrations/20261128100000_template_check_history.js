// @ts-check

/**
 * The golden-path template check no longer fails: in the daily history, its recorded failures
 * become not applicable.
 *
 * Why: the check used to fail every entity not built from a template, and it now says "not
 * applicable" there. Left as they were, the old failures would show as a change to "not
 * applicable" the day after the upgrade for every such entity, and the history would keep
 * counting a failure the check no longer reports. Rows are read in chunks (by their primary
 * key) and rewritten in JS: SQLite and PostgreSQL have no JSON functions in common, and
 * `results` is a JSON text array of `{ id, status, value }`.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  const CHUNK = 500;
  /** @type {{ entityRef: string, day: number } | undefined} */
  let after;
  for (;;) {
    const query = knex('dm_check_history')
      .select('entity_ref', 'day', 'results')
      .where('results', 'like', '%golden-path-template%')
      .orderBy([
        { column: 'entity_ref', order: 'asc' },
        { column: 'day', order: 'asc' },
      ])
      .limit(CHUNK);
    const last = after;
    if (last) {
      query.andWhere(q =>
        q
          .where('entity_ref', '>', last.entityRef)
          .orWhere(r =>
            r
              .where('entity_ref', last.entityRef)
              .andWhere('day', '>', last.day),
          ),
      );
    }
    const rows = await query;
    for (const row of rows) {
      /** @type {Array<{ id: string, status: string, value: unknown }>} */
      const results = JSON.parse(row.results);
      let changed = false;
      for (const result of results) {
        if (result.id === 'golden-path-template' && result.status === 'fail') {
          result.status = 'not-applicable';
          result.value = null;
          changed = true;
        }
      }
      if (changed) {
        await knex('dm_check_history')
          .where({ entity_ref: row.entity_ref, day: row.day })
          .update({ results: JSON.stringify(results) });
      }
    }
    if (rows.length < CHUNK) break;
    const tail = rows[rows.length - 1];
    after = { entityRef: tail.entity_ref, day: Number(tail.day) };
  }
};

/**
 * A no-op: which "not applicable" entries were failures before `up` is not kept, and the
 * check no longer fails, so there is nothing true to restore.
 *
 * @param {import('knex').Knex} _knex
 */
exports.down = async function down(_knex) {};
