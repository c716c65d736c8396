import { Link, TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { Chip, Tooltip } from '@material-ui/core';
import {
  DeploymentListItem,
  IncidentListItem,
} from '@devops-maturity/backstage-plugin-common';
import { devopsMaturityApiRef } from '../../api/DevopsMaturityApi';
import { PagedTable } from '../shared/PagedTable';
import { formatDuration } from '../shared/format';

const when = (iso?: string) =>
  iso ? new Date(iso).toISOString().slice(0, 16).replace('T', ' ') : '';

const deploymentColumns: TableColumn<DeploymentListItem>[] = [
  {
    title: 'Finished (UTC)',
    field: 'finishedAt',
    render: d => when(d.finishedAt),
  },
  {
    title: 'Deployment',
    field: 'id',
    render: d =>
      d.url ? <Link to={d.url}>{d.version ?? d.id}</Link> : d.version ?? d.id,
  },
  { title: 'Environment', field: 'environment' },
  {
    title: 'Result',
    field: 'status',
    render: d => {
      if (d.status === 'failure')
        return <Chip size="small" label="Pipeline failed" variant="outlined" />;
      if (d.failed) {
        const why = d.causedIncidents.length
          ? `Caused ${d.causedIncidents.map(i => i.id).join(', ')}`
          : 'Rolled back or hotfixed';
        return (
          <Tooltip title={why}>
            <Chip
              size="small"
              label="Failed change"
              style={{ backgroundColor: '#c53030', color: '#fff' }}
            />
          </Tooltip>
        );
      }
      return d.counts ? 'Deployed' : 'Not production';
    },
  },
  {
    title: 'Kind',
    field: 'kind',
    render: d => {
      if (d.kind !== 'normal') return d.kind;
      return d.fixes ? `fixes ${d.fixes}` : '';
    },
  },
  {
    title: 'Commits',
    field: 'commits',
    // A deployment that could not tell every change it brought is partial lead-time coverage.
    render: d => {
      if (d.commitsComplete !== false) return d.commits.length;
      return d.commits.length
        ? `${d.commits.length}+ (not all known)`
        : 'unknown';
    },
  },
  { title: 'Source', field: 'source' },
];

const incidentColumns: TableColumn<IncidentListItem>[] = [
  {
    title: 'Status',
    field: 'resolvedAt',
    render: i =>
      i.resolvedAt ? (
        'Resolved'
      ) : (
        <Chip
          size="small"
          label="Open"
          style={{ backgroundColor: '#c53030', color: '#fff' }}
        />
      ),
  },
  { title: 'Opened (UTC)', field: 'openedAt', render: i => when(i.openedAt) },
  {
    title: 'Time to restore',
    field: 'restoreSeconds',
    render: i =>
      i.restoreSeconds === null ? '' : formatDuration(i.restoreSeconds),
  },
  {
    title: 'Incident',
    field: 'title',
    render: i =>
      i.url ? <Link to={i.url}>{i.title ?? i.id}</Link> : i.title ?? i.id,
  },
  { title: 'Severity', field: 'severity' },
  {
    title: 'Caused by',
    field: 'causeDeployment',
    render: i => i.causeDeployment?.id ?? '',
  },
  {
    title: 'Postmortem',
    field: 'postmortemUrl',
    render: i =>
      i.postmortemUrl ? <Link to={i.postmortemUrl}>postmortem</Link> : '',
  },
];

/** The deployments behind the numbers, paged on the server, newest first. */
export function DeploymentsTable(props: { entityRef: string }) {
  const api = useApi(devopsMaturityApiRef);
  return (
    <PagedTable<DeploymentListItem>
      title="Deployments"
      columns={deploymentColumns}
      empty="No deployments reported for this entity yet."
      fetchPage={page => api.getEntityDeployments(props.entityRef, page)}
    />
  );
}

/** The incidents behind the numbers: open ones first. */
export function IncidentsTable(props: { entityRef: string }) {
  const api = useApi(devopsMaturityApiRef);
  return (
    <PagedTable<IncidentListItem>
      title="Incidents"
      columns={incidentColumns}
      empty="No incidents reported: connect PagerDuty, or POST incidents to /api/devops-maturity/incidents."
      fetchPage={page => api.getEntityIncidents(props.entityRef, page)}
    />
  );
}
