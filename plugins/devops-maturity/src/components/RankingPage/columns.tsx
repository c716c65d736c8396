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
} from '../shared/format';

function valueWithTier(value: string, tier: DoraTier | null) {
  return (
    <Box display="flex" alignItems="center" style={{ gap: 6 }}>
      <TierChip tier={tier} />
      <Typography variant="body2" style={{ whiteSpace: 'nowrap' }}>
        {value}
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
      render: r => <TierChip tier={r.overallTier} />,
    },
    {
      title: 'Deployment frequency',
      field: 'deploymentFrequency',
      render: r =>
        valueWithTier(
          formatFrequency(r.deploymentFrequency.perDay),
          r.deploymentFrequency.tier,
        ),
    },
    {
      title: 'Lead time',
      field: 'leadTime',
      render: r =>
        valueWithTier(
          formatDuration(r.leadTime.medianSeconds),
          r.leadTime.tier,
        ),
    },
    {
      title: 'Change failure rate',
      field: 'changeFailureRate',
      render: r =>
        valueWithTier(
          formatPercent(r.changeFailureRate.value),
          r.changeFailureRate.tier,
        ),
    },
    {
      title: 'Time to restore',
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
      render: r => formatPercent(r.reworkRate.value),
    },
  ];
}

export const serviceColumns: TableColumn<EntityScorecard>[] = [
  {
    title: 'Service',
    field: 'name',
    render: r => <EntityRefLink entityRef={r.entityRef} title={r.title} />,
  },
  {
    title: 'Owner',
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
    field: 'maturityLevel',
    render: r => (
      <LevelChip level={r.maturity?.level} name={r.maturity?.name} />
    ),
  },
  {
    title: 'CALMS',
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

export function teamColumns(
  onDrillDown: (ownerRef: string) => void,
): TableColumn<OwnerScorecard>[] {
  return [
    {
      title: 'Team',
      field: 'name',
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
      render: r => (
        <Typography
          variant="body2"
          component="button"
          onClick={() => onDrillDown(r.ownerRef)}
          style={{
            background: 'none',
            border: 0,
            color: 'inherit',
            cursor: 'pointer',
            textDecoration: 'underline',
          }}
          data-testid={`drill-${r.ownerRef}`}
        >
          {r.entityRefs.length} services
        </Typography>
      ),
    },
    ...metricColumns<OwnerScorecard>(),
  ];
}
