import { Knex } from 'knex';
import {
  DoraMetrics,
  DoraTier,
  tierScore,
  TIERS_WORST_FIRST,
} from '@devops-maturity/backstage-plugin-common';
import { chunks, deleteRefsExcept, toNumber, whereInList } from './util';
import { holdCatalogShared } from './catalogLock';
import { upsertRows } from './fastWrites';

/** A precomputed row: an entity's or a group's figures for one preset window and profile. */
export interface ScorecardRow {
  subjectType: 'entity' | 'owner';
  subjectRef: string;
  windowDays: number;
  profile: string;
  computedAt: number;
  title?: string;
  kind?: string;
  type?: string;
  lifecycle?: string;
  ownerRef?: string;
  systemRef?: string;
  /** The whole answer for this row (metrics plus identity fields). */
  metrics: DoraMetrics & Record<string, unknown>;
  /** Entities only: the maturity level, mean CALMS score and check statuses. */
  maturityLevel?: number;
  calmsScore?: number | null;
  checks?: Record<string, string>;
}

/** Filters, sorting and paging of a ranking. */
export interface RankingQuery {
  subjectType: 'entity' | 'owner';
  windowDays: number;
  profile: string;
  ownerRefs?: string[];
  /** Only these subjects: the entities a reader may see, when not all. */
  subjectRefs?: string[];
  systemRefs?: string[];
  kinds?: string[];
  types?: string[];
  lifecycles?: string[];
  tiers?: Array<DoraTier | 'none'>;
  q?: string;
  sort: string;
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
}

const TEXT_COLUMNS = new Set(['subject_ref', 'owner_ref', 'system_ref']);

const SORT_COLUMNS: Record<string, string> = {
  name: 'subject_ref',
  owner: 'owner_ref',
  system: 'system_ref',
  overallTier: 'overall_score',
  deploymentFrequency: 'df_per_day',
  leadTime: 'lt_median',
  changeFailureRate: 'cfr',
  timeToRestore: 'ttr_median',
  reworkRate: 'rework',
  maturityLevel: 'maturity_level',
  calms: 'calms_score',
};

/**
 * Rows per write: on SQLite prepared statements that let the event loop turn every
 * `SQLITE_ROWS_PER_TURN` rows (see `inTurns`), on PostgreSQL one statement (the rows as one
 * JSON parameter, see `pgUpsertRows`).
 * Through knex, building and preparing each multi-row statement's text cost as much as running
 * it: the hourly recomputation writes 80,000 rows at 10,000 entities.
 */
export const SCORECARD_ROWS_PER_WRITE = 500;

/** A row's columns as written. */
function toRecord(r: ScorecardRow) {
  return {
    subject_type: r.subjectType,
    subject_ref: r.subjectRef,
    window_days: r.windowDays,
    profile: r.profile,
    computed_at: r.computedAt,
    title: r.title ?? null,
    kind: r.kind?.toLocaleLowerCase('en-US') ?? null,
    type: r.type?.toLocaleLowerCase('en-US') ?? null,
    lifecycle: r.lifecycle?.toLocaleLowerCase('en-US') ?? null,
    owner_ref: r.ownerRef ?? null,
    system_ref: r.systemRef ?? null,
    overall_score: r.metrics.overallTier
      ? tierScore(r.metrics.overallTier)
      : null,
    df_per_day: r.metrics.deploymentFrequency.perDay,
    lt_median: r.metrics.leadTime.medianSeconds,
    cfr: r.metrics.changeFailureRate.value,
    ttr_median: r.metrics.timeToRestore.medianSeconds,
    rework: r.metrics.reworkRate.value,
    maturity_level: r.maturityLevel ?? null,
    calms_score: r.calmsScore ?? null,
    checks: r.checks ? JSON.stringify(r.checks) : null,
    metrics: JSON.stringify(r.metrics),
  };
}

