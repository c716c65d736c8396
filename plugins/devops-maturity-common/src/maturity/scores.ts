import { DoraMetrics } from '../dora/metrics';
import { DoraTier, tierScore } from '../dora/tiers';
import {
  CALMS_PILLAR_TITLES,
  CALMS_PILLARS,
  CalmsAssessment,
  CalmsPillar,
  isAssessmentStale,
  scoreAssessment,
} from './calms';
import { CheckResult } from './checks';

/** How signals and the self-assessment weigh in a pillar's score. @public */
export interface CalmsWeights {
  signals: number;
  assessment: number;
}

/** How much automated signals and the self-assessment weigh in a pillar's score by default. @public */
export const DEFAULT_CALMS_WEIGHTS: CalmsWeights = {
  signals: 0.5,
  assessment: 0.5,
};

/** One automated signal behind a pillar's score. @public */
export interface CalmsSignal {
  source: 'check' | 'dora';
  id: string;
  title: string;
  /** 0..1 */
  value: number;
  evidence: string;
}

/** One CALMS pillar's score, 0 to 100, with its two sources and evidence. @public */
export interface CalmsPillarScore {
  pillar: CalmsPillar;
  title: string;
  /** 0-100; null when neither signals nor a current assessment exist. */
  score: number | null;
  /** 0-100, mean of the signals; null without signals. */
  signalsScore: number | null;
  /** 0-100 from the current self-assessment; null without one (or when stale). */
  assessmentScore: number | null;
  basis: 'signals-and-assessment' | 'signals-only' | 'assessment-only' | 'none';
  signals: CalmsSignal[];
}

/** The CALMS scores of an entity: every pillar and the overall score. @public */
export interface CalmsScores {
  pillars: CalmsPillarScore[];
  /** Mean of the pillar scores that exist, 0-100. */
  overall: number | null;
  /** The latest self-assessment, and whether it is too old to count. */
  assessment?: {
    author: string;
    submittedAt: string;
    stale: boolean;
    staleAfterDays: number;
  };
  /** What every pillar is based on: `signals-only` says no current assessment counted. */
  basis: 'signals-and-assessment' | 'signals-only';
}

/** DORA metrics that are evidence for a pillar: throughput is automation, lead time is flow. */
const DORA_SIGNALS: Array<{
  pillar: CalmsPillar;
  id: string;
  title: string;
  tier: (m: DoraMetrics) => DoraTier | null;
}> = [
  {
    pillar: 'automation',
    id: 'dora.deployment-frequency',
    title: 'Deployment frequency tier',
    tier: m => m.deploymentFrequency.tier,
  },
  {
    pillar: 'lean',
    id: 'dora.lead-time',
    title: 'Lead time for changes tier',
    tier: m => m.leadTime.tier,
  },
];

const round = (n: number) => Math.round(n);

/**
 * The CALMS scores of one entity. Signals: its applicable scored checks, each with its pillar, and the
 * DORA tiers above (elite 1, high 2/3, medium 1/3, low 0). A pillar's score is the weighted mean
 * of its signals' mean and its self-assessment score; a stale or missing assessment is left out
 * and the score says it is signals-only.
 * @public
 */
export function computeCalmsScores(input: {
  checks: CheckResult[];
  dora?: DoraMetrics;
  assessment?: CalmsAssessment;
  now: number;
  staleAfterDays: number;
  weights: CalmsWeights;
}): CalmsScores {
  const { checks, dora, assessment, now, staleAfterDays, weights } = input;
  const stale = assessment
    ? isAssessmentStale(assessment, now, staleAfterDays)
    : true;
  const assessed =
    assessment && !stale ? scoreAssessment(assessment.answers) : undefined;

  const pillars = CALMS_PILLARS.map((pillar): CalmsPillarScore => {
    const signals: CalmsSignal[] = checks
      // Not applicable checks, and checks shown for information only, count neither way.
      .filter(
        c => c.pillar === pillar && c.value !== null && c.scored !== false,
      )
      .map(c => ({
        source: 'check',
        id: c.id,
        title: c.title,
        value: c.value!,
        evidence: c.evidence,
      }));
    for (const s of DORA_SIGNALS.filter(d => d.pillar === pillar)) {
      const tier = dora ? s.tier(dora) : null;
      if (tier)
        signals.push({
          source: 'dora',
          id: s.id,
          title: s.title,
          value: tierScore(tier) / 3,
          evidence: `${tier} over ${dora!.window.from.slice(
            0,
            10,
          )} to ${dora!.window.to.slice(0, 10)}`,
        });
    }
    const signalsScore = signals.length
      ? round((signals.reduce((a, s) => a + s.value, 0) / signals.length) * 100)
      : null;
    const assessmentScore = assessed ? assessed[pillar] : null;
    let score: number | null = null;
    let basis: CalmsPillarScore['basis'] = 'none';
    if (signalsScore !== null && assessmentScore !== null) {
      const total = weights.signals + weights.assessment;
      score = round(
        (signalsScore * weights.signals +
          assessmentScore * weights.assessment) /
          (total || 1),
      );
      basis = 'signals-and-assessment';
    } else if (signalsScore !== null) {
      score = signalsScore;
      basis = 'signals-only';
    } else if (assessmentScore !== null) {
      score = assessmentScore;
      basis = 'assessment-only';
    }
    return {
      pillar,
      title: CALMS_PILLAR_TITLES[pillar],
      score,
      signalsScore,
      assessmentScore,
      basis,
      signals,
    };
  });
  const scored = pillars.filter(p => p.score !== null);
  return {
    pillars,
    overall: scored.length
      ? round(scored.reduce((a, p) => a + p.score!, 0) / scored.length)
      : null,
    assessment: assessment && {
      author: assessment.author,
      submittedAt: assessment.submittedAt,
      stale,
      staleAfterDays,
    },
    basis: assessed ? 'signals-and-assessment' : 'signals-only',
  };
}
