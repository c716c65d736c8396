import { TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { Typography } from '@material-ui/core';
import { UnmatchedEventItem } from '@devops-maturity/backstage-plugin-common';
import { devopsMaturityApiRef } from '../../api/DevopsMaturityApi';
import { PagedTable } from '../shared/PagedTable';

const columns: TableColumn<UnmatchedEventItem>[] = [
  {
    // When it arrived, or when its entity left the catalog.
    title: 'Unmatched since (UTC)',
    field: 'receivedAt',
    render: u =>
      new Date(u.receivedAt).toISOString().slice(0, 16).replace('T', ' '),
  },
  { title: 'Event', field: 'eventType' },
  { title: 'Source', field: 'source' },
  { title: 'Id', field: 'id' },
  {
    title: 'Names',
    field: 'identity',
    render: u =>
      Object.entries(u.identity)
        .map(([k, v]) => `${k}: ${v}`)
        .join(', '),
  },
  { title: 'Why it is unmatched', field: 'reason' },
];

/**
 * Events whose entity the catalog does not have (yet): kept, and stored against the entity as
 * soon as the catalog has it. Usually a missing or mistyped annotation. Also the events of
 * entities that left the catalog, until an entity carries their ref or annotation again.
 */
export function UnmatchedEvents() {
  const api = useApi(devopsMaturityApiRef);
  // How many wait, at a glance: the list is paged.
  const total = useAsync(
    async () => (await api.getUnmatched({ limit: 1, offset: 0 })).totalCount,
    [api],
  );
  return (
    <>
      <Typography variant="body2" color="textSecondary" paragraph>
        Events that name no catalog entity are kept for 30 days (
        <code>devopsMaturity.unmatched.retention</code>) and counted as soon as
        the catalog has their entity (checked when the catalog changes). Most
        come from an entity without the annotation its source uses, e.g.{' '}
        <code>github.com/project-slug</code>. The events of an entity that left
        the catalog (deleted or renamed) are listed too, as{' '}
        <em>no longer in the catalog</em>: they move to the entity that later
        carries its ref or one of its annotations, so a renamed service keeps
        its history.
      </Typography>
      {total.value !== undefined && (
        <Typography variant="subtitle1" paragraph data-testid="unmatched-count">
          {total.value === 1
            ? '1 event waiting'
            : `${total.value.toLocaleString('en-US')} events waiting`}
        </Typography>
      )}
      <PagedTable<UnmatchedEventItem>
        title="Unmatched events"
        columns={columns}
        empty="Every event matched a catalog entity."
        fetchPage={page => api.getUnmatched(page)}
      />
    </>
  );
}
