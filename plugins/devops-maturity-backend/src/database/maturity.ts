import { Knex } from 'knex';
import {
  CalmsAssessment,
  CheckSignals,
  DAY_MS,
  median,
} from '@devops-maturity/backstage-plugin-common';
import { chunks, toBoolean, toNumber } from './util';
import { CheckHistoryRow } from './types';
import { readByEntity } from './readByEntity';

/** What the golden-path checks need of the events, per entity, at `now`. */
export async function readCheckSignals(
  knex: Knex,
  entityRefs: string[],
  now: number,
): Promise<Map<string, CheckSignals>> {
  const out = new Map<string, CheckSignals>();
  for (const ref of entityRefs) {
    out.set(ref, {
      deploymentsLast30Days: 0,
      medianCommitsPerDeployment: null,
      incidentsEverReported: false,
      resolvedIncidents: 0,
      resolvedWithPostmortem: 0,
    });
  }
  const from90 = now - 90 * DAY_MS;
  const from30 = now - 30 * DAY_MS;
  for (const part of chunks(entityRefs)) {
    const commits = new Map<string, number[]>();
    // In pages on SQLite: 90 days of a few busy services are tens of thousands of rows.
    await readByEntity<any>(
      knex,
      part,
      'entity_ref',
      k =>
        k('dm_deployments')
          .where('counts', true)
          .where('finished_at', '>=', from90)
          .where('finished_at', '<', now)
          .select('pk', 'finished_at', 'commit_count', 'commits_complete'),
      [
        { column: 'finished_at', field: 'finished_at' },
        { column: 'pk', field: 'pk' },
      ],
      (entityRef, d) => {
        const s = out.get(entityRef)!;
        if (toNumber(d.finished_at) >= from30) s.deploymentsLast30Days += 1;
        const n = toNumber(d.commit_count);
        // A deployment reported without (all its) commits says nothing about batch size.
        if (n > 0 && toBoolean(d.commits_complete)) {
          if (!commits.has(entityRef)) commits.set(entityRef, []);
          commits.get(entityRef)!.push(n);
        }
      },
    );
    for (const [ref, counts] of commits)
      out.get(ref)!.medianCommitsPerDeployment = median(counts);

    const reported = await knex('dm_incidents')
      .whereIn('entity_ref', part)
      .distinct('entity_ref');
    for (const r of reported)
      out.get(r.entity_ref)!.incidentsEverReported = true;

    const resolved = await knex('dm_incidents')
      .whereIn('entity_ref', part)
      .where('resolved_at', '>=', from90)
      .where('resolved_at', '<', now)
      .groupBy('entity_ref')
      .select('entity_ref')
      .count({ n: '*' })
      .count({ withPostmortem: 'postmortem_url' });
    for (const r of resolved as any[]) {
      const s = out.get(r.entity_ref)!;
      s.resolvedIncidents = toNumber(r.n);
      s.resolvedWithPostmortem = toNumber(r.withPostmortem);
    }
  }
  return out;
}

const assessmentFromRow = (r: any): CalmsAssessment => ({
  entityRef: r.entity_ref,
  answers: JSON.parse(r.answers),
  author: r.author_ref,
  submittedAt: new Date(toNumber(r.submitted_at)).toISOString(),
});

export async function insertAssessment(knex: Knex, a: CalmsAssessment) {
  await knex('dm_assessments').insert({
    entity_ref: a.entityRef,
    answers: JSON.stringify(a.answers),
    author_ref: a.author,
    submitted_at: Date.parse(a.submittedAt),
  });
}

/** The newest assessment of each entity that has one. */
export async function latestAssessments(
  knex: Knex,
  entityRefs: string[],
): Promise<Map<string, CalmsAssessment>> {
  const out = new Map<string, CalmsAssessment>();
  for (const part of chunks(entityRefs)) {
    const rows = await knex('dm_assessments as a')
      .whereIn('a.entity_ref', part)
      .whereNotExists(q =>
        q
          .select(knex.raw('1'))
          .from('dm_assessments as b')
          .whereRaw('b.entity_ref = a.entity_ref')
          .where(w =>
            w
              .whereRaw('b.submitted_at > a.submitted_at')
              .orWhereRaw('b.submitted_at = a.submitted_at AND b.pk > a.pk'),
          ),
      )
      .select('a.*');
    for (const r of rows) out.set(r.entity_ref, assessmentFromRow(r));
  }
  return out;
}

