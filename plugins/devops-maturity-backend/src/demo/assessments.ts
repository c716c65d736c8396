import {
  CALMS_QUESTIONS,
  CalmsAssessment,
  DAY_MS,
} from '@devops-maturity/backstage-plugin-common';
import { seededRandom } from './random';

/**
 * `devops-maturity.io/demo-assessment: '<1..5>'` or `'<1..5> <N>d'`: the demo seeds a CALMS
 * self-assessment whose answers centre on that value, submitted N days ago (default 20), so
 * that strong, weak, stale and missing assessments can all be seen.
 */
export const DEMO_ASSESSMENT_ANNOTATION = 'devops-maturity.io/demo-assessment';

/** The demo's author: a member of the platform administrators, who may assess any service. */
export const DEMO_ASSESSMENT_AUTHOR = 'user:default/jane.doe';

const utcNoon = (ms: number) => Math.floor(ms / DAY_MS) * DAY_MS + DAY_MS / 2;

/** Mostly the centre, sometimes one step either side: real teams are uneven. */
function answerNear(centre: number, r: number): number {
  let step = 0;
  if (r < 0.2) step = -1;
  else if (r > 0.8) step = 1;
  return Math.min(5, Math.max(1, centre + step));
}

/** The assessment an annotation value describes; deterministic per entity. */
export function demoAssessment(
  entityRef: string,
  value: string,
  now: number,
): CalmsAssessment | undefined {
  const match = /^([1-5])(?:\s+(\d+)d)?$/.exec(value.trim());
  if (!match) return undefined;
  const centre = Number(match[1]);
  const daysAgo = match[2] ? Number(match[2]) : 20;
  const rand = seededRandom(`assessment-${entityRef}`);
  const answers = Object.fromEntries(
    CALMS_QUESTIONS.map(q => [q.id, answerNear(centre, rand())]),
  );
  return {
    entityRef,
    answers,
    author: DEMO_ASSESSMENT_AUTHOR,
    submittedAt: new Date(utcNoon(now - daysAgo * DAY_MS)).toISOString(),
  };
}
