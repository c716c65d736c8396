import { InfoCard } from '@backstage/core-components';
import { Box, Typography } from '@material-ui/core';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import CancelIcon from '@material-ui/icons/Cancel';
import TimelineIcon from '@material-ui/icons/Timeline';
import { CalmsPillarScore } from '@devops-maturity/backstage-plugin-common';

const BASIS: Record<CalmsPillarScore['basis'], string> = {
  'signals-and-assessment': 'signals and self-assessment',
  'signals-only': 'signals only',
  'assessment-only': 'self-assessment only',
  none: 'no data',
};

function SignalIcon(props: { source: string; value: number }) {
  if (props.source === 'dora') return <TimelineIcon color="primary" />;
  return props.value >= 1 ? (
    <CheckCircleIcon style={{ color: '#2e7d32' }} />
  ) : (
    <CancelIcon style={{ color: '#c62828' }} />
  );
}

/** One pillar: its score, how it was made, and every signal behind it with its evidence. */
export function PillarEvidence(props: { pillar: CalmsPillarScore }) {
  const { pillar: p } = props;
  return (
    <InfoCard
      variant="fullHeight"
      title={
        <Box display="flex" justifyContent="space-between">
          <span>{p.title}</span>
          <span data-testid={`pillar-score-${p.pillar}`}>{p.score ?? '–'}</span>
        </Box>
      }
      subheader={`From ${BASIS[p.basis]}: signals ${
        p.signalsScore ?? '–'
      }, self-assessment ${p.assessmentScore ?? '–'}`}
    >
      {p.signals.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          No automated signal for this pillar.
        </Typography>
      ) : (
        <Box>
          {p.signals.map(s => (
            <Box key={s.id} display="flex" style={{ gap: 8 }} mb={1}>
              <SignalIcon source={s.source} value={s.value} />
              <Box minWidth={0}>
                <Typography variant="body2">
                  {s.title} ({Math.round(s.value * 100)})
                </Typography>
                <Typography
                  variant="caption"
                  color="textSecondary"
                  style={{ overflowWrap: 'anywhere' }}
                >
                  {s.evidence}
                </Typography>
              </Box>
            </Box>
          ))}
        </Box>
      )}
    </InfoCard>
  );
}
