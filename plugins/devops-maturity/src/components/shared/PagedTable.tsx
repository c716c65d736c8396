import { Table, TableColumn } from '@backstage/core-components';
import { Page } from '@devops-maturity/backstage-plugin-common';

/** A table paged on the server: `fetchPage` answers one page of the backend's list. */
export function PagedTable<T extends object>(props: {
  title: string;
  columns: TableColumn<T>[];
  empty: string;
  fetchPage: (page: { limit: number; offset: number }) => Promise<Page<T>>;
}) {
  return (
    <Table<T>
      title={props.title}
      columns={props.columns}
      options={{
        paging: true,
        pageSize: 10,
        search: false,
        sorting: false,
        padding: 'dense',
        emptyRowsWhenPaging: false,
      }}
      localization={{ body: { emptyDataSourceMessage: props.empty } }}
      data={async query => {
        const page = await props.fetchPage({
          limit: query.pageSize,
          offset: query.page * query.pageSize,
        });
        return {
          data: page.items,
          page: query.page,
          totalCount: page.totalCount,
        };
      }}
    />
  );
}
