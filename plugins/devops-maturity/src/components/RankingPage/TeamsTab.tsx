import { ReactNode, useMemo, useRef, useState } from 'react';
import { Table } from '@backstage/core-components';
import { Box, Paper, Typography } from '@material-ui/core';
import {
  DoraTier,
  OwnerScorecard,
} from '@devops-maturity/backstage-plugin-common';
import { teamColumns } from './columns';
import { TeamHistory } from './TeamHistory';
import { MixBar } from '../shared/MixBar';
import { TIER_COLORS, TIER_LABELS } from '../shared/format';

type Distribution = Record<DoraTier | 'none', number>;

const TIERS: DoraTier[] = ['elite', 'high', 'medium', 'low'];

/**
 * The Teams tab: teams ranked on figures pooled over their and their sub-teams' services, the
 * mix of their overall tiers, and one team's history; a row's "History" shows that team's.
 */
export function TeamsTab(props: {
  pickers: ReactNode;
  days: number;
  profile?: string;
  teams: OwnerScorecard[];
  teamsLoading?: boolean;
  teamsError?: Error;
  distribution?: Distribution;
  data: (query: any) => Promise<{
    data: OwnerScorecard[];
    page: number;
    totalCount: number;
  }>;
  onDrillDown: (ownerRef: string) => void;
  tableOptions: object;
}) {
  const { distribution } = props;
  const [selected, setSelected] = useState<string>();
  const historyRef = useRef<HTMLDivElement>(null);
  const { onDrillDown } = props;
  const columns = useMemo(
    () =>
      teamColumns(onDrillDown, ownerRef => {
        setSelected(ownerRef);
        historyRef.current?.scrollIntoView({
          behavior: 'smooth',
          block: 'start',
        });
      }),
    [onDrillDown],
  );
  return (
    <>
      {props.pickers}
      <Box mb={2} maxWidth={560}>
        <Paper
          variant="outlined"
          style={{ padding: '10px 16px' }}
          data-testid="tier-distribution"
        >
          <Typography variant="overline" color="textSecondary" component="div">
            Teams by overall DORA tier, on figures pooled over every service
            they and their sub-teams own
          </Typography>
          {distribution && (
            <MixBar
              testId="teams-tier"
              parts={[
                ...TIERS.map(t => ({
                  key: t,
                  label: TIER_LABELS[t],
                  count: distribution[t] ?? 0,
                  color: TIER_COLORS[t],
                })),
                {
                  key: 'none',
                  label: 'No data',
                  count: distribution.none ?? 0,
                  color: '#9e9e9e',
                },
              ]}
            />
          )}
        </Paper>
      </Box>
      <Table<OwnerScorecard>
        key={`teams-${props.days}-${props.profile}`}
        title="Teams"
        columns={columns}
        options={props.tableOptions}
        data={props.data}
      />
      <Box mt={3} {...({ ref: historyRef } as any)}>
        <TeamHistory
          teams={props.teams}
          days={props.days}
          profile={props.profile}
          selected={selected}
          onSelect={setSelected}
          teamsLoading={props.teamsLoading}
          teamsError={props.teamsError}
        />
      </Box>
    </>
  );
}
