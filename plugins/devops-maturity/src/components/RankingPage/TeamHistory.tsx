import { useEffect, useState } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
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
import { Box, MenuItem, TextField, Typography } from '@material-ui/core';
import useAsync from 'react-use/esm/useAsync';
import {
  DoraTier,
  OwnerHistory,
  OwnerHistoryDoraTiers,
} from '@devops-maturity/backstage-plugin-common';
import { devopsMaturityApiRef } from '../../api/DevopsMaturityApi';
import {
  HistoryDays,
  historyDaysCovering,
  HistoryWindowToggle,
} from '../shared/HistoryWindowToggle';
import { LEVEL_COLORS } from '../shared/LevelChip';
import { TIER_COLORS, TIER_LABELS } from '../shared/format';

const UNRECORDED_COLOR = '#e0e0e0';
/** The tier strip's label column; the chart's plot area starts as far in. */
const STRIP_LABEL_WIDTH = 150;
const levelName = (level: string) =>
  level === '0' ? 'Unrated' : `Level ${level}`;

const TIER_ROWS: Array<{ key: keyof OwnerHistoryDoraTiers; label: string }> = [
  { key: 'overallTier', label: 'Overall' },
  { key: 'deploymentFrequency', label: 'Deployment frequency' },
  { key: 'leadTime', label: 'Lead time' },
  { key: 'changeFailureRate', label: 'Change failure rate' },
  { key: 'timeToRestore', label: 'Time to restore' },
];

const shortWeek = (iso: string) =>
  new Date(iso).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    timeZone: 'UTC',
  });
const tierText = (tier: DoraTier | null) => (tier ? TIER_LABELS[tier] : '–');

/** A team as the selector lists it: a row of the team ranking will do. */
export interface TeamHistoryTeam {
  ownerRef: string;
  title?: string;
}

/** Props of {@link TeamHistory}. */
export interface TeamHistoryProps {
  /** The teams to choose from, in the order to list them. */
  teams: TeamHistoryTeam[];
  /** The page's window: the history starts on the shortest of 90/180/365 days that covers it. */
  days?: number;
  /** The benchmark profile of the tiers; the default profile when absent. */
  profile?: string;
  /**
   * The team shown, when the caller keeps the choice (a row of the team ranking can then pick
   * it too); with `onSelect`. Without both, the card keeps its own choice.
   */
  selected?: string;
  /** Called with the team picked in the card's selector. */
  onSelect?: (ownerRef: string) => void;
  /** The team list is still loading, or failed: said as such, not as "no teams". */
  teamsLoading?: boolean;
  teamsError?: Error;
}

/**
 * A team's history, week by week: how many of its and its sub-teams' services stood at each
 * maturity level, and the DORA tiers of their pooled events, over 90, 180 or 365 days.
 */
export function TeamHistory(props: TeamHistoryProps) {
  const { teams, profile } = props;
  const api = useApi(devopsMaturityApiRef);
  const [ownChoice, setOwnChoice] = useState<string>();
  const controlled = props.onSelect !== undefined;
  const chosen = controlled ? props.selected : ownChoice;
  const setChosen = controlled ? props.onSelect! : setOwnChoice;
  const [days, setDays] = useState<HistoryDays>(
    historyDaysCovering(props.days),
  );
  useEffect(() => setDays(historyDaysCovering(props.days)), [props.days]);
  // The first team until one is chosen (and when the chosen one leaves the list).
  const ownerRef = teams.some(t => t.ownerRef === chosen)
    ? chosen
    : teams[0]?.ownerRef;
  const history = useAsync(
    async () =>
      ownerRef ? api.getOwnerHistory(ownerRef, { days, profile }) : undefined,
    [api, ownerRef, days, profile],
  );

  return (
    <InfoCard
      title="Team history"
      subheader="Maturity levels of the team's and its sub-teams' services, and their pooled DORA tiers, week by week"
      action={
        <HistoryWindowToggle
          value={days}
          onChange={setDays}
          label="Team history window"
        />
      }
    >
      <div data-testid="team-history">
        {props.teamsLoading && <Progress />}
        {!props.teamsLoading && props.teamsError && (
          <ResponseErrorPanel error={props.teamsError} />
        )}
        {!props.teamsLoading && !props.teamsError && teams.length === 0 && (
          <Typography color="textSecondary" data-testid="team-history-no-teams">
            No teams to show
          </Typography>
        )}
        {!props.teamsLoading && !props.teamsError && teams.length > 0 && (
          <>
            <Box mb={2} maxWidth={420}>
              <TextField
                select
                fullWidth
                size="small"
                variant="outlined"
                label="Team"
                value={ownerRef ?? ''}
                onChange={e => setChosen(e.target.value as string)}
                inputProps={{ 'data-testid': 'team-history-team' }}
              >
                {teams.map(t => (
                  <MenuItem key={t.ownerRef} value={t.ownerRef}>
                    {t.title ? `${t.title} (${t.ownerRef})` : t.ownerRef}
                  </MenuItem>
                ))}
              </TextField>
            </Box>
            {history.loading && <Progress />}
            {!history.loading && history.error && (
              <ResponseErrorPanel error={history.error} />
            )}
            {!history.loading && !history.error && history.value && (
              <HistoryView history={history.value} />
            )}
          </>
        )}
      </div>
    </InfoCard>
  );
}

