import { useCallback, useState } from 'react';
import {
  Content,
  Header,
  Page,
  ResponseErrorPanel,
  TabbedLayout,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import { useNavigate } from 'react-router-dom';
import { rootRouteRef } from '../../routes';
import { Box } from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import useAsync from 'react-use/esm/useAsync';
import {
  DoraTier,
  ScorecardSortKey,
} from '@devops-maturity/backstage-plugin-common';
import {
  devopsMaturityApiRef,
  ScorecardQuery,
} from '../../api/DevopsMaturityApi';
import { WindowProfilePickers } from '../shared/Pickers';
import { useCsvDownload } from '../shared/useCsvDownload';
import { Filters, RankingFilters } from './Filters';
import { UnmatchedEvents } from './UnmatchedEvents';
import { GoldenPathHealthView } from './GoldenPathHealthView';
import { RankingSummary } from './RankingSummary';
import { ServicesTable } from './ServicesTable';
import { TeamsTab } from './TeamsTab';

type Distribution = Record<DoraTier | 'none', number>;

function toQuery(
  filters: RankingFilters,
  days: number,
  profile?: string,
): ScorecardQuery {
  return {
    days,
    profile,
    owner: filters.owner ? [filters.owner] : undefined,
    system: filters.system ? [filters.system] : undefined,
    lifecycle: filters.lifecycle ? [filters.lifecycle] : undefined,
    tier: filters.tier ? [filters.tier] : undefined,
    q: filters.q,
  };
}

/** What material-table asks of remote data. */
type MaterialQuery = {
  page: number;
  pageSize: number;
  orderBy?: { field?: unknown };
  orderDirection?: string;
};

/** material-table's remote query, mapped onto the backend's sorting and paging. */
function pageQuery(query: MaterialQuery) {
  const field = query.orderBy?.field as ScorecardSortKey | undefined;
  return {
    limit: query.pageSize,
    offset: query.page * query.pageSize,
    sort: field ?? 'overallTier',
    order: (query.orderDirection || (field ? 'asc' : 'desc')) as 'asc' | 'desc',
  };
}

/**
 * The ranking page for platform teams: every service and every team side by side, sorted,
 * filtered and paged on the server, with the tier distribution and a CSV export.
 */
export function DevOpsMaturityPage() {
  const api = useApi(devopsMaturityApiRef);
  const downloadCsv = useCsvDownload();
  const [days, setDays] = useState(90);
  const [profile, setProfile] = useState<string | undefined>();
  const [filters, setFilters] = useState<RankingFilters>({});
  const [teamDistribution, setTeamDistribution] = useState<Distribution>();
  const [error, setError] = useState<Error>();
  const [rebuilding, setRebuilding] = useState(false);
  const [updating, setUpdating] = useState(false);
  const navigate = useNavigate();
  const rootLink = useRouteRef(rootRouteRef);
  const teams = useAsync(
    () =>
      api.getOwnerScorecards({
        days,
        profile,
        limit: 10000,
        sort: 'name',
        order: 'asc',
      }),
    [api, days, profile],
  );
  const query = toQuery(filters, days, profile);
  const tableKey = JSON.stringify(query);

  const exportCsv = () =>
    downloadCsv(
      () =>
        api.getScorecardsCsv({ ...query, sort: 'overallTier', order: 'desc' }),
      `devops-maturity-services-${days}d.csv`,
    );

  const drillDown = useCallback(
    (ownerRef: string) => {
      setFilters({ owner: ownerRef });
      navigate(rootLink());
    },
    [navigate, rootLink],
  );

  const windowAndProfile = (
    <WindowProfilePickers
      compact
      days={days}
      onDaysChange={setDays}
      profile={profile}
      onProfileChange={setProfile}
    />
  );
  const pickers = (
    <Box display="flex" alignItems="center" mb={2} style={{ gap: 12 }}>
      {windowAndProfile}
    </Box>
  );

  /** material-table's remote data from a ranking call; errors show above the tables. */
  const remoteData =
    <T extends object>(
      fetch: (q: MaterialQuery) => Promise<{
        items: T[];
        totalCount: number;
        distribution: Distribution;
        rebuilding?: true;
        updating?: true;
      }>,
      setDistribution?: (d: Distribution) => void,
    ) =>
    async (q: MaterialQuery) => {
      try {
        const r = await fetch(q);
        setDistribution?.(r.distribution);
        setRebuilding(r.rebuilding === true);
        setUpdating(r.updating === true);
        setError(undefined);
        return { data: r.items, page: q.page, totalCount: r.totalCount };
      } catch (e) {
        setError(e as Error);
        return { data: [] as T[], page: 0, totalCount: 0 };
      }
    };

  const tableOptions = {
    paging: true,
    pageSize: 20,
    pageSizeOptions: [20, 50, 100],
    search: false,
    sorting: true,
    padding: 'dense' as const,
    emptyRowsWhenPaging: false,
  };

  return (
    <Page themeId="tool">
      <Header
        title="DevOps maturity"
        subtitle="DORA, CALMS and maturity scorecards of every service and team"
      />
      <Content>
        {error && <ResponseErrorPanel error={error} />}
        {rebuilding && (
          <Box mb={2}>
            <Alert severity="info" data-testid="rankings-rebuilding">
              The production environments or the incident linking rule changed:
              stored figures are being recomputed under the new rules. Until
              that finishes, this ranking may still follow the old ones.
            </Alert>
          </Box>
        )}
        {updating && !rebuilding && (
          <Box mb={2}>
            <Alert severity="info" data-testid="rankings-updating">
              Many services have new deployments or incidents: their rows are
              being recomputed, and this ranking may lag them by a few seconds.
            </Alert>
          </Box>
        )}
        <TabbedLayout>
          <TabbedLayout.Route path="/" title="Services">
            <>
              <Filters
                value={filters}
                onChange={setFilters}
                teams={teams.value?.items ?? []}
                showEntityFilters
                leading={windowAndProfile}
              />
              <RankingSummary
                days={days}
                profile={profile}
                onTierSelect={tier => setFilters({ ...filters, tier })}
                goldenPathLink={`${rootLink()}/golden-path`}
                unmatchedLink={`${rootLink()}/unmatched`}
              />
              <ServicesTable
                key={`services-${tableKey}`}
                onExportCsv={exportCsv}
                data={remoteData(q =>
                  api.getScorecards({ ...query, ...pageQuery(q) }),
                )}
              />
            </>
          </TabbedLayout.Route>
          <TabbedLayout.Route path="/teams" title="Teams">
            <TeamsTab
              pickers={pickers}
              days={days}
              profile={profile}
              teams={teams.value?.items ?? []}
              teamsLoading={teams.loading}
              teamsError={teams.error}
              distribution={teamDistribution}
              onDrillDown={drillDown}
              tableOptions={tableOptions}
              data={remoteData(
                q => api.getOwnerScorecards({ days, profile, ...pageQuery(q) }),
                setTeamDistribution,
              )}
            />
          </TabbedLayout.Route>
          <TabbedLayout.Route path="/golden-path" title="Golden path">
            <>
              {pickers}
              <GoldenPathHealthView days={days} profile={profile} />
            </>
          </TabbedLayout.Route>
          <TabbedLayout.Route path="/unmatched" title="Unmatched events">
            <UnmatchedEvents />
          </TabbedLayout.Route>
        </TabbedLayout>
      </Content>
    </Page>
  );
}
