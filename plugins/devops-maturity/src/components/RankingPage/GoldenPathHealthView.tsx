import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  Box,
  ButtonBase,
  makeStyles,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Tooltip,
  Typography,
} from '@material-ui/core';
import useAsync from 'react-use/esm/useAsync';
import Alert from '@material-ui/lab/Alert';
import {
  GoldenPathHealth,
  GoldenPathHealthRow,
} from '@devops-maturity/backstage-plugin-common';
import { devopsMaturityApiRef } from '../../api/DevopsMaturityApi';
import { LEVEL_COLORS } from '../shared/LevelChip';
import {
  FailingSelection,
  GoldenPathFailingDialog,
} from './GoldenPathFailingDialog';

const useStyles = makeStyles(theme => ({
  // Both ways inside the card, so the last check columns and the horizontal scrollbar are
  // always on screen; the header row and the team column stay put.
  scroll: {
    overflow: 'auto',
    maxWidth: '100%',
    maxHeight: 'calc(100vh - 260px)',
    minHeight: 320,
  },
  team: {
    position: 'sticky',
    left: 0,
    zIndex: 1,
    background: theme.palette.background.paper,
    whiteSpace: 'nowrap',
    maxWidth: 240,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    boxShadow: `inset -1px 0 0 ${theme.palette.divider}`,
  },
  head: {
    verticalAlign: 'bottom',
    background: theme.palette.background.paper,
  },
  // The corner: above both the sticky header row and the sticky column.
  corner: { left: 0, zIndex: 3 },
  cell: {
    minWidth: 48,
    whiteSpace: 'nowrap',
    padding: '6px 4px',
    cursor: 'pointer',
    '&:hover, &:focus-visible': {
      outline: `2px solid ${theme.palette.primary.main}`,
      outlineOffset: -2,
    },
  },
  checkTitle: {
    padding: '4px 2px',
    borderRadius: 4,
    '&:hover, &:focus-visible': { background: theme.palette.action.hover },
  },
}));

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
  onSelect: (selection: FailingSelection) => void;
}) {
  const { row, health, label, onSelect } = props;
  const classes = useStyles();
  const team = row.ownerRef ?? 'organisation';
  return (
    <TableRow data-testid={`health-${team}`}>
      <TableCell className={classes.team}>{label}</TableCell>
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
        const select = () =>
          onSelect({
            check: { id: c.id, title: c.title },
            owner: row.ownerRef
              ? { ownerRef: row.ownerRef, title: row.title }
              : undefined,
          });
        return (
          <Tooltip
            key={c.id}
            title={`${c.title}: ${r.passed} of ${r.applicable} services pass. Click for those that fail.`}
          >
            <TableCell
              align="center"
              role="button"
              tabIndex={0}
              data-testid={`cell-${team}-${c.id}`}
              aria-label={`${c.title}, ${
                row.title ?? row.ownerRef ?? 'organisation'
              }: ${r.passed} of ${
                r.applicable
              } pass; list the services that fail`}
              className={classes.cell}
              style={{ background: rateColor(rate) }}
              onClick={select}
              onKeyDown={e => {
                if (e.key === 'Enter' || e.key === ' ') {
                  e.preventDefault();
                  select();
                }
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
  const classes = useStyles();
  const [selection, setSelection] = useState<FailingSelection>();
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
      subheader="Share of each team's services passing each check (teams include their sub-teams). Click a cell for the services that fail, a check's title for every service that fails it."
    >
      {value.updating && (
        <Box mb={2}>
          <Alert severity="info" data-testid="golden-path-updating">
            Many services have new deployments or incidents: their levels and
            checks are being recomputed, and this matrix may lag them by a few
            seconds.
          </Alert>
        </Box>
      )}
      <Box className={classes.scroll} data-testid="golden-path-scroll">
        <Table size="small" stickyHeader data-testid="golden-path-health">
          <TableHead>
            <TableRow>
              <TableCell
                className={`${classes.head} ${classes.team} ${classes.corner}`}
              >
                Team
              </TableCell>
              <TableCell
                align="right"
                className={classes.head}
                style={{ whiteSpace: 'nowrap' }}
              >
                Services
              </TableCell>
              <TableCell
                className={classes.head}
                style={{ whiteSpace: 'nowrap' }}
              >
                Levels 1-5
              </TableCell>
              {value.checks.map(c => (
                <TableCell
                  key={c.id}
                  align="center"
                  className={classes.head}
                  style={{ padding: '6px 2px' }}
                >
                  <Tooltip title={`Every service failing ${c.title}`}>
                    <ButtonBase
                      className={classes.checkTitle}
                      data-testid={`check-header-${c.id}`}
                      aria-label={`${c.title}: every service failing it`}
                      onClick={() =>
                        setSelection({ check: { id: c.id, title: c.title } })
                      }
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
                    </ButtonBase>
                  </Tooltip>
                </TableCell>
              ))}
            </TableRow>
          </TableHead>
          <TableBody>
            <HealthRow
              row={value.organisation}
              health={value}
              label={<strong>Organisation</strong>}
              onSelect={setSelection}
            />
            {value.teams.map(t => (
              <HealthRow
                key={t.ownerRef}
                row={t}
                health={value}
                onSelect={setSelection}
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
      <GoldenPathFailingDialog
        selection={selection}
        days={props.days}
        profile={props.profile}
        levels={value.levels}
        onClose={() => setSelection(undefined)}
      />
    </InfoCard>
  );
}
