import {
  Bar,
  BarChart,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
} from 'recharts';
import { DoraTrendPoint } from '@devops-maturity/backstage-plugin-common';

/** A small trend: one value per week or month; gaps where a bucket has no value. */
export function Sparkline(props: {
  points: DoraTrendPoint[];
  value: (p: DoraTrendPoint) => number | null;
  format: (v: number) => string;
  kind?: 'bar' | 'line';
  color?: string;
}) {
  const { points, value, format, kind = 'line', color = '#2e7dbb' } = props;
  const data = points.map(p => ({
    start: p.start.slice(0, 10),
    value: value(p),
  }));
  if (!data.some(d => d.value !== null)) return null;
  const tooltip = (
    <Tooltip
      formatter={(v: any) => [
        v === null || v === undefined ? 'no data' : format(Number(v)),
        '',
      ]}
      labelFormatter={label => `from ${label}`}
      separator=""
    />
  );
  return (
    <ResponsiveContainer width="100%" height={70}>
      {kind === 'bar' ? (
        <BarChart data={data}>
          <XAxis dataKey="start" hide />
          {tooltip}
          <Bar dataKey="value" fill={color} isAnimationActive={false} />
        </BarChart>
      ) : (
        <LineChart data={data}>
          <XAxis dataKey="start" hide />
          {tooltip}
          <Line
            dataKey="value"
            stroke={color}
            strokeWidth={2}
            dot={{ r: 2 }}
            connectNulls={false}
            isAnimationActive={false}
          />
        </LineChart>
      )}
    </ResponsiveContainer>
  );
}
