import { useState } from 'react';
import { InfoCard } from '@backstage/core-components';
import {
  Box,
  Button,
  FormControlLabel,
  Radio,
  RadioGroup,
  Typography,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import {
  CALMS_PILLAR_TITLES,
  CALMS_PILLARS,
  CalmsAnswers,
  EntityAssessment,
} from '@devops-maturity/backstage-plugin-common';

const SCALE = [
  [1, 'Strongly disagree'],
  [2, 'Disagree'],
  [3, 'Neutral'],
  [4, 'Agree'],
  [5, 'Strongly agree'],
] as const;

/**
 * The questionnaire: editable for the owning team, read-only for everyone else (the backend
 * refuses their submissions anyway). Starts from the newest answers.
 */
export function AssessmentForm(props: {
  assessment: EntityAssessment;
  canSubmit: boolean;
  submitting: boolean;
  onSubmit: (answers: CalmsAnswers) => void;
}) {
  const { assessment, canSubmit, submitting, onSubmit } = props;
  const [answers, setAnswers] = useState<CalmsAnswers>(
    assessment.current?.answers ?? {},
  );
  const missing = assessment.questions.filter(q => !answers[q.id]).length;
  return (
    <InfoCard
      title="Self-assessment"
      subheader="How far does the team agree with each statement?"
    >
      {!canSubmit && (
        <Alert severity="info" data-testid="assessment-read-only">
          Read-only: only members of the team that owns this service can submit
          its assessment.
        </Alert>
      )}
      <form
        data-testid="assessment-form"
        onSubmit={e => {
          e.preventDefault();
          onSubmit(answers);
        }}
      >
        {CALMS_PILLARS.map(pillar => (
          <Box key={pillar} mt={2}>
            <Typography variant="h6">{CALMS_PILLAR_TITLES[pillar]}</Typography>
            {assessment.questions
              .filter(q => q.pillar === pillar)
              .map(q => (
                <Box key={q.id} mt={1} data-testid={`question-${q.id}`}>
                  <Typography variant="body1" id={`q-${q.id}`}>
                    {q.text}
                  </Typography>
                  <Typography variant="caption" color="textSecondary">
                    {q.why}
                  </Typography>
                  <RadioGroup
                    row
                    aria-labelledby={`q-${q.id}`}
                    value={answers[q.id] ? String(answers[q.id]) : ''}
                    onChange={e =>
                      setAnswers({ ...answers, [q.id]: Number(e.target.value) })
                    }
                  >
                    {SCALE.map(([v, label]) => (
                      <FormControlLabel
                        key={v}
                        value={String(v)}
                        control={<Radio size="small" />}
                        label={label}
                        disabled={!canSubmit || submitting}
                      />
                    ))}
                  </RadioGroup>
                </Box>
              ))}
          </Box>
        ))}
        {canSubmit && (
          <Box mt={2} display="flex" alignItems="center" style={{ gap: 16 }}>
            <Button
              type="submit"
              variant="contained"
              color="primary"
              disabled={missing > 0 || submitting}
            >
              Submit assessment
            </Button>
            {missing > 0 && (
              <Typography variant="body2" color="textSecondary">
                {missing} question{missing === 1 ? '' : 's'} left
              </Typography>
            )}
          </Box>
        )}
      </form>
    </InfoCard>
  );
}
