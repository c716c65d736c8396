import { Knex } from 'knex';
import { CalmsAssessment } from '@devops-maturity/backstage-plugin-common';
import { CheckHistoryRow, MaturityStore } from './types';
import {
  assessmentHistory,
  checkHistory,
  checkHistorySince,
  checkLevelsBetween,
  insertAssessment,
  latestAssessments,
  readCheckSignals,
  recordCheckHistory,
} from './maturity';

/** The maturity model's storage: the teams' assessments, check signals and check history. */
export class DatabaseMaturityStore implements MaturityStore {
  constructor(private readonly knex: Knex) {}

  readCheckSignals(entityRefs: string[], now: number) {
    return readCheckSignals(this.knex, entityRefs, now);
  }

  insertAssessment(assessment: CalmsAssessment) {
    return insertAssessment(this.knex, assessment);
  }

  latestAssessments(entityRefs: string[]) {
    return latestAssessments(this.knex, entityRefs);
  }

  assessmentHistory(entityRef: string, limit: number) {
    return assessmentHistory(this.knex, entityRef, limit);
  }

  recordCheckHistory(rows: CheckHistoryRow[]) {
    return recordCheckHistory(this.knex, rows);
  }

  checkHistory(entityRef: string, limit: number) {
    return checkHistory(this.knex, entityRef, limit);
  }

  checkHistorySince(entityRef: string, fromDay: number) {
    return checkHistorySince(this.knex, entityRef, fromDay);
  }

  checkLevelsBetween(entityRefs: string[], fromDay: number, toDay: number) {
    return checkLevelsBetween(this.knex, entityRefs, fromDay, toDay);
  }
}
