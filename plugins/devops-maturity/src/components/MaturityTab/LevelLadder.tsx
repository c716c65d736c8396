import { InfoCard } from '@backstage/core-components';
import { Box, Typography, makeStyles } from '@material-ui/core';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import RadioButtonUncheckedIcon from '@material-ui/icons/RadioButtonUnchecked';
import { EntityMaturity } from '@devops-maturity/backstage-plugin-common';
import { LEVEL_COLORS } from '../shared/LevelChip';

const useStyles = makeStyles(theme => ({
  step: {
    display: 'flex',
    gap: theme.spacing(2),
    padding: theme.spacing(1.5),
    borderRadius: theme.shape.borderRadius,
    border: `1px solid ${theme.palette.divider}`,
    marginBottom: theme.spacing(1),
  },
  current: {
    borderColor: theme.palette.primary.main,
    borderWidth: 2,
    background: theme.palette.action.selected,
  },
  badge: {
    width: 36,
    height: 36,
    borderRadius: '50%',
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'center',
    fontWeight: 700,
    flexShrink: 0,
    color: theme.palette.common.white,
  },
}));

/** The levels top to bottom, the reached ones coloured, the current one outlined. */
export function LevelLadder(props: { maturity: EntityMaturity }) {
  const { maturity } = props;
  const classes = useStyles();
  const levels = [...maturity.levels].sort((a, b) => b.level - a.level);
  return (
    <InfoCard
      title={`Level ${maturity.level}: ${maturity.name}`}
      subheader="Levels are cumulative: each needs every level below it"
    >
      <div data-testid="maturity-ladder">
        {levels.map(l => {
          const reached = l.level <= maturity.level;
          // Rules that do not apply to this entity (its type, lifecycle, a disabled check) are
          // counted apart: "4/4 criteria" would claim a library met a delivery rule.
          const applicable = l.criteria.filter(c => !c.notApplicable);
          const passed = applicable.filter(c => c.passed).length;
          const excused = l.criteria.length - applicable.length;
          return (
            <div
              key={l.level}
              className={`${classes.step} ${
                l.level === maturity.level ? classes.current : ''
              }`}
              data-testid={`level-${l.level}`}
              aria-current={l.level === maturity.level ? 'step' : undefined}
            >
              <div
                className={classes.badge}
                style={{
                  background: reached
                    ? LEVEL_COLORS[l.level] ?? '#2e7d32'
                    : '#9e9e9e',
                }}
              >
                {l.level}
              </div>
              <Box flexGrow={1}>
                <Typography variant="subtitle1" style={{ fontWeight: 600 }}>
                  {l.name}
                  {l.level === maturity.level && ' (current)'}
                </Typography>
                <Typography variant="body2" color="textSecondary">
                  {l.description}
                </Typography>
              </Box>
              <Box
                display="flex"
                alignItems="center"
                style={{ gap: 4, whiteSpace: 'nowrap' }}
              >
                {l.passed ? (
                  <CheckCircleIcon style={{ color: '#2e7d32' }} />
                ) : (
                  <RadioButtonUncheckedIcon color="disabled" />
                )}
                <Typography variant="caption" data-testid="level-criteria">
                  {l.criteria.length === 0 && 'no criteria'}
                  {applicable.length > 0 &&
                    `${passed}/${applicable.length} criteria`}
                  {excused > 0 &&
                    `${applicable.length ? ', ' : ''}${excused} ${
                      excused === 1 ? 'does' : 'do'
                    } not apply`}
                </Typography>
              </Box>
            </div>
          );
        })}
      </div>
    </InfoCard>
  );
}
