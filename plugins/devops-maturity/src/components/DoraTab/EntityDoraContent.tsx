import { useState } from 'react';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { Box, Grid, Typography } from '@material-ui/core';
import { ToggleButton, ToggleButtonGroup } from '@material-ui/lab';
import useAsync from 'react-use/esm/useAsync';
import { devopsMaturityApiRef } from '../../api/DevopsMaturityApi';
import { useProfiles, WindowProfilePickers } from '../shared/Pickers';
import { TierChip } from '../shared/TierChip';
import { DoraMetricCards } from './DoraMetricCards';
import { DeploymentsTable, IncidentsTable } from './EventTables';

/** The DORA tab of an entity page: the five metrics, their trends, and the events behind them. */
export function EntityDoraContent() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const api = useApi(devopsMaturityApiRef);
  const [days, setDays] = useState(90);
  const [profile, setProfile] = useState<string | undefined>();
  const [interval, setInterval] = useState<'week' | 'month'>('week');
  const profiles = useProfiles();
  const { value, loading, error } = useAsync(async () => {
    const [metrics, trend] = await Promise.all([
      api.getEntityDora(entityRef, { days, profile }),
      api.getEntityTrend(entityRef, { days, profile, interval }),
    ]);
    return { metrics, trend };
  }, [api, entityRef, days, profile, interval]);

  const activeProfile = profiles.value?.profiles.find(
    p => p.id === (value?.metrics.profile ?? profile),
  );
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <Box
          display="flex"
          alignItems="center"
          flexWrap="wrap"
          style={{ gap: 16 }}
        >
          <WindowProfilePickers
            days={days}
            onDaysChange={setDays}
            profile={profile}
            onProfileChange={setProfile}
          />
          <ToggleButtonGroup
            size="small"
            exclusive
            value={interval}
            onChange={(_, v) => v && setInterval(v)}
          >
            <ToggleButton value="week">Weekly</ToggleButton>
            <ToggleButton value="month">Monthly</ToggleButton>
          </ToggleButtonGroup>
          {value && (
            <Box
              display="flex"
              alignItems="center"
              style={{ gap: 8 }}
              data-testid="overall-tier"
            >
              <Typography variant="subtitle1">Overall DORA tier</Typography>
              <TierChip tier={value.metrics.overallTier} size="medium" />
              <Typography variant="caption" color="textSecondary">
                median of the four metric tiers,{' '}
                {value.metrics.window.from.slice(0, 10)} to{' '}
                {value.metrics.window.to.slice(0, 10)}
              </Typography>
            </Box>
          )}
        </Box>
      </Grid>
      <Grid item xs={12}>
        {loading && <Progress />}
        {error && <ResponseErrorPanel error={error} />}
        {value && (
          <DoraMetricCards
            metrics={value.metrics}
            points={value.trend.points}
            profile={activeProfile}
          />
        )}
      </Grid>
      <Grid item xs={12}>
        <DeploymentsTable entityRef={entityRef} />
      </Grid>
      <Grid item xs={12}>
        <IncidentsTable entityRef={entityRef} />
      </Grid>
    </Grid>
  );
}
