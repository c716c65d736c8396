import { ReactNode } from 'react';
import { InfoCard } from '@backstage/core-components';
import { Box, Typography } from '@material-ui/core';
import { DoraTier } from '@devops-maturity/backstage-plugin-common';
import { TierChip } from '../shared/TierChip';
import { setupHint } from '../shared/hints';

/** One DORA metric: its value in human units, its tier, what the next tier asks, and a trend. */
export function MetricCard(props: {
  title: string;
  value: string | null;
  tier?: DoraTier | null;
  /** Metrics without published tiers (rework rate) show none. */
  untiered?: boolean;
  details?: ReactNode;
  next?: string;
  reason?: string;
  trend?: ReactNode;
}) {
  const { title, value, tier, untiered, details, next, reason, trend } = props;
  const hint = setupHint(reason);
  return (
    <InfoCard
      title={title}
      titleTypographyProps={{ variant: 'h6' }}
      noPadding={false}
    >
      <Box
        data-testid={`metric-${title}`}
        minHeight={190}
        display="flex"
        flexDirection="column"
      >
        <Box
          display="flex"
          alignItems="center"
          justifyContent="space-between"
          mb={1}
        >
          <Typography variant="h4" component="div" data-testid="metric-value">
            {value ?? 'No data'}
          </Typography>
          {!untiered && value !== null && (
            <TierChip tier={tier} size="medium" />
          )}
        </Box>
        {details && (
          <Typography variant="body2" color="textSecondary">
            {details}
          </Typography>
        )}
        {reason && (
          <Box mt={1}>
            <Typography variant="body2">{capitalize(reason)}.</Typography>
            {hint && (
              <Typography variant="body2" color="textSecondary">
                {hint}
              </Typography>
            )}
          </Box>
        )}
        {next && (
          <Typography
            variant="caption"
            color="textSecondary"
            style={{ marginTop: 8 }}
          >
            {next}
          </Typography>
        )}
        <Box mt="auto" pt={1}>
          {trend}
        </Box>
      </Box>
    </InfoCard>
  );
}

function capitalize(s: string) {
  return s.charAt(0).toLocaleUpperCase('en-US') + s.slice(1);
}
