import { Chip } from '@material-ui/core';
import { DoraTier } from '@devops-maturity/backstage-plugin-common';
import { TIER_COLORS, TIER_LABELS } from './format';

/** A tier as a colour and a word; "No data" when there is none. */
export function TierChip(props: {
  tier: DoraTier | null | undefined;
  size?: 'small' | 'medium';
}) {
  const { tier, size = 'small' } = props;
  if (!tier) {
    return (
      <Chip
        size={size}
        label="No data"
        variant="outlined"
        data-testid="tier-none"
      />
    );
  }
  return (
    <Chip
      size={size}
      label={TIER_LABELS[tier]}
      data-testid={`tier-${tier}`}
      style={{
        backgroundColor: TIER_COLORS[tier],
        color: '#fff',
        fontWeight: 600,
      }}
    />
  );
}
