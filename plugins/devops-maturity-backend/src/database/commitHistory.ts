import { Knex } from 'knex';
import {
  compareUtf8,
  DoraOptions,
  isProductionEnvironment,
  parseInstant,
  readInstant,
} from '@devops-maturity/backstage-plugin-common';
import type {
  ChangeSet,
  ChangeSetRequest,
  Commit,
  CommitHistory,
  CompareCommits,
  PushedCommits,
} from '@devops-maturity/backstage-plugin-node';
import { recordComparedChangeSet } from './comparedChangeSet';
import { DeployedHead, recordDeployedHead } from './deployedHeads';
import { holdAdvisoryLock } from './advisoryLock';
import { byteOrder, chunks, toNumber, toNumberOrNull } from './util';

/** How many commits a repository keeps: the oldest go first. */
export const MAX_COMMITS_PER_REPOSITORY = 10_000;

/** A `before` of all zeros: the branch did not exist. */
const NO_COMMIT = /^0+$/;

/**
 * The commit history of one source's repositories, in the plugin's database. See
 * `CommitHistory` in the node package for the rules; docs/metrics.md states them for users.
 */
export class DatabaseCommitHistory implements CommitHistory {
  constructor(
    private readonly knex: Knex,
    private readonly source: string,
    private readonly options: DoraOptions,
    private readonly maxPerRepository = MAX_COMMITS_PER_REPOSITORY,
  ) {}

  async recordPush(repository: string, push: PushedCommits): Promise<void> {
    const { source } = this;
    // A commit without a readable time has no lead time: it is left out.
    const commits = push.commits.flatMap(c => {
      const committedAt = readInstant(c.committedAt);
      return committedAt === undefined ? [] : [{ ...c, committedAt }];
    });
    // Each commit's parent is the one before it in the push, the first's is the old head.
    const parents: Array<{ sha: string; parent_sha: string }> = [];
    commits.forEach((c, i) => {
      const parent =
        i > 0
          ? commits[i - 1].sha
          : push.linksToBefore !== false && push.before;
      if (parent && !NO_COMMIT.test(parent) && parent !== c.sha)
        parents.push({ sha: c.sha, parent_sha: parent });
    });
    if (commits.length === 0) return;
    await this.knex.transaction(async trx => {
      for (const part of chunks(commits, 100)) {
        // A commit known before keeps its time; one known only as a deployed sha gets it.
        await trx('dm_commits')
          .insert(
            part.map(c => ({
              source,
              repository,
              sha: c.sha,
              committed_at: c.committedAt,
            })),
          )
          .onConflict(['source', 'repository', 'sha'])
          .merge(['committed_at'])
          .whereNull('dm_commits.committed_at');
      }
      for (const part of chunks(parents, 100)) {
        await trx('dm_commit_parents')
          .insert(part.map(p => ({ source, repository, ...p })))
          .onConflict(['source', 'repository', 'sha', 'parent_sha'])
          .ignore();
      }
      await this.forgetOldest(trx, repository);
    });
  }

  async changeSet(
    repository: string,
    deployment: ChangeSetRequest,
    compare?: CompareCommits,
  ): Promise<ChangeSet> {
    // Only production deployments bring changes: staging never takes production's commits.
    // What it would have brought is not worked out, so it is unknown, not none: should its
    // environment become production (a config change), it counts with partial coverage
    // rather than as a deployment that brought nothing.
    if (!isProductionEnvironment(deployment.environment, this.options))
      return { commits: [], complete: false };
    const head: DeployedHead = {
      source: this.source,
      repository,
      deploymentId: deployment.deploymentId,
      sha: deployment.sha,
      finishedAt: parseInstant(deployment.finishedAt, 'finishedAt'),
    };
    const base = await this.knex.transaction(async trx => {
      await this.lockRepository(trx, repository);
      return recordDeployedHead(trx, head);
    });
    // The provider is asked outside any transaction: a slow answer holds no lock and, on
    // SQLite, does not keep every other writer waiting.
    let told: Commit[] | undefined;
    if (compare && base !== undefined) {
      // A re-deploy of the same sha brings nothing: no need to ask.
      told = base === head.sha ? [] : await compare({ base, head: head.sha });
    }
    return this.knex.transaction(async trx => {
      await this.lockRepository(trx, repository);
      if (told) {
        const changes = await recordComparedChangeSet(trx, head, told);
        await this.forgetOldest(trx, repository);
        return changes;
      }
      return this.walkHistory(trx, head);
    });
  }

  /** One change set of a repository at a time across replicas (SQLite has one writer). */
  private lockRepository(trx: Knex.Transaction, repository: string) {
    return holdAdvisoryLock(
      trx,
      `devops-maturity:${this.source}:${repository}`,
    );
  }

