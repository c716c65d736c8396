import { TableColumn } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { Box, Typography } from '@material-ui/core';
import {
  DoraMetrics,
  DoraTier,
  EntityScorecard,
  OwnerScorecard,
} from '@devops-maturity/backstage-plugin-common';
import { TierChip } from '../shared/TierChip';
import { LevelChip } from '../shared/LevelChip';
import {
  formatDuration,
  formatFrequency,
  formatPercent,
  TIER_COLORS,
  TIER_LABELS,
} from '../shared/format';

/** Cells never break inside a word; a column too narrow makes the table scroll instead. */
const NO_WRAP = { whiteSpace: 'nowrap' } as const;

const VISUALLY_HIDDEN = {
  position: 'absolute',
  width: 1,
  height: 1,
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
} as const;

/**
 * A value with its tier as a coloured dot: a chip per cell made the table twice as wide as the
 * page. The tier's word is in the tooltip and for screen readers; the summary above is the legend.
 */
function valueWithTier(value: string, tier: DoraTier | null) {
  const label = tier ? TIER_LABELS[tier] : 'No data';
  return (
    <Box
      display="flex"
      alignItems="center"
      style={{ gap: 6 }}
      title={label}
      data-tier={tier ?? 'none'}
    >
      <span
        aria-hidden
        style={{
          flex: 'none',
          width: 10,
          height: 10,
          borderRadius: 5,
          background: tier ? TIER_COLORS[tier] : 'transparent',
          border: tier ? 'none' : '1px solid #9e9e9e',
        }}
      />
      <Typography variant="body2" style={NO_WRAP}>
        {value}
        <span style={VISUALLY_HIDDEN}> ({label})</span>
      </Typography>
    </Box>
  );
}

/** The metric columns; each `field` is the backend's sort key, so sorting happens on the server. */
export function metricColumns<T extends DoraMetrics>(): TableColumn<T>[] {
  return [
    {
      title: 'Overall',
      field: 'overallTier',
      cellStyle: NO_WRAP,
      render: r => <TierChip tier={r.overallTier} />,
    },
    {
      title: 'Deployment frequency',
      cellStyle: NO_WRAP,
      field: 'deploymentFrequency',
      render: r =>
        valueWithTier(
          formatFrequency(r.deploymentFrequency.perDay),
          r.deploymentFrequency.tier,
        ),
    },
    {
      title: 'Lead time',
      cellStyle: NO_WRAP,
      field: 'leadTime',
      render: r =>
        valueWithTier(
          formatDuration(r.leadTime.medianSeconds),
          r.leadTime.tier,
        ),
    },
    {
      title: 'Change failure rate',
      cellStyle: NO_WRAP,
      field: 'changeFailureRate',
      render: r =>
        valueWithTier(
          formatPercent(r.changeFailureRate.value),
          r.changeFailureRate.tier,
        ),
    },
    {
      title: 'Time to restore',
      cellStyle: NO_WRAP,
      field: 'timeToRestore',
      render: r =>
        valueWithTier(
          formatDuration(r.timeToRestore.medianSeconds),
          r.timeToRestore.tier,
        ),
    },
    {
      title: 'Rework',
      field: 'reworkRate',
      cellStyle: NO_WRAP,
      render: r => formatPercent(r.reworkRate.value),
    },
  ];
}

export const serviceColumns: TableColumn<EntityScorecard>[] = [
  {
    title: 'Service',
    field: 'name',
    cellStyle: NO_WRAP,
    // The column that names the row stays, and stays in view when the table scrolls.
    removable: false,
    render: r => <EntityRefLink entityRef={r.entityRef} title={r.title} />,
  },
  {
    title: 'Owner',
    cellStyle: NO_WRAP,
    field: 'owner',
    render: r =>
      r.ownerRef ? (
        <EntityRefLink entityRef={r.ownerRef} defaultKind="group" />
      ) : (
        ''
      ),
  },
  {
    title: 'System',
    cellStyle: NO_WRAP,
    field: 'system',
    render: r =>
      r.systemRef ? (
        <EntityRefLink entityRef={r.systemRef} defaultKind="system" />
      ) : (
        ''
      ),
  },
  {
    title: 'Level',
    cellStyle: NO_WRAP,
    field: 'maturityLevel',
    render: r => (
      <LevelChip level={r.maturity?.level} name={r.maturity?.name} />
    ),
  },
  {
    title: 'CALMS',
    cellStyle: NO_WRAP,
    field: 'calms',
    render: r =>
      r.maturity ? (
        <Typography
          variant="body2"
          title={
            r.maturity.basis === 'signals-only'
              ? 'Automated signals only: no current self-assessment'
              : 'Signals and self-assessment'
          }
        >
          {r.maturity.calms ?? '–'}
          {r.maturity.basis === 'signals-only' ? '*' : ''}
        </Typography>
      ) : (
        ''
      ),
  },
  ...metricColumns<EntityScorecard>(),
];

/** A button that looks like a link, for actions inside a cell. */
function LinkButton(props: {
  onClick: () => void;
  testId: string;
  children: React.ReactNode;
}) {
  return (
    <Typography
      variant="body2"
      component="button"
      onClick={props.onClick}
      style={{
        background: 'none',
        border: 0,
        padding: 0,
        color: 'inherit',
        cursor: 'pointer',
        textDecoration: 'underline',
        whiteSpace: 'nowrap',
      }}
      data-testid={props.testId}
    >
      {props.children}
    </Typography>
  );
}

export function teamColumns(
  onDrillDown: (ownerRef: string) => void,
  onShowHistory?: (ownerRef: string) => void,
): TableColumn<OwnerScorecard>[] {
  return [
    {
      title: 'Team',
      field: 'name',
      cellStyle: NO_WRAP,
      render: r => (
        <EntityRefLink
          entityRef={r.ownerRef}
          title={r.title}
          defaultKind="group"
        />
      ),
    },
    {
      title: 'Services',
      sorting: false,
      cellStyle: NO_WRAP,
      render: r => (
        <Box display="flex" style={{ gap: 12 }}>
          <LinkButton
            onClick={() => onDrillDown(r.ownerRef)}
            testId={`drill-${r.ownerRef}`}
          >
            {r.entityRefs.length} services
          </LinkButton>
          {onShowHistory && (
            <LinkButton
              onClick={() => onShowHistory(r.ownerRef)}
              testId={`history-${r.ownerRef}`}
            >
              History
            </LinkButton>
          )}
        </Box>
      ),
    },
    ...metricColumns<OwnerScorecard>(),
  ];
}
