import {
  Legend,
  PolarAngleAxis,
  PolarGrid,
  PolarRadiusAxis,
  Radar,
  RadarChart,
  ResponsiveContainer,
  Tooltip,
} from 'recharts';
import { CalmsScores } from '@devops-maturity/backstage-plugin-common';

/** The five pillars on a radar: the score, and the signals and assessment it combines. */
export function CalmsRadar(props: { calms: CalmsScores }) {
  const { calms } = props;
  const data = calms.pillars.map(p => ({
    pillar: p.title,
    score: p.score ?? 0,
    signals: p.signalsScore ?? 0,
    assessment: p.assessmentScore ?? 0,
  }));
  const assessed = calms.pillars.some(p => p.assessmentScore !== null);
  return (
    <div data-testid="calms-radar" style={{ width: '100%', height: 340 }}>
      <ResponsiveContainer width="100%" height="100%">
        <RadarChart data={data} outerRadius="70%">
          <PolarGrid />
          <PolarAngleAxis dataKey="pillar" />
          {/* between the first two pillars, so the scale does not cover a label */}
          <PolarRadiusAxis
            domain={[0, 100]}
            tickCount={5}
            angle={54}
            tick={{ fontSize: 10 }}
          />
          <Radar
            name="Score"
            dataKey="score"
            stroke="#1f5493"
            fill="#1f5493"
            fillOpacity={0.35}
            isAnimationActive={false}
          />
          <Radar
            name="Signals"
            dataKey="signals"
            stroke="#ef6c00"
            fill="none"
            strokeDasharray="4 3"
            isAnimationActive={false}
          />
          {assessed && (
            <Radar
              name="Self-assessment"
              dataKey="assessment"
              stroke="#2e7d32"
              fill="none"
              strokeDasharray="2 2"
              isAnimationActive={false}
            />
          )}
          <Tooltip />
          <Legend />
        </RadarChart>
      </ResponsiveContainer>
    </div>
  );
}
