import { DeploymentEvent, IncidentEvent } from '../events';
import { compareUtf8, DEFAULT_DORA_OPTIONS } from './attribution';
import { deriveDoraFacts } from './derive';

// Ids that order differently by UTF-16 code units (JavaScript's `<`), by a locale (en_US:
// punctuation and case are ignored first) and by UTF-8 bytes (SQLite, PostgreSQL's "C").
const IDS = ['a-1', 'a_1', 'B', 'a', 'a1', '\uFF5E', '\u{1F600}', '\uE000', ''];

const utf8 = new TextEncoder();
function compareBytes(a: string, b: string): number {
  const x = utf8.encode(a);
  const y = utf8.encode(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return x[i] - y[i];
  }
  return x.length - y.length;
}

describe('compareUtf8', () => {
  it('orders strings by their UTF-8 bytes', () => {
    expect([...IDS].sort(compareUtf8)).toEqual([
      '',
      'B',
      'a',
      'a-1',
      'a1',
      'a_1',
      '\uE000',
      '\uFF5E', // FULLWIDTH TILDE: EF BD 9E
      '\u{1F600}', // an emoji: F0 9F 98 80, after every character of the BMP
    ]);
    for (const a of IDS) {
      for (const b of IDS) {
        expect(Math.sign(compareUtf8(a, b))).toBe(
          Math.sign(compareBytes(a, b)),
        );
      }
    }
  });

  it('differs from JavaScript\'s "<" only beyond U+FFFF', () => {
    // UTF-16 puts the emoji's surrogate pair (D83D DE00) before U+FF5E.
    expect('\u{1F600}' < '\uFF5E').toBe(true);
    expect(compareUtf8('\u{1F600}', '\uFF5E')).toBeGreaterThan(0);
    expect(compareUtf8('\u{1F600}', '\u{1F601}')).toBeLessThan(0);
    expect(compareUtf8('a-1', 'a_1')).toBeLessThan(0);
    expect(compareUtf8('B', 'a')).toBeLessThan(0);
  });
});

describe('deployments finished in the same millisecond', () => {
  const window = {
    from: Date.parse('2026-06-01T00:00:00Z'),
    to: Date.parse('2026-07-01T00:00:00Z'),
  };
  const deploy = (
    id: string,
    extra: Partial<DeploymentEvent> = {},
  ): DeploymentEvent => ({
    id,
    source: 'api',
    entityRef: 'component:default/a',
    environment: 'production',
    status: 'success',
    finishedAt: '2026-06-10T12:00:00Z',
    commits: [],
    kind: 'normal',
    ...extra,
  });
  const incident: IncidentEvent = {
    id: 'i1',
    source: 'api',
    entityRef: 'component:default/a',
    openedAt: '2026-06-10T13:00:00Z',
  };

  it('are first and latest in UTF-8 byte order of their ids', () => {
    // In bytes U+FF5E comes first, the emoji last; in UTF-16 the other way round. The same
    // instant written with another offset is still a tie.
    const facts = deriveDoraFacts(
      [
        deploy('\u{1F600}', {
          commits: [{ sha: 's', committedAt: '2026-06-10T10:00:00Z' }],
        }),
        deploy('\uFF5E', {
          finishedAt: '2026-06-10T17:30:00+0530',
          kind: 'hotfix',
          commits: [{ sha: 's', committedAt: '2026-06-10T11:00:00Z' }],
        }),
      ],
      [incident],
      window,
      DEFAULT_DORA_OPTIONS,
    );
    // The sha counts at its first deployment, U+FF5E, with the commit time that one reported.
    expect(facts.changes.map(c => c.leadSeconds)).toEqual([3600]);
    // The incident links to the latest deployment before it, the emoji (the normal one).
    expect(
      facts.deployments.map(d => ({ failed: d.failed, rework: d.rework })),
    ).toEqual(
      expect.arrayContaining([
        { failed: true, rework: false },
        { failed: false, rework: true },
      ]),
    );
  });
});
