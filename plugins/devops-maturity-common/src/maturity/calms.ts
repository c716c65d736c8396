import { DAY_MS } from '../time';

/**
 * CALMS: Culture, Automation, Lean, Measurement, Sharing. A score per pillar, 0-100, from the
 * automated signals (golden-path checks, DORA tiers) and the owning team's self-assessment.
 */

/** The five CALMS pillars. @public */
export type CalmsPillar =
  | 'culture'
  | 'automation'
  | 'lean'
  | 'measurement'
  | 'sharing';

/** The five CALMS pillars, in their usual order. @public */
export const CALMS_PILLARS: CalmsPillar[] = [
  'culture',
  'automation',
  'lean',
  'measurement',
  'sharing',
];

/** Display titles of the CALMS pillars. @public */
export const CALMS_PILLAR_TITLES: Record<CalmsPillar, string> = {
  culture: 'Culture',
  automation: 'Automation',
  lean: 'Lean',
  measurement: 'Measurement',
  sharing: 'Sharing',
};

/** One Likert item of the self-assessment. @public */
export interface CalmsQuestion {
  id: string;
  pillar: CalmsPillar;
  /** A statement the team rates from 1 (strongly disagree) to 5 (strongly agree). */
  text: string;
  /** Why the practice matters, shown as help. */
  why: string;
}

/**
 * The questionnaire: four to six practices per pillar, as the DevOps literature names them
 * (the Three Ways, the SRE book, the DORA research, DevSecOps), for what no annotation can
 * show. Statements, so that agreeing is better. Questions are only ever added: an assessment
 * stored before a question existed still scores on the answers it has.
 * @public
 */
export const CALMS_QUESTIONS: CalmsQuestion[] = [
  {
    id: 'culture.blameless-postmortems',
    pillar: 'culture',
    text: 'After an incident we write a blameless postmortem and act on what it teaches.',
    why: 'Incidents are failures of the system, not of people; teams that hide them repeat them.',
  },
  {
    id: 'culture.shared-goals',
    pillar: 'culture',
    text: 'Development and operations share the same goals for this service (delivery and reliability).',
    why: 'Siloed goals (features vs. stability) are the conflict DevOps set out to end.',
  },
  {
    id: 'culture.you-build-it-you-run-it',
    pillar: 'culture',
    text: 'The team that builds this service runs it in production, on-call included.',
    why: '"You build it, you run it": the people paged at 3 am are the ones who can fix the cause.',
  },
  {
    id: 'culture.psychological-safety',
    pillar: 'culture',
    text: 'Anyone on the team can raise a concern or admit a mistake without fear.',
    why: 'Psychological safety is what lets problems surface while they are still small.',
  },
  {
    id: 'culture.retrospectives-lead-to-action',
    pillar: 'culture',
    text: 'Our retrospectives end with actions that we then carry out, and we can name a recent change that came from one.',
    why: 'Continual learning is the Third Way: a retrospective only counts if something changes because of it.',
  },
  {
    id: 'culture.security-findings-fixed',
    pillar: 'culture',
    text: 'Security findings (vulnerable dependencies, scanner alerts) are fixed within a time we agreed on, by severity.',
    why: 'DevSecOps makes security everyone’s job: a scan nobody acts on only records the risk.',
  },
  {
    id: 'automation.tests',
    pillar: 'automation',
    text: 'Every change runs an automated test suite we trust before it can be deployed.',
    why: 'Automated tests are the fastest feedback loop; they make small, frequent changes safe.',
  },
  {
    id: 'automation.deploys',
    pillar: 'automation',
    text: 'Deploying to production is one automated step, with no manual commands.',
    why: 'Manual deployment is toil: repetitive, error-prone and a reason to deploy less often.',
  },
  {
    id: 'automation.infrastructure-as-code',
    pillar: 'automation',
    text: "The service's infrastructure is defined as code, versioned and reviewed.",
    why: 'Infrastructure as code makes every environment reproducible and every change reviewable.',
  },
  {
    id: 'automation.toil-under-half',
    pillar: 'automation',
    text: 'Toil (manual, repetitive work with no lasting value) takes at most half of the team’s time, and we automate it away.',
    why: 'Google’s SRE book: SRE teams should spend no more than 50% of their time on toil; the rest goes to engineering work that reduces future toil.',
  },
  {
    id: 'lean.small-batches',
    pillar: 'lean',
    text: 'We ship small changes, usually less than a day of work each.',
    why: 'Risk grows faster than batch size; ten small releases are safer than one large one.',
  },
  {
    id: 'lean.wip-limits',
    pillar: 'lean',
    text: 'We limit work in progress and finish work before starting new work.',
    why: 'Stop starting, start finishing: work in progress is inventory that delivers nothing.',
  },
  {
    id: 'lean.value-stream',
    pillar: 'lean',
    text: 'We have mapped our path from idea to production and removed waiting and handoffs from it.',
    why: 'Value-stream mapping shows where work waits, which is usually most of the lead time.',
  },
  {
    id: 'lean.every-change-reviewed',
    pillar: 'lean',
    text: 'Every change is reviewed by someone other than its author, and reviews do not wait for days.',
    why: 'Review is a fast feedback loop; a review that waits for days becomes the queue in the value stream.',
  },
  {
    id: 'measurement.slos',
    pillar: 'measurement',
    text: 'The service has SLOs, and the error budget guides what we work on.',
    why: 'An SLO says what "reliable enough" means; the error budget turns it into decisions.',
  },
  {
    id: 'measurement.symptom-alerts',
    pillar: 'measurement',
    text: 'Alerts fire on what users feel (errors, latency), not on every internal cause.',
    why: 'Symptom-based alerting pages for what matters and keeps on-call sustainable.',
  },
  {
    id: 'measurement.dora-reviewed',
    pillar: 'measurement',
    text: 'We review our DORA metrics regularly and change how we work because of them.',
    why: 'Measuring outcomes, not outputs, is only useful if the numbers change decisions.',
  },
  {
    id: 'measurement.error-budget-policy',
    pillar: 'measurement',
    text: 'We follow an agreed error budget policy: when the budget runs low we slow down and put reliability work first.',
    why: 'An error budget only settles the features-or-reliability argument if the team acts on it as agreed.',
  },
  {
    id: 'measurement.outcomes-after-release',
    pillar: 'measurement',
    text: 'After a release we check whether it had the effect on users we expected, and that shapes what we build next.',
    why: 'Shipping is output; what it changed for users is the outcome, and only measuring it closes the loop.',
  },
  {
    id: 'sharing.runbooks',
    pillar: 'sharing',
    text: 'Runbooks let any on-call engineer handle this service’s known failure modes.',
    why: 'Knowledge that lives in one head is a single point of failure.',
  },
  {
    id: 'sharing.adrs',
    pillar: 'sharing',
    text: 'We record architecture decisions (ADRs) where other teams can read them.',
    why: 'Recorded decisions keep their reasons when people move on.',
  },
  {
    id: 'sharing.innersource',
    pillar: 'sharing',
    text: 'Other teams can read our code and contribute changes to it (InnerSource).',
    why: 'Treating internal code like open source spreads knowledge and removes queues.',
  },
  {
    id: 'sharing.game-days',
    pillar: 'sharing',
    text: 'We rehearse failures (game days or chaos experiments), so the whole team, not only its senior engineers, can respond.',
    why: 'Practising an outage spreads the know-how to handle one and shows weak spots before a real incident does.',
  },
];

