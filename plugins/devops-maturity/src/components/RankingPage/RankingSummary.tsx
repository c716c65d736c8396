import { ReactNode } from 'react';
import { Link } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { Box, Grid, Paper, Typography } from '@material-ui/core';
import Skeleton from '@material-ui/lab/Skeleton';
import useAsync from 'react-use/esm/useAsync';
import {
  DoraTier,
  GoldenPathHealthRow,
} from '@devops-maturity/backstage-plugin-common';
import { devopsMaturityApiRef } from '../../api/DevopsMaturityApi';
import { MixBar, MixPart } from '../shared/MixBar';
import { TIER_COLORS, TIER_LABELS } from '../shared/format';
import { LEVEL_COLORS } from '../shared/LevelChip';

const TIER_ORDER: DoraTier[] = ['elite', 'high', 'medium', 'low'];

function Tile(props: { title: string; testId: string; children: ReactNode }) {
  return (
    <Paper
      variant="outlined"
      style={{ padding: '10px 16px', height: '100%' }}
      data-testid={props.testId}
    >
      <Typography variant="overline" color="textSecondary" component="div">
        {props.title}
      </Typography>
      {props.children}
    </Paper>
  );
}

function Loading() {
  return <Skeleton variant="rect" height={36} />;
}

function Failed(props: { error: Error }) {
  return (
    <Typography variant="body2" color="error">
      Could not load: {props.error.message}
    </Typography>
  );
}

/** Checks passed over checks that applied, across every service of the row. */
export function goldenPathPassRate(row: GoldenPathHealthRow) {
  let passed = 0;
  let applicable = 0;
  for (const c of Object.values(row.checks)) {
    passed += c.passed;
    applicable += c.applicable;
  }
  return { passed, applicable };
}

/**
 * "Where are we", in one row above the ranking: every service the reader may see, by overall
 * DORA tier and by maturity level, the golden-path pass rate, and the unmatched events waiting.
 * It ignores the table's filters on purpose: it is the whole picture the filters narrow.
 */
export function RankingSummary(props: {
  days: number;
  profile?: string;
  /** Narrows the ranking to a tier, from a click on the tier legend. */
  onTierSelect: (tier: string) => void;
  goldenPathLink: string;
  unmatchedLink: string;
}) {
  const { days, profile, onTierSelect } = props;
  const api = useApi(devopsMaturityApiRef);
  const services = useAsync(
    () => api.getScorecards({ days, profile, limit: 1 }),
    [api, days, profile],
  );
  const health = useAsync(
    () => api.getGoldenPathHealth({ days, profile }),
    [api, days, profile],
  );
  // Only readers with the unmatched-read permission see the queue; others get no tile.
  const unmatched = useAsync(async () => {
    try {
      return (await api.getUnmatched({ limit: 1, offset: 0 })).totalCount;
    } catch (e) {
      if (e instanceof ResponseError && e.statusCode === 403) return null;
      throw e;
    }
  }, [api]);

  const tierParts: MixPart[] | undefined = services.value && [
    ...TIER_ORDER.map(t => ({
      key: t,
      label: TIER_LABELS[t],
      count: services.value!.distribution[t] ?? 0,
      color: TIER_COLORS[t],
    })),
    {
      key: 'none',
      label: 'No data',
      count: services.value.distribution.none ?? 0,
      color: '#9e9e9e',
    },
  ];
  const levelParts: MixPart[] | undefined = health.value && [
    ...health.value.levels.map(l => ({
      key: String(l.level),
      label: `${l.level} ${l.name}`,
      count: health.value!.organisation.levels[String(l.level)] ?? 0,
      color: LEVEL_COLORS[l.level] ?? '#2e7d32',
    })),
    {
      key: '0',
      label: 'Unrated',
      count: health.value.organisation.levels['0'] ?? 0,
      color: LEVEL_COLORS[0],
    },
  ];
  const rate = health.value && goldenPathPassRate(health.value.organisation);
  const showUnmatched = unmatched.loading || unmatched.value !== null;
  const width = showUnmatched ? 3 : 4;

  return (
    <Box mb={2}>
      <Grid container spacing={2} alignItems="stretch">
        <Grid item xs={12} sm={6} md={width}>
          <Tile
            testId="summary-tiers"
            title={
              services.value
                ? `${services.value.totalCount} ${
                    services.value.totalCount === 1 ? 'service' : 'services'
                  } by overall DORA tier`
                : 'Services by overall DORA tier'
            }
          >
            {services.loading && <Loading />}
            {services.error && <Failed error={services.error} />}
            {tierParts && (
              <MixBar
                parts={tierParts}
                onSelect={onTierSelect}
                testId="summary-tier"
              />
            )}
          </Tile>
        </Grid>
        <Grid item xs={12} sm={6} md={width}>
          <Tile testId="summary-levels" title="Services by maturity level">
            {health.loading && <Loading />}
            {health.error && <Failed error={health.error} />}
            {levelParts && <MixBar parts={levelParts} testId="summary-level" />}
          </Tile>
        </Grid>
        <Grid item xs={12} sm={6} md={width}>
          <Tile testId="summary-golden-path" title="Golden-path checks passed">
            {health.loading && <Loading />}
            {health.error && <Failed error={health.error} />}
            {rate && (
              <Box display="flex" alignItems="baseline" style={{ gap: 8 }}>
                <Typography variant="h5" component="span">
                  {rate.applicable
                    ? `${Math.round((rate.passed / rate.applicable) * 100)}%`
                    : '–'}
                </Typography>
                <Typography variant="caption" color="textSecondary">
                  {rate.passed} of {rate.applicable} checks that apply.{' '}
                  <Link to={props.goldenPathLink}>See the gaps</Link>
                </Typography>
              </Box>
            )}
          </Tile>
        </Grid>
        {showUnmatched && (
          <Grid item xs={12} sm={6} md={width}>
            <Tile testId="summary-unmatched" title="Unmatched events waiting">
              {unmatched.loading && <Loading />}
              {unmatched.error && <Failed error={unmatched.error} />}
              {typeof unmatched.value === 'number' && (
                <Box display="flex" alignItems="baseline" style={{ gap: 8 }}>
                  <Typography variant="h5" component="span">
                    {unmatched.value.toLocaleString('en-US')}
                  </Typography>
                  <Typography variant="caption" color="textSecondary">
                    {unmatched.value === 0 ? (
                      'every event matched a service'
                    ) : (
                      <>
                        events name no catalog entity.{' '}
                        <Link to={props.unmatchedLink}>Why</Link>
                      </>
                    )}
                  </Typography>
                </Box>
              )}
            </Tile>
          </Grid>
        )}
      </Grid>
    </Box>
  );
}
