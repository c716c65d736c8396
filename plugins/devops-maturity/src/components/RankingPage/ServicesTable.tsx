import { useMemo } from 'react';
import { Table, TableColumn } from '@backstage/core-components';
import { makeStyles } from '@material-ui/core';
import GetAppIcon from '@material-ui/icons/GetApp';
import FormatLineSpacingIcon from '@material-ui/icons/FormatLineSpacing';
import { EntityScorecard } from '@devops-maturity/backstage-plugin-common';
import { serviceColumns } from './columns';
import { useStoredPreference } from '../shared/useStoredPreference';

const useStyles = makeStyles(theme => ({
  // The service column stays in view while the metric columns scroll under it.
  stickyFirstColumn: {
    '& table th:first-child, & table td:first-child': {
      position: 'sticky',
      left: 0,
      zIndex: 2,
      background: theme.palette.background.paper,
      boxShadow: `inset -1px 0 0 ${theme.palette.divider}`,
    },
    '& table thead th:first-child': { zIndex: 3 },
  },
  // material-table's dense padding still leaves 56 px rows under Backstage's theme.
  denseRows: {
    '& table tbody td': { paddingTop: 4, paddingBottom: 4 },
  },
}));

/** The columns with the user's hidden ones marked, for material-table's column chooser. */
export function withHidden<T extends object>(
  columns: TableColumn<T>[],
  hidden: string[],
): TableColumn<T>[] {
  return columns.map(c => ({
    ...c,
    hidden: typeof c.field === 'string' && hidden.includes(c.field),
  }));
}

/**
 * The services ranking: sorted and paged on the server (`data`), with a column chooser and
 * dense rows that each user keeps, and a CSV export of what the filters select.
 */
export function ServicesTable(props: {
  data: (query: any) => Promise<{
    data: EntityScorecard[];
    page: number;
    totalCount: number;
  }>;
  onExportCsv: () => void;
}) {
  const classes = useStyles();
  const [hidden, setHidden] = useStoredPreference<string[]>(
    'ranking.services.hiddenColumns',
    [],
  );
  const [dense, setDense] = useStoredPreference<boolean>(
    'ranking.denseRows',
    true,
  );
  const columns = useMemo(() => withHidden(serviceColumns, hidden), [hidden]);
  return (
    <div
      className={`${classes.stickyFirstColumn} ${
        dense ? classes.denseRows : ''
      }`}
      data-testid="services-ranking"
      data-dense={dense}
    >
      <Table<EntityScorecard>
        title="Services"
        columns={columns}
        options={{
          paging: true,
          pageSize: 20,
          pageSizeOptions: [20, 50, 100],
          search: false,
          sorting: true,
          padding: dense ? 'dense' : 'default',
          emptyRowsWhenPaging: false,
          columnsButton: true,
        }}
        onChangeColumnHidden={(column, isHidden) => {
          const field = String(column.field);
          setHidden(
            isHidden
              ? [...hidden.filter(f => f !== field), field]
              : hidden.filter(f => f !== field),
          );
        }}
        actions={[
          {
            icon: () => (
              <FormatLineSpacingIcon
                data-testid="dense-rows"
                color={dense ? 'primary' : 'inherit'}
              />
            ),
            tooltip: dense ? 'Roomier rows' : 'Dense rows',
            isFreeAction: true,
            onClick: () => setDense(!dense),
          },
          {
            icon: () => <GetAppIcon data-testid="export-csv" />,
            tooltip: 'Export CSV',
            isFreeAction: true,
            onClick: props.onExportCsv,
          },
        ]}
        localization={{
          body: { emptyDataSourceMessage: 'No service matches these filters.' },
          toolbar: {
            showColumnsTitle: 'Choose columns',
            showColumnsAriaLabel: 'Choose columns',
            addRemoveColumns: 'Show or hide columns (remembered for you)',
          },
        }}
        data={props.data}
      />
    </div>
  );
}
