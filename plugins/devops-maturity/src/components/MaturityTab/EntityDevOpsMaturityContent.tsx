import { useState } from 'react';
import {
  Content,
  ContentHeader,
  EmptyState,
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { Box, Grid, Typography } from '@material-ui/core';
import useAsync from 'react-use/esm/useAsync';
import { devopsMaturityApiRef } from '../../api/DevopsMaturityApi';
import { WindowProfilePickers } from '../shared/Pickers';
import { LevelLadder } from './LevelLadder';
import { ChecksByPillar } from './ChecksByPillar';
import { NextSteps } from './NextSteps';
import { MaturityHistory } from './MaturityHistory';

/** Where the tab links to, when the CALMS tab is mounted elsewhere. @public */
export interface EntityDevOpsMaturityContentProps {
  /** Path of the CALMS tab, relative to the entity page (default `calms`). */
  calmsTabPath?: string;
}

/**
 * The DevOps maturity tab: the level as a ladder, what to do next, the level's history, and
 * every golden-path check grouped by CALMS pillar with its evidence and how to fix it.
 */
export function EntityDevOpsMaturityContent(
  props: EntityDevOpsMaturityContentProps,
) {
  const { calmsTabPath = '../calms' } = props;
  const { entity } = useEntity();
  const api = useApi(devopsMaturityApiRef);
  const [days, setDays] = useState(90);
  const [profile, setProfile] = useState<string>();
  const entityRef = stringifyEntityRef(entity);
  const { value, loading, error } = useAsync(
    () => api.getEntityMaturity(entityRef, { days, profile }),
    [api, entityRef, days, profile],
  );

  return (
    <Content>
      <ContentHeader
        title="DevOps maturity"
        description="One level from golden-path checks, CALMS and DORA tiers"
      >
        <WindowProfilePickers
          days={days}
          onDaysChange={setDays}
          profile={profile ?? value?.profile}
          onProfileChange={setProfile}
        />
      </ContentHeader>
      {loading && <Progress />}
      {error && <ResponseErrorPanel error={error} />}
      {!loading && !error && !value && (
        <EmptyState missing="data" title="No maturity data" />
      )}
      {value && (
        <Grid container spacing={3}>
          <Grid item xs={12} md={5}>
            <LevelLadder maturity={value} />
          </Grid>
          <Grid item xs={12} md={7}>
            <NextSteps maturity={value} calmsTabPath={calmsTabPath} />
            <Box mt={3}>
              <InfoCard title="CALMS" subheader={basisText(value.calms.basis)}>
                <Box display="flex" flexWrap="wrap" style={{ gap: 24 }}>
                  {value.calms.pillars.map(p => (
                    <Box key={p.pillar} data-testid={`calms-${p.pillar}`}>
                      <Typography variant="h5">{p.score ?? '–'}</Typography>
                      <Typography variant="caption">{p.title}</Typography>
                    </Box>
                  ))}
                </Box>
                <Box mt={1}>
                  <Link to={calmsTabPath}>Evidence and self-assessment</Link>
                </Box>
              </InfoCard>
            </Box>
          </Grid>
          <Grid item xs={12}>
            <MaturityHistory entityRef={entityRef} />
          </Grid>
          <Grid item xs={12}>
            <ChecksByPillar checks={value.checks} />
          </Grid>
        </Grid>
      )}
    </Content>
  );
}

function basisText(basis: 'signals-and-assessment' | 'signals-only') {
  return basis === 'signals-only'
    ? 'Automated signals only: no current self-assessment'
    : 'Automated signals and the team’s self-assessment';
}
