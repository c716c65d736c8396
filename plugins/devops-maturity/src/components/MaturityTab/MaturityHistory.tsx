import {
  HistoryDays,
  HistoryWindowToggle,
} from '../shared/HistoryWindowToggle';
import { useState } from 'react';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { Box, Typography } from '@material-ui/core';
import useAsync from 'react-use/esm/useAsync';
import {
  EntityMaturityHistory,
  EntityMaturityHistoryChange,
} from '@devops-maturity/backstage-plugin-common';
import { devopsMaturityApiRef } from '../../api/DevopsMaturityApi';

const LEVEL_COLOR = '#2e7dbb';
const CALMS_COLOR = '#8e44ad';
const DAY_MS = 86_400_000;

const STATUS_LABELS: Record<string, string> = {
  pass: 'pass',
  fail: 'fail',
  'not-applicable': 'n/a',
};
const statusLabel = (s: string | null) =>
  s === null ? 'not checked' : STATUS_LABELS[s] ?? s;

const shortDay = (ms: number) =>
  new Date(ms).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    timeZone: 'UTC',
  });

/**
 * The entity's level and CALMS score per recorded day over 90, 180 or 365 days, and the days
 * its golden-path checks started or stopped passing.
 */
export function MaturityHistory(props: { entityRef: string }) {
  const { entityRef } = props;
  const api = useApi(devopsMaturityApiRef);
  const [days, setDays] = useState<HistoryDays>(90);
  const { value, loading, error } = useAsync(
    async () => api.getEntityMaturityHistory(entityRef, { days }),
    [api, entityRef, days],
  );

  return (
    <InfoCard
      title="History"
      subheader="Level and CALMS score per day, and the days checks started or stopped passing"
      action={
        <HistoryWindowToggle
          value={days}
          onChange={setDays}
          label="History window"
        />
      }
    >
      {loading && <Progress />}
      {!loading && error && <ResponseErrorPanel error={error} />}
      {!loading && !error && value && value.points.length === 0 && (
        <Typography data-testid="maturity-history-empty" color="textSecondary">
          No history yet: it is recorded each day the rankings are computed
        </Typography>
      )}
      {!loading && !error && value && value.points.length > 0 && (
        <HistoryChart history={value} />
      )}
    </InfoCard>
  );
}

function HistoryChart(props: { history: EntityMaturityHistory }) {
  const { points, changes, window } = props.history;
  const data = points.map(p => ({
    t: Date.parse(`${p.day}T00:00:00Z`),
    level: p.level,
    calms: p.calms,
  }));
  // The whole window, so that a short history is drawn where it falls, not stretched.
  const last = Math.max(...data.map(d => d.t));
  const domain = [last - (window.days - 1) * DAY_MS, last];
  const changeDays = [...new Set(changes.map(c => c.day))];
  return (
    <>
      <div
        data-testid="maturity-history-chart"
        data-points={points.length}
        data-days={window.days}
      >
        <ResponsiveContainer width="100%" height={260}>
          <LineChart data={data} margin={{ top: 8, right: 8, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis
              dataKey="t"
              type="number"
              scale="time"
              domain={domain}
              tickFormatter={shortDay}
            />
            <YAxis
              yAxisId="level"
              domain={[0, 5]}
              ticks={[0, 1, 2, 3, 4, 5]}
              allowDecimals={false}
              width={40}
              label={{ value: 'Level', angle: -90, position: 'insideLeft' }}
            />
            <YAxis
              yAxisId="calms"
              orientation="right"
              domain={[0, 100]}
              width={40}
              label={{ value: 'CALMS', angle: 90, position: 'insideRight' }}
            />
            {changeDays.map(day => (
              <ReferenceLine
                key={day}
                yAxisId="level"
                x={Date.parse(`${day}T00:00:00Z`)}
                stroke="#bdbdbd"
                strokeDasharray="2 3"
              />
            ))}
            <Tooltip
              labelFormatter={(t: any) =>
                new Date(Number(t)).toISOString().slice(0, 10)
              }
              formatter={(v: any, name: any) => [v ?? 'not recorded', name]}
            />
            <Legend />
            <Line
              yAxisId="level"
              name="Level"
              dataKey="level"
              type="stepAfter"
              stroke={LEVEL_COLOR}
              strokeWidth={2}
              dot={false}
              isAnimationActive={false}
            />
            <Line
              yAxisId="calms"
              name="CALMS score"
              dataKey="calms"
              type="monotone"
              stroke={CALMS_COLOR}
              strokeWidth={2}
              dot={false}
              connectNulls={false}
              isAnimationActive={false}
            />
          </LineChart>
        </ResponsiveContainer>
      </div>
      <ChangeList changes={changes} />
      <Box mt={1} component="details" data-testid="maturity-history-table">
        <Typography component="summary" variant="body2">
          The {points.length} recorded days as a table
        </Typography>
        <table>
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col">Level</th>
              <th scope="col">CALMS score</th>
            </tr>
          </thead>
          <tbody>
            {points.map(p => (
              <tr
                key={p.day}
                data-testid="maturity-history-point"
                data-day={p.day}
                data-level={p.level}
                data-calms={p.calms ?? ''}
              >
                <td>{p.day}</td>
                <td>{p.level}</td>
                <td>{p.calms ?? '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Box>
    </>
  );
}

/** The days criteria started or stopped passing, newest first. */
function ChangeList(props: { changes: EntityMaturityHistoryChange[] }) {
  const { changes } = props;
  if (changes.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No check started or stopped passing in this window.
      </Typography>
    );
  }
  return (
    <Box mt={2} data-testid="maturity-history-changes">
      <Typography variant="subtitle2">Criteria that changed</Typography>
      <Box component="ul" m={0} pl={2}>
        {[...changes].reverse().map(c => (
          <li
            key={`${c.day}-${c.checkId}`}
            data-testid="maturity-history-change"
            data-day={c.day}
            data-check={c.checkId}
          >
            <Typography variant="body2" component="span">
              {c.day}: <strong>{c.title}</strong> {statusLabel(c.from)} →{' '}
              {statusLabel(c.to)}
            </Typography>
          </li>
        ))}
      </Box>
    </Box>
  );
}
