import { ConfigReader } from '@backstage/config';
import {
  BUILT_IN_CHECKS,
  DEFAULT_MATURITY_LEVELS,
} from '@devops-maturity/backstage-plugin-common';
import { assertKnownChecks, readSettings } from './config';
import { startPluginBackend } from './__testUtils__/backend';
import { createTestDatabases } from './__testUtils__/databases';

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
      nonDeployableTypes: ['library'],
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
      nonDeployableTypes: ['library'],
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

describe('the maturity model at start-up', () => {
  const databases = createTestDatabases();
  const ids = BUILT_IN_CHECKS.map(c => c.id);
  const check = (maturity: object) => {
    const config = new ConfigReader({ devopsMaturity: { maturity } });
    assertKnownChecks(
      readSettings(config).maturity,
      ids,
      config.has('devopsMaturity.maturity.levels'),
    );
  };

  it('reads non-deployable types and requireEvidence', () => {
    expect(
      maturityOf({
        nonDeployableTypes: ['library', 'config'],
        levels: [{ level: 1, name: 'One', requireEvidence: true }],
      }),
    ).toMatchObject({
      nonDeployableTypes: ['library', 'config'],
      levels: [{ level: 1, name: 'One', requireEvidence: true }],
    });
  });

  it('accepts the defaults and known ids', () => {
    expect(() => check({})).not.toThrow();
    expect(() =>
      check({ checks: { disabled: ['runbook', 'golden-path-template'] } }),
    ).not.toThrow();
  });

  it('refuses an unknown id in checks.disabled, naming the key', () => {
    expect(() =>
      check({ checks: { disabled: ['runbook', 'run-book'] } }),
    ).toThrow(
      "Invalid maturity model: devopsMaturity.maturity.checks.disabled[1]: unknown check 'run-book' (installed checks: ",
    );
  });

  it('refuses a level that needs an unknown check, naming the key', () => {
    expect(() =>
      check({
        levels: [
          { level: 1, name: 'One', criteria: [] },
          { level: 2, name: 'Two', criteria: [{ check: 'sonar' }] },
        ],
      }),
    ).toThrow(
      "devopsMaturity.maturity.levels[1].criteria[0].check: unknown check 'sonar'",
    );
    // The default ladder against a product without one of its checks.
    expect(() =>
      assertKnownChecks(
        readSettings(new ConfigReader({})).maturity,
        ids.filter(id => id !== 'runbook'),
        false,
      ),
    ).toThrow(
      "devopsMaturity.maturity.levels (the default ladder, level 3) needs check 'runbook', which is not installed",
    );
  });

  it('stops the backend from starting', async () => {
    const knex = await databases.init('SQLITE_3');
    await expect(
      startPluginBackend({
        knex,
        entities: [],
        config: { maturity: { checks: { disabled: ['no-such-check'] } } },
      }),
    ).rejects.toThrow(
      "devopsMaturity.maturity.checks.disabled[0]: unknown check 'no-such-check'",
    );
  }, 60_000);
});
