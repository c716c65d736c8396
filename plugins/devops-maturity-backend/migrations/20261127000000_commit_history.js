// @ts-check

/**
 * The commit history learnt from pushes, replacing the log of pending commits.
 *
 * Why: the log handed a deployment every commit pushed before its sha, in arrival order,
 * whatever the branch and whatever the environment: a staging deployment took the commits its
 * production deployment needed, and a deployment of main took commits of unmerged branches.
 * A deployment's changes are now the commits its sha contains (walking back through the
 * pushes' parent links) that no earlier production deployment contained.
 *
 * `dm_commits`: every commit seen, with its time when a push told it (a sha known only as a
 * deployed head has none), and the earliest production deployment that brought it.
 * `dm_commit_parents`: the order pushes give, child to parent.
 *
 * Pending commits move over without parent links (their log never knew them): a deployment
 * of them is taken with partial coverage.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('dm_commits', table => {
    // insertion order, for the per-repository bound on what is kept
    table.bigIncrements('pk');
    table.string('source').notNullable();
    table.string('repository').notNullable();
    table.string('sha').notNullable();
    table.bigInteger('committed_at');
    table.string('first_deployment_id');
    table.bigInteger('first_deployed_at');
    table.unique(['source', 'repository', 'sha']);
    table.index(['source', 'repository', 'pk'], 'dm_commits_order_idx');
  });
  await knex.schema.createTable('dm_commit_parents', table => {
    table.string('source').notNullable();
    table.string('repository').notNullable();
    table.string('sha').notNullable();
    table.string('parent_sha').notNullable();
    table.primary(['source', 'repository', 'sha', 'parent_sha']);
  });
  await knex.raw(
    `INSERT INTO dm_commits (source, repository, sha, committed_at)
     SELECT source, repository, sha, committed_at FROM dm_pending_commits ORDER BY pk`,
  );
  await knex.schema.dropTable('dm_pending_commits');

  // Whether a deployment's commits are all it brought; false is partial lead-time coverage.
  await knex.schema.alterTable('dm_deployments', table => {
    table.boolean('commits_complete').notNullable().defaultTo(true);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('dm_deployments', table => {
    table.dropColumn('commits_complete');
  });
  await knex.schema.createTable('dm_pending_commits', table => {
    table.bigIncrements('pk');
    table.string('source').notNullable();
    table.string('repository').notNullable();
    table.string('sha').notNullable();
    table.bigInteger('committed_at').notNullable();
    table.unique(['source', 'repository', 'sha']);
    table.index(['source', 'repository', 'pk'], 'dm_pending_commits_order_idx');
  });
  await knex.raw(
    `INSERT INTO dm_pending_commits (source, repository, sha, committed_at)
     SELECT source, repository, sha, committed_at FROM dm_commits
     WHERE committed_at IS NOT NULL AND first_deployment_id IS NULL ORDER BY pk`,
  );
  await knex.schema.dropTable('dm_commit_parents');
  await knex.schema.dropTable('dm_commits');
};
