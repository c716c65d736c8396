import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  Box,
  Table,
  TableBody,
  TableCell,
  TableRow,
  Typography,
} from '@material-ui/core';
import useAsync from 'react-use/esm/useAsync';
import { devopsMaturityApiRef } from '../../api/DevopsMaturityApi';
import { TierChip } from '../shared/TierChip';
import { LevelChip } from '../shared/LevelChip';
import {
  formatDuration,
  formatFrequency,
  formatPercent,
} from '../shared/format';

/** Where the card links to, when the tabs are mounted elsewhere. @public */
export interface EntityDevOpsMaturityCardProps {
  /** Path of the DORA tab, relative to the entity page (default `dora`). */
  doraTabPath?: string;
  /** Path of the DevOps maturity tab, relative to the entity page (default `maturity`). */
  maturityTabPath?: string;
}

/**
 * A compact summary for the entity overview: the overall DORA tier and the four metric tiers,
 * linking to the DORA tab.
 */
export function EntityDevOpsMaturityCard(props: EntityDevOpsMaturityCardProps) {
  const { doraTabPath = 'dora', maturityTabPath = 'maturity' } = props;
  const { entity } = useEntity();
  const api = useApi(devopsMaturityApiRef);
  const {
    value: m,
    loading,
    error,
  } = useAsync(
    () => api.getEntityDora(stringifyEntityRef(entity)),
    [api, entity],
  );
  // The level is extra: the card still shows DORA if the maturity read fails.
  const maturity = useAsync(
    () => api.getEntityMaturity(stringifyEntityRef(entity)),
    [api, entity],
  );
  const rows =
    m &&
    ([
      [
        'Deployment frequency',
        formatFrequency(m.deploymentFrequency.perDay),
        m.deploymentFrequency.tier,
      ],
      [
        'Lead time for changes',
        formatDuration(m.leadTime.medianSeconds),
        m.leadTime.tier,
      ],
      [
        'Change failure rate',
        formatPercent(m.changeFailureRate.value),
        m.changeFailureRate.tier,
      ],
      [
        'Time to restore',
        formatDuration(m.timeToRestore.medianSeconds),
        m.timeToRestore.tier,
      ],
    ] as const);
  return (
    <InfoCard
      title="DevOps maturity"
      subheader="DORA and maturity level, last 90 days"
      deepLink={{ title: 'View DORA metrics', link: doraTabPath }}
    >
      {loading && <Progress />}
      {error && <ResponseErrorPanel error={error} />}
      {m && rows && (
        <>
          <Box
            display="flex"
            alignItems="center"
            flexWrap="wrap"
            style={{ gap: 8 }}
            mb={1}
          >
            <Typography variant="subtitle1">Overall DORA tier</Typography>
            <TierChip tier={m.overallTier} size="medium" />
            {maturity.value && (
              <Typography variant="subtitle1" style={{ marginLeft: 16 }}>
                Maturity level
              </Typography>
            )}
            {maturity.value && (
              <Link to={maturityTabPath} data-testid="card-level">
                <LevelChip
                  level={maturity.value.level}
                  name={maturity.value.name}
                />
              </Link>
            )}
          </Box>
          <Table size="small">
            <TableBody>
              {rows.map(([label, value, tier]) => (
                <TableRow key={label}>
                  <TableCell>{label}</TableCell>
                  <TableCell>{value}</TableCell>
                  <TableCell align="right">
                    <TierChip tier={tier} />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          {m.overallTier === null && (
            <Typography
              variant="body2"
              color="textSecondary"
              style={{ marginTop: 8 }}
            >
              No delivery data yet.{' '}
              <Link to={doraTabPath}>See how to connect it</Link>.
            </Typography>
          )}
        </>
      )}
    </InfoCard>
  );
}
