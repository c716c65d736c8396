import { Knex } from 'knex';
import { RankingStore } from './types';
import {
  clearStale,
  countStale,
  markStale,
  readStale,
  StaleMark,
} from './staleRankings';
import { exclusively } from './exclusiveRecompute';
import { isSqlite } from './util';
import {
  deleteScorecards,
  deleteScorecardsExcept,
  maturityRows,
  queryScorecards,
  RankingQuery,
  ScorecardRow,
  upsertScorecards,
} from './scorecards';

/**
 * The rankings' precomputed rows, and the marks of the rows that new events made stale; both
 * in the database, so every replica sees them.
 */
export class DatabaseRankingStore implements RankingStore {
  readonly writesRunBeside: boolean;

  constructor(private readonly knex: Knex) {
    this.writesRunBeside = !isSqlite(knex);
  }

  markStale(entityRefs: Iterable<string>) {
    return markStale(this.knex, entityRefs);
  }

  readStale() {
    return readStale(this.knex);
  }

  countStale() {
    return countStale(this.knex);
  }

  exclusively<T>(fn: () => Promise<T>): Promise<T> {
    return exclusively(this.knex, fn);
  }

  clearStale(marks: StaleMark[]) {
    return clearStale(this.knex, marks);
  }

  upsertScorecards(rows: ScorecardRow[]) {
    return upsertScorecards(this.knex, rows);
  }

  deleteScorecards(subjectType: string, subjectRefs: string[]) {
    return deleteScorecards(this.knex, subjectType, subjectRefs);
  }

  deleteScorecardsExcept(subjectType: string, keep: string[]) {
    return deleteScorecardsExcept(this.knex, subjectType, keep);
  }

  maturityRows(windowDays: number, profile: string) {
    return maturityRows(this.knex, windowDays, profile);
  }

  queryScorecards(query: RankingQuery) {
    return queryScorecards(this.knex, query);
  }
}
