import { isStaleCopy, latestCopies, newestCopies } from './attribution';

const copy = (id: string, tag: string, updatedAt?: string) => ({
  source: 'pagerduty',
  id,
  tag,
  ...(updatedAt ? { updatedAt } : {}),
});

describe('copies of one event', () => {
  it('lets an older copy never replace a newer one, by the source time', () => {
    expect(isStaleCopy(1, 2)).toBe(true);
    expect(isStaleCopy(2, 2)).toBe(false); // equal replaces: a redelivery is the same state
    expect(isStaleCopy(3, 2)).toBe(false);
    expect(isStaleCopy(undefined, 2)).toBe(false);
    expect(isStaleCopy(1, null)).toBe(false);
  });

  it('keeps, of each id, what writing the copies in order would leave stored', () => {
    const { latest, stale } = newestCopies([
      copy('a', 'resolved', '2020-04-09T16:01:27Z'),
      // triggered, delivered after its resolve: older, so it loses
      copy('a', 'triggered', '2020-04-09T15:16:27Z'),
      // reopened later: newer, so it wins; offsets are instants
      copy('a', 'reopened', '2020-04-09T18:30:00+02:00'),
      copy('b', 'first'),
      copy('b', 'second'), // no times: the last write wins
      copy('c', 'timed', '2020-04-09T16:00:00Z'),
      copy('c', 'untimed'), // no time on this copy: the last write wins
    ]);
    expect(latest.map(c => [c.id, c.tag])).toEqual([
      ['a', 'reopened'],
      ['b', 'second'],
      ['c', 'untimed'],
    ]);
    expect(stale).toBe(1);
    expect(
      latestCopies([
        copy('a', 'x', '2020-01-02T00:00:00Z'),
        copy('a', 'y', '2020-01-01T00:00:00Z'),
      ]).map(c => c.tag),
    ).toEqual(['x']);
  });
});