/** An entity's assessments, newest first. */
export async function assessmentHistory(
  knex: Knex,
  entityRef: string,
  limit: number,
): Promise<CalmsAssessment[]> {
  const rows = await knex('dm_assessments')
    .where('entity_ref', entityRef)
    .orderBy([
      { column: 'submitted_at', order: 'desc' },
      { column: 'pk', order: 'desc' },
    ])
    .limit(limit);
  return rows.map(assessmentFromRow);
}

/** One row per entity and UTC day: a later evaluation the same day replaces the earlier. */
export async function recordCheckHistory(knex: Knex, rows: CheckHistoryRow[]) {
  const records = rows.map(r => ({
    entity_ref: r.entityRef,
    day: r.day,
    level: r.level,
    calms_score:
      r.calmsScore === undefined || r.calmsScore === null
        ? null
        : Math.round(r.calmsScore),
    results: JSON.stringify(r.results),
  }));
  for (const part of chunks(records, 100)) {
    await knex('dm_check_history')
      .insert(part)
      .onConflict(['entity_ref', 'day'])
      .merge();
  }
}

const historyRowFrom = (r: any): CheckHistoryRow => ({
  entityRef: r.entity_ref,
  day: toNumber(r.day),
  level: toNumber(r.level),
  calmsScore:
    r.calms_score === null || r.calms_score === undefined
      ? null
      : toNumber(r.calms_score),
  results: JSON.parse(r.results),
});

/** An entity's rows from `fromDay` on, oldest first, after the last row before it (if any). */
export async function checkHistorySince(
  knex: Knex,
  entityRef: string,
  fromDay: number,
): Promise<CheckHistoryRow[]> {
  const baseline = await knex('dm_check_history')
    .where('entity_ref', entityRef)
    .where('day', '<', fromDay)
    .orderBy('day', 'desc')
    .first();
  const rows = await knex('dm_check_history')
    .where('entity_ref', entityRef)
    .where('day', '>=', fromDay)
    .orderBy('day', 'asc');
  return [...(baseline ? [baseline] : []), ...rows].map(historyRowFrom);
}

/** An entity's level and checks passed per day, newest first. */
export async function checkHistory(
  knex: Knex,
  entityRef: string,
  limit: number,
) {
  const rows = await knex('dm_check_history')
    .where('entity_ref', entityRef)
    .orderBy('day', 'desc')
    .limit(limit);
  return rows.map(r => {
    const results: Array<{ status: string }> = JSON.parse(r.results);
    return {
      day: new Date(toNumber(r.day)).toISOString().slice(0, 10),
      level: toNumber(r.level),
      passed: results.filter(x => x.status === 'pass').length,
      failed: results.filter(x => x.status === 'fail').length,
    };
  });
}

/** The entities' recorded levels on the UTC days in `[fromDay, toDay)`, in no set order. */
export async function checkLevelsBetween(
  knex: Knex,
  entityRefs: string[],
  fromDay: number,
  toDay: number,
): Promise<Array<{ entityRef: string; day: number; level: number }>> {
  const out: Array<{ entityRef: string; day: number; level: number }> = [];
  for (const part of chunks(entityRefs)) {
    const rows = await knex('dm_check_history')
      .whereIn('entity_ref', part)
      .where('day', '>=', fromDay)
      .where('day', '<', toDay)
      .select('entity_ref', 'day', 'level');
    // a loop, not push(...): a part can answer more rows than a call takes arguments
    for (const r of rows)
      out.push({
        entityRef: r.entity_ref,
        day: toNumber(r.day),
        level: toNumber(r.level),
      });
  }
  return out;
}
