import { CodeText } from '../shared/CodeText';
import { InfoCard, Link } from '@backstage/core-components';
import { Box, Typography } from '@material-ui/core';
import { EntityMaturity } from '@devops-maturity/backstage-plugin-common';

/** The failing criteria of the next level, in the order the backend ranks them. */
export function NextSteps(props: {
  maturity: EntityMaturity;
  calmsTabPath: string;
}) {
  const { maturity, calmsTabPath } = props;
  const next = maturity.levels.find(l => l.level === maturity.level + 1);
  if (!next) {
    return (
      <InfoCard title="Next steps">
        <Typography data-testid="next-steps-top">
          The top level is reached. Keep every check passing and the
          self-assessment current.
        </Typography>
      </InfoCard>
    );
  }
  return (
    <InfoCard
      title={`Next steps to level ${next.level}: ${next.name}`}
      subheader="Most impact for the effort first"
    >
      <ol data-testid="next-steps" style={{ margin: 0, paddingLeft: 20 }}>
        {maturity.nextSteps.map(step => (
          <li key={step.label} style={{ marginBottom: 12 }}>
            <Typography variant="subtitle2">{step.label}</Typography>
            <Typography variant="body2" color="textSecondary">
              Now: {step.evidence}
            </Typography>
            <Typography variant="body2">
              <CodeText text={step.howToFix} />
              {'assessment' in step.criterion && (
                <>
                  {' '}
                  <Link to={calmsTabPath}>Open the questionnaire</Link>
                </>
              )}
            </Typography>
          </li>
        ))}
      </ol>
      {maturity.nextSteps.length === 0 && (
        <Box>
          <Typography>Every criterion of level {next.level} passes.</Typography>
        </Box>
      )}
    </InfoCard>
  );
}
