import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { EntityMaturity } from '@devops-maturity/backstage-plugin-common';
import { LevelLadder } from './LevelLadder';

const criterion = (passed: boolean, notApplicable?: boolean) => ({
  criterion: { check: 'x' },
  label: 'x',
  passed,
  ...(notApplicable ? { notApplicable } : {}),
  evidence: '',
  howToFix: '',
});

describe('LevelLadder', () => {
  it('counts the rules that do not apply apart from those met', async () => {
    // A library at level 4: two of its level-4 rules do not apply to it, three are met.
    const maturity = {
      level: 4,
      name: 'Measured',
      levels: [
        {
          level: 1,
          name: 'Initial',
          description: '',
          passed: true,
          criteria: [],
        },
        {
          level: 4,
          name: 'Measured',
          description: '',
          passed: true,
          criteria: [
            criterion(true),
            criterion(true),
            criterion(true),
            criterion(true, true),
            criterion(true, true),
          ],
        },
        {
          level: 5,
          name: 'Optimizing',
          description: '',
          passed: false,
          criteria: [criterion(true, true)],
        },
      ],
    } as unknown as EntityMaturity;
    await renderInTestApp(<LevelLadder maturity={maturity} />);
    expect(
      within(screen.getByTestId('level-4')).getByTestId('level-criteria'),
    ).toHaveTextContent('3/3 criteria, 2 do not apply');
    expect(
      within(screen.getByTestId('level-5')).getByTestId('level-criteria'),
    ).toHaveTextContent(/^1 does not apply$/);
    expect(
      within(screen.getByTestId('level-1')).getByTestId('level-criteria'),
    ).toHaveTextContent('no criteria');
  });
});
