import { ConfigReader } from '@backstage/config';
import { DEFAULT_MATURITY_LEVELS } from '@devops-maturity/backstage-plugin-common';
import { readSettings } from './config';

const maturityOf = (maturity: object) =>
  readSettings(new ConfigReader({ devopsMaturity: { maturity } })).maturity;

describe('readSettings: the maturity model', () => {
  it('defaults to the documented ladder, weights, staleness and thresholds', () => {
    expect(readSettings(new ConfigReader({})).maturity).toEqual({
      levels: DEFAULT_MATURITY_LEVELS,
      weights: { signals: 0.5, assessment: 0.5 },
      assessmentMaxAgeDays: 180,
      checks: { smallBatchMaxCommits: 5, postmortemCoverageMin: 0.8 },
      disabledChecks: [],
    });
  });

  it("reads the docs' example", () => {
    expect(
      maturityOf({
        assessmentMaxAge: { days: 90 },
        weights: { signals: 0.7, assessment: 0.3 },
        checks: {
          smallBatchMaxCommits: 3,
          disabled: ['golden-path-template'],
        },
        levels: [
          { level: 1, name: 'Listed', criteria: [] },
          {
            level: 2,
            name: 'Owned',
            criteria: [{ check: 'owned-by-group' }, { check: 'on-call' }],
          },
          {
            level: 3,
            name: 'Fast',
            criteria: [
              { dora: 'leadTime', min: 'high' },
              { assessment: 'current' },
              { calms: 'lean', min: 60 },
            ],
          },
        ],
      }),
    ).toEqual({
      levels: [
        { level: 1, name: 'Listed', description: '', criteria: [] },
        {
          level: 2,
          name: 'Owned',
          description: '',
          criteria: [{ check: 'owned-by-group' }, { check: 'on-call' }],
        },
        {
          level: 3,
          name: 'Fast',
          description: '',
          criteria: [
            { dora: 'leadTime', min: 'high' },
            { assessment: 'current' },
            { calms: 'lean', min: 60 },
          ],
        },
      ],
      weights: { signals: 0.7, assessment: 0.3 },
      assessmentMaxAgeDays: 90,
      checks: { smallBatchMaxCommits: 3, postmortemCoverageMin: 0.8 },
      disabledChecks: ['golden-path-template'],
    });
  });

  it('names the bad key of a criterion', () => {
    const level = (criteria: object[]) => ({
      levels: [{ level: 1, name: 'One', criteria }],
    });
    expect(() => maturityOf(level([{ calms: 'speed', min: 1 }]))).toThrow(
      "devopsMaturity.maturity.levels[0].criteria[0].calms: 'speed' is not one of culture, automation, lean, measurement, sharing, all",
    );
    expect(() =>
      maturityOf(level([{ dora: 'overall', min: 'great' }])),
    ).toThrow(
      "devopsMaturity.maturity.levels[0].criteria[0].min: 'great' is not a DORA tier",
    );
    expect(() => maturityOf(level([{ min: 3 }]))).toThrow(
      'devopsMaturity.maturity.levels[0].criteria[0]: a criterion needs check, calms, dora or assessment',
    );
  });
});
