import {
  Bar,
  BarChart,
  Cell,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { InfoCard } from '@backstage/core-components';
import { DoraTier } from '@devops-maturity/backstage-plugin-common';
import { TIER_COLORS, TIER_LABELS } from '../shared/format';

const ORDER: Array<DoraTier | 'none'> = [
  'elite',
  'high',
  'medium',
  'low',
  'none',
];

/** How many services (or teams) sit in each overall tier. */
export function TierDistribution(props: {
  distribution: Record<DoraTier | 'none', number>;
  noun: string;
}) {
  const data = ORDER.map(t => ({
    tier: t === 'none' ? 'No data' : TIER_LABELS[t],
    count: props.distribution[t] ?? 0,
    color: t === 'none' ? '#9e9e9e' : TIER_COLORS[t],
  }));
  return (
    <InfoCard title={`Overall DORA tier of ${props.noun}`}>
      <div data-testid="tier-distribution">
        <ResponsiveContainer width="100%" height={150}>
          <BarChart data={data} layout="vertical" margin={{ left: 20 }}>
            <XAxis type="number" allowDecimals={false} />
            <YAxis type="category" dataKey="tier" width={70} />
            <Tooltip />
            <Bar dataKey="count" isAnimationActive={false}>
              {data.map(d => (
                <Cell key={d.tier} fill={d.color} />
              ))}
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </div>
    </InfoCard>
  );
}
