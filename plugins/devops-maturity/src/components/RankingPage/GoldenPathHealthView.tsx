import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  Box,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Tooltip,
  Typography,
} from '@material-ui/core';
import useAsync from 'react-use/esm/useAsync';
import {
  GoldenPathHealth,
  GoldenPathHealthRow,
} from '@devops-maturity/backstage-plugin-common';
import { devopsMaturityApiRef } from '../../api/DevopsMaturityApi';
import { LEVEL_COLORS } from '../shared/LevelChip';

/** Red below half, amber to 80%, green above: how far a team is along the paved road. */
function rateColor(rate: number) {
  if (rate >= 0.8) return '#c8e6c9';
  if (rate >= 0.5) return '#fff3c4';
  return '#ffcdd2';
}

/** How many of the row's services sit at each level, as a stacked bar. */
function LevelBar(props: {
  row: GoldenPathHealthRow;
  levels: GoldenPathHealth['levels'];
}) {
  const { row, levels } = props;
  const all = [{ level: 0, name: 'Unrated' }, ...levels];
  return (
    <Box display="flex" height={14} width={160} data-testid="level-bar">
      {all.map(l => {
        const n = row.levels[String(l.level)] ?? 0;
        if (!n) return null;
        return (
          <Tooltip key={l.level} title={`${n} at ${l.level} ${l.name}`}>
            <div
              style={{
                flexGrow: n,
                background: LEVEL_COLORS[l.level] ?? '#2e7d32',
              }}
            />
          </Tooltip>
        );
      })}
    </Box>
  );
}

function HealthRow(props: {
  row: GoldenPathHealthRow;
  health: GoldenPathHealth;
  label: React.ReactNode;
}) {
  const { row, health, label } = props;
  return (
    <TableRow data-testid={`health-${row.ownerRef ?? 'organisation'}`}>
      <TableCell style={{ whiteSpace: 'nowrap' }}>{label}</TableCell>
      <TableCell align="right">{row.entities}</TableCell>
      <TableCell>
        <LevelBar row={row} levels={health.levels} />
      </TableCell>
      {health.checks.map(c => {
        const r = row.checks[c.id];
        if (!r || r.applicable === 0)
          return (
            <TableCell key={c.id} align="center">
              –
            </TableCell>
          );
        const rate = r.passed / r.applicable;
        return (
          <Tooltip
            key={c.id}
            title={`${c.title}: ${r.passed} of ${r.applicable} services pass`}
          >
            <TableCell
              align="center"
              style={{
                background: rateColor(rate),
                minWidth: 48,
                whiteSpace: 'nowrap',
                padding: '6px 4px',
              }}
            >
              {Math.round(rate * 100)}%
            </TableCell>
          </Tooltip>
        );
      })}
    </TableRow>
  );
}

/**
 * Golden-path health: per team (with its sub-teams) and for the organisation, the level mix of
 * its services and the share of them passing each check.
 */
export function GoldenPathHealthView(props: {
  days: number;
  profile?: string;
}) {
  const api = useApi(devopsMaturityApiRef);
  const { value, loading, error } = useAsync(
    () => api.getGoldenPathHealth({ days: props.days, profile: props.profile }),
    [api, props.days, props.profile],
  );
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value) return null;
  return (
    <InfoCard
      title="Golden-path health"
      subheader="Share of each team's services passing each check (teams include their sub-teams)"
    >
      <Box overflow="auto">
        <Table size="small" data-testid="golden-path-health">
          <TableHead>
            <TableRow>
              <TableCell style={{ verticalAlign: 'bottom' }}>Team</TableCell>
              <TableCell
                align="right"
                style={{ verticalAlign: 'bottom', whiteSpace: 'nowrap' }}
              >
                Services
              </TableCell>
              <TableCell style={{ verticalAlign: 'bottom' }}>
                Levels 1-5
              </TableCell>
              {value.checks.map(c => (
                <TableCell
                  key={c.id}
                  align="center"
                  style={{ verticalAlign: 'bottom', padding: '6px 4px' }}
                >
                  {/* vertical titles keep fifteen check columns readable side by side */}
                  <Typography
                    variant="caption"
                    style={{
                      writingMode: 'vertical-rl',
                      transform: 'rotate(180deg)',
                      whiteSpace: 'nowrap',
                    }}
                  >
                    {c.title}
                  </Typography>
                </TableCell>
              ))}
            </TableRow>
          </TableHead>
          <TableBody>
            <HealthRow
              row={value.organisation}
              health={value}
              label={<strong>Organisation</strong>}
            />
            {value.teams.map(t => (
              <HealthRow
                key={t.ownerRef}
                row={t}
                health={value}
                label={
                  <EntityRefLink
                    entityRef={t.ownerRef!}
                    title={t.title}
                    defaultKind="group"
                  />
                }
              />
            ))}
          </TableBody>
        </Table>
      </Box>
    </InfoCard>
  );
}
