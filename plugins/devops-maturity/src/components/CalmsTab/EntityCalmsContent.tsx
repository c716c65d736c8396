import { useState } from 'react';
import {
  Content,
  ContentHeader,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import { Box, Grid, Typography } from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import useAsync from 'react-use/esm/useAsync';
import {
  CalmsAnswers,
  devopsMaturityAssessmentAdminPermission,
  devopsMaturityAssessmentSubmitPermission,
  EntityAssessment,
} from '@devops-maturity/backstage-plugin-common';
import { devopsMaturityApiRef } from '../../api/DevopsMaturityApi';
import { CalmsRadar } from './CalmsRadar';
import { PillarEvidence } from './PillarEvidence';
import { AssessmentForm } from './AssessmentForm';
import { AssessmentHistory } from './AssessmentHistory';

function assessmentNotice(a: EntityAssessment) {
  if (!a.current)
    return {
      severity: 'warning' as const,
      text: 'No self-assessment yet: the scores are from automated signals only.',
    };
  const when = `${a.current.submittedAt.slice(0, 10)} by ${a.current.author}`;
  if (a.stale)
    return {
      severity: 'warning' as const,
      text: `The last self-assessment (${when}) is older than ${a.staleAfterDays} days and no longer counts: the scores are from automated signals only.`,
    };
  return {
    severity: 'success' as const,
    text: `Self-assessment of ${when} counts; it goes stale after ${a.staleAfterDays} days.`,
  };
}

/**
 * The CALMS tab: the five pillar scores on a radar, the evidence behind each, and the team's
 * self-assessment (a form for the owning team, read-only for others) with its history.
 */
export function EntityCalmsContent() {
  const { entity } = useEntity();
  const api = useApi(devopsMaturityApiRef);
  const alertApi = useApi(alertApiRef);
  const entityRef = stringifyEntityRef(entity);
  const [version, setVersion] = useState(0);
  const [submitting, setSubmitting] = useState(false);
  const owner = usePermission({
    permission: devopsMaturityAssessmentSubmitPermission,
    resourceRef: entityRef,
  });
  const admin = usePermission({
    permission: devopsMaturityAssessmentAdminPermission,
  });
  const data = useAsync(async () => {
    const [maturity, assessment] = await Promise.all([
      api.getEntityMaturity(entityRef),
      api.getEntityAssessment(entityRef),
    ]);
    return { maturity, assessment };
  }, [api, entityRef, version]);

  const submit = async (answers: CalmsAnswers) => {
    setSubmitting(true);
    try {
      await api.submitEntityAssessment(entityRef, answers);
      alertApi.post({
        message: 'Assessment submitted: the CALMS scores now include it.',
        severity: 'success',
        display: 'transient',
      });
      setVersion(v => v + 1);
    } catch (e) {
      alertApi.post({
        message: `The assessment was not saved: ${(e as Error).message}`,
        severity: 'error',
      });
    } finally {
      setSubmitting(false);
    }
  };

  const value = data.value;
  const notice = value && assessmentNotice(value.assessment);
  return (
    <Content>
      <ContentHeader
        title="CALMS"
        description="Culture, Automation, Lean, Measurement, Sharing: automated signals and the team’s self-assessment"
      />
      {data.loading && !value && <Progress />}
      {data.error && <ResponseErrorPanel error={data.error} />}
      {value && notice && (
        <Grid container spacing={3}>
          <Grid item xs={12}>
            <Alert severity={notice.severity} data-testid="calms-basis">
              {notice.text}
            </Alert>
          </Grid>
          <Grid item xs={12} md={5}>
            <InfoCard
              title={`CALMS ${value.maturity.calms.overall ?? '–'} / 100`}
              subheader="Each pillar 0-100; the dashed lines are its two sources"
            >
              <CalmsRadar calms={value.maturity.calms} />
            </InfoCard>
          </Grid>
          <Grid item xs={12} md={7}>
            <AssessmentHistory assessment={value.assessment} />
            <Box mt={2}>
              <Typography variant="body2" color="textSecondary">
                A pillar’s score weighs its automated signals (golden-path
                checks and DORA tiers) against the team’s self-assessment while
                it is current; without one, the signals alone.
              </Typography>
            </Box>
          </Grid>
          {value.maturity.calms.pillars.map(p => (
            <Grid item xs={12} md={6} lg={4} key={p.pillar}>
              <PillarEvidence pillar={p} />
            </Grid>
          ))}
          <Grid item xs={12}>
            {owner.loading || admin.loading ? (
              <Progress />
            ) : (
              <AssessmentForm
                // a new assessment resets the form to the stored answers
                key={value.assessment.current?.submittedAt ?? 'none'}
                assessment={value.assessment}
                canSubmit={owner.allowed || admin.allowed}
                submitting={submitting}
                onSubmit={submit}
              />
            )}
          </Grid>
        </Grid>
      )}
    </Content>
  );
}
