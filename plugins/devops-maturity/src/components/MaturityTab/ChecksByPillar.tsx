import { CodeText } from '../shared/CodeText';
import { InfoCard } from '@backstage/core-components';
import {
  Chip,
  Grid,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Tooltip,
  Typography,
} from '@material-ui/core';
import {
  CALMS_PILLAR_TITLES,
  CALMS_PILLARS,
  CheckResult,
} from '@devops-maturity/backstage-plugin-common';

const STATUS = {
  pass: { label: 'Pass', color: '#2e7d32' },
  fail: { label: 'Fail', color: '#c62828' },
  'not-applicable': { label: 'N/A', color: '#757575' },
} as const;

/** A check's outcome as a coloured word. */
export function CheckStatusChip(props: { status: CheckResult['status'] }) {
  const s = STATUS[props.status];
  return (
    <Chip
      size="small"
      label={s.label}
      style={{ backgroundColor: s.color, color: '#fff', fontWeight: 600 }}
    />
  );
}

/** Every golden-path check, grouped by the CALMS pillar it is evidence for. */
export function ChecksByPillar(props: { checks: CheckResult[] }) {
  return (
    <Grid container spacing={3}>
      {CALMS_PILLARS.map(pillar => {
        const checks = props.checks.filter(c => c.pillar === pillar);
        if (checks.length === 0) return null;
        const passed = checks.filter(c => c.status === 'pass').length;
        const applicable = checks.filter(
          c => c.status !== 'not-applicable',
        ).length;
        return (
          <Grid item xs={12} key={pillar}>
            <InfoCard
              title={`${CALMS_PILLAR_TITLES[pillar]} checks`}
              subheader={`${passed} of ${applicable} passing`}
            >
              <Table size="small" data-testid={`checks-${pillar}`}>
                <TableHead>
                  <TableRow>
                    <TableCell>Check</TableCell>
                    <TableCell>Status</TableCell>
                    <TableCell>Evidence</TableCell>
                    <TableCell>How to fix</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {checks.map(c => (
                    <TableRow key={c.id} data-testid={`check-${c.id}`}>
                      <TableCell style={{ width: '20%' }}>
                        <Tooltip title={c.description}>
                          <Typography variant="body2">{c.title}</Typography>
                        </Tooltip>
                      </TableCell>
                      <TableCell>
                        <CheckStatusChip status={c.status} />
                      </TableCell>
                      <TableCell style={{ width: '35%' }}>
                        <Typography
                          variant="body2"
                          style={{ overflowWrap: 'anywhere' }}
                        >
                          {c.evidence}
                        </Typography>
                      </TableCell>
                      <TableCell style={{ width: '35%' }}>
                        <Typography variant="body2" color="textSecondary">
                          {c.status === 'fail' && (
                            <CodeText text={c.howToFix} />
                          )}
                        </Typography>
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </InfoCard>
          </Grid>
        );
      })}
    </Grid>
  );
}
