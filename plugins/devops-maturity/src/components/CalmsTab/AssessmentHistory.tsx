import { InfoCard } from '@backstage/core-components';
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  CALMS_PILLAR_TITLES,
  CALMS_PILLARS,
  EntityAssessment,
  scoreAssessment,
} from '@devops-maturity/backstage-plugin-common';

/** Every past assessment, newest first, with its pillar scores. */
export function AssessmentHistory(props: { assessment: EntityAssessment }) {
  const { history } = props.assessment;
  return (
    <InfoCard
      title="Assessment history"
      subheader="Newest first; pillar scores C A L M S from the answers alone"
    >
      {history.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          No assessment yet.
        </Typography>
      ) : (
        <Table size="small" data-testid="assessment-history">
          <TableHead>
            <TableRow>
              <TableCell>Submitted</TableCell>
              <TableCell>By</TableCell>
              {CALMS_PILLARS.map(p => (
                <TableCell key={p} align="right" title={CALMS_PILLAR_TITLES[p]}>
                  {CALMS_PILLAR_TITLES[p][0]}
                </TableCell>
              ))}
            </TableRow>
          </TableHead>
          <TableBody>
            {history.map(a => {
              const scores = scoreAssessment(a.answers);
              return (
                <TableRow key={`${a.submittedAt}-${a.author}`}>
                  <TableCell style={{ whiteSpace: 'nowrap' }}>
                    {a.submittedAt.slice(0, 10)}
                  </TableCell>
                  <TableCell>
                    <EntityRefLink entityRef={a.author} defaultKind="user" />
                  </TableCell>
                  {CALMS_PILLARS.map(p => (
                    <TableCell key={p} align="right">
                      {scores[p]}
                    </TableCell>
                  ))}
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      )}
    </InfoCard>
  );
}
