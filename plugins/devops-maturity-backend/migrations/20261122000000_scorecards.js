// @ts-check

/**
 * Precomputed figures of every entity and every group for the preset windows (30, 90, 180,
 * 365 days ending at `computed_at`) and each profile, so that rankings are one indexed query
 * over 10,000 rows instead of a recomputation over millions of events.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('dm_scorecards', table => {
    table.string('subject_type').notNullable(); // 'entity' | 'owner'
    table.string('subject_ref').notNullable();
    table.integer('window_days').notNullable();
    table.string('profile').notNullable();
    table.bigInteger('computed_at').notNullable();
    table.string('title');
    table.string('kind');
    table.string('type');
    table.string('lifecycle');
    table.string('owner_ref');
    table.string('system_ref');
    table.integer('overall_score'); // elite 3 .. low 0, null without data
    table.float('df_per_day');
    table.float('lt_median');
    table.float('cfr');
    table.float('ttr_median');
    table.float('rework');
    table.text('metrics').notNullable(); // the full answer, JSON
    table.primary(['subject_type', 'window_days', 'profile', 'subject_ref']);
    table.index(
      ['subject_type', 'window_days', 'profile', 'owner_ref'],
      'dm_scorecards_owner_idx',
    );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('dm_scorecards');
};
