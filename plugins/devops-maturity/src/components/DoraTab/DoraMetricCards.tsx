import { Grid } from '@material-ui/core';
import {
  DoraMetrics,
  DoraProfile,
  DoraTrendPoint,
} from '@devops-maturity/backstage-plugin-common';
import { MetricCard } from './MetricCard';
import { Sparkline } from './Sparkline';
import {
  formatDuration,
  formatFrequency,
  formatPercent,
} from '../shared/format';
import { nextTierHint } from '../shared/thresholds';

const hours = (s: number | null) => (s === null ? null : s / 3600);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Says when lead time rests on part of the changes: some deployments could not tell every
 * commit they brought (no commits sent, history the webhooks never showed).
 */
function coverage(lt: DoraMetrics['leadTime']): string {
  if (!lt.deployments || lt.completeDeployments === lt.deployments) return '';
  return `lead time from ${lt.completeDeployments} of ${plural(
    lt.deployments,
    'deployment',
  )} with all their commits known`;
}

/** The five metrics as cards, each with its tier, what the next tier asks, and its trend. */
export function DoraMetricCards(props: {
  metrics: DoraMetrics;
  points: DoraTrendPoint[];
  profile?: DoraProfile;
}) {
  const { metrics: m, points, profile } = props;
  const df = m.deploymentFrequency;
  const lt = m.leadTime;
  const cfr = m.changeFailureRate;
  const ttr = m.timeToRestore;
  const rw = m.reworkRate;
  return (
    <Grid container spacing={2}>
      <Grid item xs={12} md={6} lg={4}>
        <MetricCard
          title="Deployment frequency"
          value={df.perDay === null ? null : formatFrequency(df.perDay)}
          tier={df.tier}
          details={
            df.perDay === null
              ? undefined
              : `${plural(df.deployments, 'production deployment')} on ${plural(
                  df.deployDays,
                  'day',
                )}; ` +
                `median ${df.medianDeployDaysPerWeek} deploy-days a week`
          }
          next={nextTierHint('deploymentFrequency', df.tier, profile)}
          reason={m.reasons.deploymentFrequency}
          trend={
            <Sparkline
              kind="bar"
              points={points}
              value={p => p.metrics.deploymentFrequency.deployments}
              format={v => plural(v, 'deploy')}
            />
          }
        />
      </Grid>
      <Grid item xs={12} md={6} lg={4}>
        <MetricCard
          title="Lead time for changes"
          value={
            lt.medianSeconds === null ? null : formatDuration(lt.medianSeconds)
          }
          tier={lt.tier}
          details={
            [
              lt.medianSeconds === null
                ? ''
                : `median of ${plural(
                    lt.changes,
                    'change',
                  )}; p90 ${formatDuration(lt.p90Seconds)}`,
              coverage(lt),
            ]
              .filter(Boolean)
              .join(' · ') || undefined
          }
          next={nextTierHint('leadTime', lt.tier, profile)}
          reason={m.reasons.leadTime}
          trend={
            <Sparkline
              points={points}
              value={p => hours(p.metrics.leadTime.medianSeconds)}
              format={v => formatDuration(v * 3600)}
            />
          }
        />
      </Grid>
      <Grid item xs={12} md={6} lg={4}>
        <MetricCard
          title="Change failure rate"
          value={cfr.value === null ? null : formatPercent(cfr.value)}
          tier={cfr.tier}
          details={
            cfr.value === null
              ? undefined
              : `${cfr.failedDeployments} of ${plural(
                  cfr.deployments,
                  'deployment',
                )} failed`
          }
          next={nextTierHint('changeFailureRate', cfr.tier, profile)}
          reason={m.reasons.changeFailureRate}
          trend={
            <Sparkline
              points={points}
              value={p => p.metrics.changeFailureRate.value}
              format={formatPercent}
              color="#c53030"
            />
          }
        />
      </Grid>
      <Grid item xs={12} md={6} lg={4}>
        <MetricCard
          title="Time to restore service"
          value={
            ttr.medianSeconds === null
              ? null
              : formatDuration(ttr.medianSeconds)
          }
          tier={ttr.tier}
          details={
            [
              ttr.medianSeconds === null
                ? ''
                : `median of ${plural(
                    ttr.restoredIncidents,
                    'incident',
                  )}; p90 ${formatDuration(ttr.p90Seconds)}`,
              ttr.openIncidents
                ? `${plural(
                    ttr.openIncidents,
                    'open incident',
                  )}, oldest ${formatDuration(ttr.oldestOpenSeconds)}`
                : '',
            ]
              .filter(Boolean)
              .join(' · ') || undefined
          }
          next={nextTierHint('timeToRestore', ttr.tier, profile)}
          reason={m.reasons.timeToRestore}
          trend={
            <Sparkline
              points={points}
              value={p => hours(p.metrics.timeToRestore.medianSeconds)}
              format={v => formatDuration(v * 3600)}
            />
          }
        />
      </Grid>
      <Grid item xs={12} md={6} lg={4}>
        <MetricCard
          title="Rework rate"
          untiered
          value={rw.value === null ? null : formatPercent(rw.value)}
          details={
            rw.value === null
              ? undefined
              : `${plural(
                  rw.reworkDeployments,
                  'rollback or hotfix',
                )} of ${plural(
                  df.deployments,
                  'deployment',
                )} (DORA 2024; no published tiers)`
          }
          reason={m.reasons.reworkRate}
          trend={
            <Sparkline
              points={points}
              value={p => p.metrics.reworkRate.value}
              format={formatPercent}
              color="#b7791f"
            />
          }
        />
      </Grid>
    </Grid>
  );
}