export async function upsertScorecards(
  knex: Knex,
  rows: ScorecardRow[],
): Promise<void> {
  await knex.transaction(async trx => {
    await holdCatalogShared(trx);
    for (const part of chunks(rows, SCORECARD_ROWS_PER_WRITE)) {
      // Each part's columns and JSON are built just before its write, which gives the event
      // loop its turns: PostgreSQL's while the statement runs, SQLite's in `inTurns`. Built all
      // at once before the first write, the 4,000 rows of a part of 500 entities were one
      // stretch.
      await upsertRows(trx, 'dm_scorecards', part.map(toRecord), {
        conflict: ['subject_type', 'window_days', 'profile', 'subject_ref'],
        // A computation that read the facts earlier than the stored row's never replaces it
        // (replicas recompute at the same time).
        mergeWhere: '"dm_scorecards"."computed_at" <= excluded."computed_at"',
      });
    }
    await deleteRowsOfDeparted(trx, rows);
  });
}

const MIRROR = {
  entity: { table: 'dm_entities', column: 'entity_ref' },
  owner: { table: 'dm_groups', column: 'group_ref' },
} as const;

/**
 * Deletes the rows just written of subjects the catalog mirror no longer has. A recomputation
 * that read the mirror before a catalog refresh removed an entity would otherwise write its
 * rows after that refresh's recomputation deleted them, possibly on another replica, and they
 * would be ranked until the hourly recomputation.
 *
 * The mirror is read under `holdCatalogShared`, taken when the transaction began: a replacement
 * of the mirror either committed before, and is seen here, or waits for these rows to be
 * committed, and its recomputation, which deletes the departed subjects' rows, sees them.
 * Refs are looked up by the mirror's primary key; the scorecards have no index that starts with
 * the subject's ref.
 */
async function deleteRowsOfDeparted(
  trx: Knex.Transaction,
  rows: ScorecardRow[],
) {
  for (const [type, { table, column }] of Object.entries(MIRROR)) {
    const refs = [
      ...new Set(
        rows.filter(r => r.subjectType === type).map(r => r.subjectRef),
      ),
    ];
    const present = new Set<string>();
    for (const part of chunks(refs)) {
      const found = await trx(table).select(column).whereIn(column, part);
      for (const row of found) present.add(row[column]);
    }
    const departed = refs.filter(ref => !present.has(ref));
    if (departed.length > 0) await deleteScorecards(trx, type, departed);
  }
}

/** Removes the rows of these subjects (gone from the catalog). */
export async function deleteScorecards(
  knex: Knex,
  subjectType: string,
  subjectRefs: string[],
) {
  for (const part of chunks(subjectRefs)) {
    await knex('dm_scorecards')
      .where('subject_type', subjectType)
      .whereIn('subject_ref', part)
      .delete();
  }
}

/** Removes rows of subjects that are gone from the catalog. */
export async function deleteScorecardsExcept(
  knex: Knex,
  subjectType: string,
  keep: string[],
) {
  await deleteRefsExcept(knex, 'dm_scorecards', 'subject_ref', keep, {
    subject_type: subjectType,
  });
}

function isPostgres(knex: Knex): boolean {
  return String(knex.client.config.client).includes('pg');
}

function applyFilters(
  q: Knex.QueryBuilder,
  query: RankingQuery,
  withTier: boolean,
) {
  q.where({
    subject_type: query.subjectType,
    window_days: query.windowDays,
    profile: query.profile,
  });
  const lower = (list?: string[]) =>
    list?.map(v => v.toLocaleLowerCase('en-US'));
  if (query.ownerRefs) q.whereIn('owner_ref', query.ownerRefs);
  if (query.subjectRefs) whereInList(q, 'subject_ref', query.subjectRefs);
  if (query.systemRefs?.length) q.whereIn('system_ref', query.systemRefs);
  if (query.kinds?.length) q.whereIn('kind', lower(query.kinds)!);
  if (query.types?.length) q.whereIn('type', lower(query.types)!);
  if (query.lifecycles?.length)
    q.whereIn('lifecycle', lower(query.lifecycles)!);
  if (withTier && query.tiers?.length) {
    const scores = query.tiers
      .filter(t => t !== 'none')
      .map(t => TIERS_WORST_FIRST.indexOf(t as DoraTier));
    const none = query.tiers.includes('none');
    q.where(w => {
      if (scores.length) w.whereIn('overall_score', scores);
      if (none) w.orWhereNull('overall_score');
    });
  }
  if (query.q) {
    const needle = `%${query.q
      .toLocaleLowerCase('en-US')
      .replace(/[\\%_]/g, c => `\\${c}`)}%`;
    q.where(w =>
      w
        .whereRaw(`LOWER(subject_ref) LIKE ? ESCAPE '\\'`, [needle])
        .orWhereRaw(`LOWER(COALESCE(title, '')) LIKE ? ESCAPE '\\'`, [needle]),
    );
  }
  return q;
}