/** Answers of one self-assessment: question id to 1..5. @public */
export type CalmsAnswers = Record<string, number>;

/** A stored self-assessment. @public */
export interface CalmsAssessment {
  entityRef: string;
  answers: CalmsAnswers;
  /** The user who submitted it. */
  author: string;
  /** ISO 8601. */
  submittedAt: string;
}

/**
 * Checks a set of answers against the questionnaire; answers every problem, naming the field.
 * Every question must be answered with an integer from 1 to 5.
 * @public
 */
export function validateCalmsAnswers(answers: unknown): string[] {
  if (!answers || typeof answers !== 'object' || Array.isArray(answers))
    return ['answers must be an object of question id to 1..5'];
  const problems: string[] = [];
  const known = new Set(CALMS_QUESTIONS.map(q => q.id));
  for (const key of Object.keys(answers)) {
    if (!known.has(key)) problems.push(`answers.${key} is not a question`);
  }
  for (const q of CALMS_QUESTIONS) {
    const v = (answers as Record<string, unknown>)[q.id];
    if (v === undefined) problems.push(`answers.${q.id} is missing`);
    else if (!Number.isInteger(v) || (v as number) < 1 || (v as number) > 5)
      problems.push(`answers.${q.id} must be an integer from 1 to 5`);
  }
  return problems;
}

/** Whether an assessment is too old to count: older than `staleAfterDays` at `now`. @public */
export function isAssessmentStale(
  assessment: CalmsAssessment,
  now: number,
  staleAfterDays: number,
): boolean {
  return now - Date.parse(assessment.submittedAt) > staleAfterDays * DAY_MS;
}

/**
 * Per pillar 0-100: the mean of the pillar's answered questions, 1 mapped to 0 and 5 to 100.
 * Unanswered questions are left out, not counted low, so that an assessment submitted before
 * a question was added scores as it did (a pillar with no answer at all scores 0).
 * @public
 */
export function scoreAssessment(
  answers: CalmsAnswers,
): Record<CalmsPillar, number> {
  const out = {} as Record<CalmsPillar, number>;
  for (const pillar of CALMS_PILLARS) {
    const values = CALMS_QUESTIONS.filter(q => q.pillar === pillar)
      .map(q => answers[q.id])
      .filter((v): v is number => typeof v === 'number');
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    out[pillar] = values.length ? Math.round(((mean - 1) / 4) * 100) : 0;
  }
  return out;
}