  /** The change set found by walking back from the deployed sha through the pushes' history. */
  private async walkHistory(
    trx: Knex.Transaction,
    head: DeployedHead,
  ): Promise<ChangeSet> {
    const { repository, finishedAt } = head;
    const params = {
      source: this.source,
      repository,
      sha: head.sha,
      id: head.deploymentId,
      finishedAt,
    };
    // The deployed sha is remembered even when no push told its time, so that later
    // deployments stop at it.
    await trx('dm_commits')
      .insert({ source: this.source, repository, sha: head.sha })
      .onConflict(['source', 'repository', 'sha'])
      .ignore();
    const rows: Array<{
      sha: string;
      committed_at: unknown;
      deployed_earlier: unknown;
      parents: unknown;
    }> = toRows(await trx.raw(reachableSql(trx), params));

    const commits: ChangeSet['commits'] = [];
    const brought: string[] = [];
    let complete = true;
    for (const row of rows) {
      if (toNumber(row.deployed_earlier) === 1) continue;
      brought.push(row.sha);
      const committedAt = toNumberOrNull(row.committed_at);
      // A commit whose time no push told, or whose parents no push told: history unknown.
      if (committedAt === null || toNumber(row.parents) === 0) complete = false;
      if (committedAt !== null) {
        commits.push({
          sha: row.sha,
          committedAt: new Date(committedAt).toISOString(),
        });
      }
    }
    for (const part of chunks(brought)) {
      await trx('dm_commits')
        .where({ source: this.source, repository })
        .whereIn('sha', part)
        .update({
          first_deployment_id: head.deploymentId,
          first_deployed_at: finishedAt,
        });
    }
    // Oldest first, as pushes list them (ISO times of one format compare as strings).
    commits.sort(
      (a, b) =>
        compareUtf8(a.committedAt, b.committedAt) || compareUtf8(a.sha, b.sha),
    );
    return { commits, complete };
  }

  private async forgetOldest(trx: Knex.Transaction, repository: string) {
    const { source } = this;
    const oldestKept = await trx('dm_commits')
      .where({ source, repository })
      .orderBy('pk', 'desc')
      .offset(this.maxPerRepository - 1)
      .first('pk');
    if (!oldestKept) return;
    const gone = trx('dm_commits')
      .where({ source, repository })
      .where('pk', '<', oldestKept.pk);
    await trx('dm_commit_parents')
      .where({ source, repository })
      .whereIn('sha', gone.clone().select('sha'))
      .delete();
    await gone.delete();
  }
}

/**
 * Whether the commit row `c` was brought by a production deployment earlier than the one
 * asked for (by finish time, then id in byte order): the walk back stops there.
 */
function deployedEarlier(knex: Knex) {
  const bytes = byteOrder(knex);
  return `(c.first_deployment_id IS NOT NULL AND c.first_deployment_id <> :id
    AND (c.first_deployed_at < :finishedAt OR (c.first_deployed_at = :finishedAt
      AND c.first_deployment_id${bytes} < :id${bytes})))`;
}

/**
 * Every sha reachable from the deployed sha through the parent links, not walking past a
 * commit an earlier production deployment brought; each with its time, whether such a
 * deployment brought it, and how many parents are known.
 */
function reachableSql(knex: Knex) {
  const earlier = deployedEarlier(knex);
  // UNION keeps each sha once, so the walk is linear in the commits it reaches.
  return `
    WITH RECURSIVE reach(sha) AS (
      SELECT CAST(:sha AS VARCHAR(255))
      UNION
      SELECT p.parent_sha
      FROM reach r
      JOIN dm_commit_parents p
        ON p.source = :source AND p.repository = :repository AND p.sha = r.sha
      WHERE NOT EXISTS (
        SELECT 1 FROM dm_commits c
        WHERE c.source = :source AND c.repository = :repository AND c.sha = r.sha
          AND ${earlier})
    )
    SELECT r.sha, c.committed_at,
      CASE WHEN c.sha IS NOT NULL AND ${earlier} THEN 1 ELSE 0 END AS deployed_earlier,
      (SELECT COUNT(*) FROM dm_commit_parents p
       WHERE p.source = :source AND p.repository = :repository AND p.sha = r.sha) AS parents
    FROM reach r
    LEFT JOIN dm_commits c
      ON c.source = :source AND c.repository = :repository AND c.sha = r.sha`;
}

/** knex.raw answers rows on SQLite and a result with `rows` on PostgreSQL. */
function toRows<T>(result: any): T[] {
  return Array.isArray(result) ? result : result.rows;
}