/** A ranking page: the rows, how many match, and the tier distribution before the tier filter. */
export async function queryScorecards(knex: Knex, query: RankingQuery) {
  // An own property only: the column is written into the SQL.
  const column = Object.hasOwn(SORT_COLUMNS, query.sort)
    ? SORT_COLUMNS[query.sort]
    : 'overall_score';
  const rows = await applyFilters(knex('dm_scorecards'), query, true)
    .select('metrics', 'computed_at')
    .orderByRaw(`CASE WHEN ${column} IS NULL THEN 1 ELSE 0 END`)
    // Text in byte order on both databases (PostgreSQL's locale collation ignores punctuation).
    .orderByRaw(
      `${column}${
        isPostgres(knex) && TEXT_COLUMNS.has(column) ? ' COLLATE "C"' : ''
      } ${query.order === 'asc' ? 'ASC' : 'DESC'}`,
    )
    // Byte order on both databases (PostgreSQL's locale collation ignores punctuation).
    .orderByRaw(
      isPostgres(knex) ? 'subject_ref COLLATE "C" ASC' : 'subject_ref ASC',
    )
    .limit(query.limit)
    .offset(query.offset);
  const tiers = await applyFilters(knex('dm_scorecards'), query, false)
    .select('overall_score')
    .count({ n: '*' })
    .groupBy('overall_score');
  const distribution = { elite: 0, high: 0, medium: 0, low: 0, none: 0 };
  for (const t of tiers) {
    const key =
      t.overall_score === null
        ? 'none'
        : TIERS_WORST_FIRST[toNumber(t.overall_score)];
    distribution[key] += toNumber(t.n);
  }
  // The tier filter is a filter on overall_score alone, so the rows it keeps are counted
  // by the distribution already: no count query of its own.
  const counted = query.tiers?.length
    ? [...new Set(query.tiers)]
    : (Object.keys(distribution) as Array<keyof typeof distribution>);
  const totalCount = counted.reduce((sum, tier) => sum + distribution[tier], 0);
  return {
    items: rows.map((r: { metrics: string }) => JSON.parse(r.metrics)),
    totalCount,
    distribution,
    computedAt: rows.length ? toNumber(rows[0].computed_at) : undefined,
  };
}

/** An entity's level and check statuses, as its ranking row keeps them. */
export interface MaturityRow {
  entityRef: string;
  ownerRef?: string;
  level: number | null;
  checks: Record<string, string>;
}

/** Every entity's level and check statuses for one preset window and profile. */
export async function maturityRows(
  knex: Knex,
  windowDays: number,
  profile: string,
): Promise<MaturityRow[]> {
  const rows = await knex('dm_scorecards')
    .where({ subject_type: 'entity', window_days: windowDays, profile })
    .select('subject_ref', 'owner_ref', 'maturity_level', 'checks');
  return rows.map(r => ({
    entityRef: r.subject_ref,
    ownerRef: r.owner_ref ?? undefined,
    level: r.maturity_level === null ? null : toNumber(r.maturity_level),
    checks: r.checks ? JSON.parse(r.checks) : {},
  }));
}