function HistoryView(props: { history: OwnerHistory }) {
  const { weeks } = props.history;
  const recorded = (levels: Record<string, number>) =>
    Object.values(levels).reduce((a, b) => a + b, 0);
  const hasLevels = weeks.some(w => recorded(w.levels) > 0);
  const hasTiers = weeks.some(w => TIER_ROWS.some(r => w.dora[r.key]));
  if (!hasLevels && !hasTiers) {
    return (
      <Typography color="textSecondary" data-testid="team-history-empty">
        No recorded history for this team yet: levels are recorded each day the
        rankings are computed, tiers come from its services' deployments and
        incidents.
      </Typography>
    );
  }
  const levelKeys = [
    ...new Set(weeks.flatMap(w => Object.keys(w.levels))),
  ].sort((a, b) => Number(a) - Number(b));
  const data = weeks.map(w => ({
    week: w.partial ? `${shortWeek(w.start)} (so far)` : shortWeek(w.start),
    ...Object.fromEntries(levelKeys.map(l => [`l${l}`, w.levels[l] ?? 0])),
    unrecorded: w.unrecorded,
  }));
  return (
    <>
      {hasLevels ? (
        <div
          data-testid="team-history-chart"
          data-weeks={weeks.length}
          data-days={props.history.days}
          data-owner={props.history.ownerRef}
        >
          <ResponsiveContainer width="100%" height={260}>
            {/* The plot starts 150px in (margin and axis), as the tier strip's cells do. */}
            <BarChart
              data={data}
              margin={{ top: 8, right: 8, left: STRIP_LABEL_WIDTH - 40 }}
            >
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="week" interval="preserveStartEnd" />
              <YAxis
                allowDecimals={false}
                width={40}
                label={{
                  value: 'Services',
                  angle: -90,
                  position: 'insideLeft',
                }}
              />
              <Tooltip />
              <Legend />
              {levelKeys.map(l => (
                <Bar
                  key={l}
                  dataKey={`l${l}`}
                  name={levelName(l)}
                  stackId="levels"
                  fill={LEVEL_COLORS[Number(l)] ?? '#2e7d32'}
                  isAnimationActive={false}
                />
              ))}
              <Bar
                dataKey="unrecorded"
                name="No record that week"
                stackId="levels"
                fill={UNRECORDED_COLOR}
                isAnimationActive={false}
              />
            </BarChart>
          </ResponsiveContainer>
        </div>
      ) : (
        <Typography color="textSecondary" data-testid="team-history-empty">
          No recorded history for this team yet: levels are recorded each day
          the rankings are computed.
        </Typography>
      )}
      <TierStrip history={props.history} />
      <Box mt={1} component="details" data-testid="team-history-table">
        <Typography component="summary" variant="body2">
          The {weeks.length} weeks as a table
        </Typography>
        <table>
          <thead>
            <tr>
              <th scope="col">Week of</th>
              {levelKeys.map(l => (
                <th key={l} scope="col">
                  {levelName(l)}
                </th>
              ))}
              <th scope="col">No record</th>
              {TIER_ROWS.map(r => (
                <th key={r.key} scope="col">
                  {r.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {weeks.map(w => (
              <tr
                key={w.start}
                data-testid="team-history-week"
                data-start={w.start}
                data-levels={JSON.stringify(w.levels)}
                data-unrecorded={w.unrecorded}
                data-dora={JSON.stringify(w.dora)}
              >
                <th scope="row">{w.start.slice(0, 10)}</th>
                {levelKeys.map(l => (
                  <td key={l}>{w.levels[l] ?? 0}</td>
                ))}
                <td>{w.unrecorded}</td>
                {TIER_ROWS.map(r => (
                  <td key={r.key}>{tierText(w.dora[r.key])}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </Box>
    </>
  );
}

/** One row of coloured cells per DORA tier, one cell per week, aligned under the chart. */
function TierStrip(props: { history: OwnerHistory }) {
  const { weeks } = props.history;
  return (
    <Box mt={2} data-testid="team-history-tiers">
      <Typography variant="subtitle2" gutterBottom>
        Pooled DORA tiers per week
      </Typography>
      {TIER_ROWS.map(r => (
        <Box key={r.key} display="flex" alignItems="center" mb={0.5}>
          <Typography
            variant="caption"
            style={{ width: STRIP_LABEL_WIDTH, flexShrink: 0 }}
          >
            {r.label}
          </Typography>
          <Box display="flex" flexGrow={1} mr={1} style={{ gap: 2 }}>
            {weeks.map(w => {
              const tier = w.dora[r.key];
              return (
                <div
                  key={w.start}
                  data-testid={`team-history-tier-${r.key}`}
                  data-start={w.start}
                  data-tier={tier ?? 'none'}
                  data-partial={w.partial ? 'true' : undefined}
                  title={`${r.label}, week of ${w.start.slice(0, 10)}${
                    w.partial ? ' so far' : ''
                  }: ${tier ? TIER_LABELS[tier] : 'no data'}`}
                  style={{
                    flex: 1,
                    // The current week's few days: shown, but not as a whole week's figure.
                    opacity: w.partial ? 0.45 : 1,
                    height: 14,
                    borderRadius: 2,
                    backgroundColor: tier ? TIER_COLORS[tier] : 'transparent',
                    border: tier ? 'none' : '1px dashed #bdbdbd',
                  }}
                />
              );
            })}
          </Box>
        </Box>
      ))}
      <Box display="flex" mt={0.5} style={{ gap: 12 }}>
        {(['elite', 'high', 'medium', 'low'] as DoraTier[]).map(t => (
          <Box key={t} display="flex" alignItems="center" style={{ gap: 4 }}>
            <span
              style={{
                width: 10,
                height: 10,
                borderRadius: 2,
                backgroundColor: TIER_COLORS[t],
                display: 'inline-block',
              }}
            />
            <Typography variant="caption">{TIER_LABELS[t]}</Typography>
          </Box>
        ))}
        <Typography variant="caption" color="textSecondary">
          dashed: no data that week; faded: this week so far
        </Typography>
      </Box>
    </Box>
  );
}
