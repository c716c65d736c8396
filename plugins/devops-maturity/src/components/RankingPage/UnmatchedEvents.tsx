import { TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { Typography } from '@material-ui/core';
import { UnmatchedEventItem } from '@devops-maturity/backstage-plugin-common';
import { devopsMaturityApiRef } from '../../api/DevopsMaturityApi';
import { PagedTable } from '../shared/PagedTable';

const columns: TableColumn<UnmatchedEventItem>[] = [
  {
    title: 'Received (UTC)',
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
 * soon as the catalog has it. Usually a missing or mistyped annotation.
 */
export function UnmatchedEvents() {
  const api = useApi(devopsMaturityApiRef);
  return (
    <>
      <Typography variant="body2" color="textSecondary" paragraph>
        Events that name no catalog entity are kept, never dropped, and counted
        as soon as the catalog has their entity (checked after every catalog
        refresh). Most come from an entity without the annotation its source
        uses, e.g. <code>github.com/project-slug</code>.
      </Typography>
      <PagedTable<UnmatchedEventItem>
        title="Unmatched events"
        columns={columns}
        empty="Every event matched a catalog entity."
        fetchPage={page => api.getUnmatched(page)}
      />
    </>
  );
}
