import {
  deploymentItemSchema,
  incidentItemSchema,
  parseBatch,
} from './validation';
import { ConfigReader } from '@backstage/config';
import { doraQuery, entityRefOfPath, scorecardQuery } from './queries';
import { DoraService } from './DoraService';
import { readSettings } from '../config';

// Built, as a linter refuses script URLs in source: what a malicious pusher sends.
const SCRIPT_URL = ['javascript', 'alert(1)'].join(':');

const deployment = (times: object) => ({
  id: 'd',
  entityRef: 'component:default/a',
  environment: 'production',
  status: 'success',
  finishedAt: '2026-06-30T23:00:00Z',
  ...times,
});
const incident = (times: object) => ({
  id: 'i',
  entityRef: 'component:default/a',
  openedAt: '2026-06-30T23:00:00Z',
  ...times,
});
const refusal = (schema: any, item: object) => {
  try {
    parseBatch(schema, { items: [item] });
  } catch (e) {
    return (e as Error).message;
  }
  return 'accepted';
};

describe('times in the push API', () => {
  it.each([
    '2026-06-30T23:00:00Z',
    '2026-07-01T01:00:00+02:00',
    '2026-07-01T04:30:00+0530',
    '2026-07-01T01:00:00+02',
    '2026-06-30T21:00:00-02',
    '2026-06-30T21:30:00.123456-0130',
    '2026-07-01T01:00+02:00',
  ])('accepts %s', time => {
    expect(
      parseBatch(deploymentItemSchema, {
        items: [
          deployment({
            startedAt: time,
            finishedAt: time,
            commits: [{ sha: 's', committedAt: time }],
          }),
        ],
      }),
    ).toHaveLength(1);
    expect(
      parseBatch(incidentItemSchema, {
        items: [incident({ openedAt: time, resolvedAt: time })],
      }),
    ).toHaveLength(1);
    expect(doraQuery.parse({ from: time }).from).toBe(time);
  });

  it('refuses a time without an offset, naming the field', () => {
    const why =
      'must be an ISO-8601 date-time with an offset (Z, +hh:mm, +hhmm or +hh), e.g. 2026-01-31T12:00:00Z';
    expect(
      refusal(
        deploymentItemSchema,
        deployment({ finishedAt: '2026-07-01T01:00:00' }),
      ),
    ).toContain(`items[0].finishedAt: ${why}`);
    expect(
      refusal(
        deploymentItemSchema,
        deployment({ commits: [{ sha: 's', committedAt: '2026-07-01' }] }),
      ),
    ).toContain(`items[0].commits[0].committedAt: ${why}`);
    expect(
      refusal(
        incidentItemSchema,
        incident({ resolvedAt: '2026-07-01 01:00:00Z' }),
      ),
    ).toContain(`items[0].resolvedAt: ${why}`);
    expect(
      refusal(
        deploymentItemSchema,
        deployment({ startedAt: '2026-02-30T01:00:00Z' }),
      ),
    ).toContain(`items[0].startedAt: ${why}`);
    expect(doraQuery.safeParse({ to: '2026-07-01T01:00:00' }).success).toBe(
      false,
    );
  });

  it('compares times as instants, whatever their offsets', () => {
    // 01:00+02 is 23:00Z, half an hour before 23:30Z.
    expect(
      refusal(
        deploymentItemSchema,
        deployment({
          startedAt: '2026-06-30T23:30:00Z',
          finishedAt: '2026-07-01T01:00:00+02',
        }),
      ),
    ).toContain('items[0].startedAt: must not be after finishedAt');
    expect(
      refusal(
        deploymentItemSchema,
        deployment({
          startedAt: '2026-07-01T00:30:00+02',
          finishedAt: '2026-06-30T23:00:00Z',
        }),
      ),
    ).toBe('accepted');
    // 04:30+0530 is 23:00Z, a minute after 22:59Z.
    expect(
      refusal(
        incidentItemSchema,
        incident({
          openedAt: '2026-07-01T04:30:00+0530',
          resolvedAt: '2026-06-30T22:59:00Z',
        }),
      ),
    ).toContain('items[0].resolvedAt: must not be before openedAt');
  });

  it('reads window bounds as instants', () => {
    const dora = new DoraService({} as any, {} as any);
    expect(
      dora.window({
        from: '2026-06-30T05:30:00+0530',
        to: '2026-07-01T02:00:00+02',
      }),
    ).toEqual({
      from: Date.parse('2026-06-30T00:00:00Z'),
      to: Date.parse('2026-07-01T00:00:00Z'),
    });
  });
});

describe('strings, links and limits in the push API', () => {
  const storable =
    'must be valid Unicode text (no lone surrogate, no NUL character)';

  it('refuses a lone surrogate or a NUL in any string, naming the field', () => {
    for (const bad of ['a\ud800', '\udc00b', 'a\u0000b']) {
      expect(refusal(deploymentItemSchema, deployment({ id: bad }))).toContain(
        `items[0].id: ${storable}`,
      );
      expect(
        refusal(incidentItemSchema, incident({ id: bad, title: bad })),
      ).toBe(
        `Invalid request, nothing was stored: items[0].id: ${storable}; items[0].title: ${storable}`,
      );
      expect(
        refusal(
          deploymentItemSchema,
          deployment({ labels: { [bad]: 'x', ok: bad } }),
        ),
      ).toContain(`items[0].labels.ok: ${storable}`);
      expect(
        refusal(
          deploymentItemSchema,
          deployment({ entityRef: undefined, annotations: { k: bad } }),
        ),
      ).toContain(`items[0].annotations.k: ${storable}`);
    }
    // A surrogate pair is one character, not a lone surrogate.
    expect(refusal(deploymentItemSchema, deployment({ id: 'rocket-🚀' }))).toBe(
      'accepted',
    );
  });

  it('takes http(s) links only', () => {
    for (const url of [
      SCRIPT_URL,
      'data:text/html,<script>alert(1)</script>',
      'file:///etc/passwd',
      'ftp://example.com/x',
    ]) {
      expect(refusal(deploymentItemSchema, deployment({ url }))).toContain(
        'items[0].url: must be an http or https URL',
      );
      expect(
        refusal(incidentItemSchema, incident({ url, postmortemUrl: url })),
      ).toContain('items[0].postmortemUrl: must be an http or https URL');
    }
    expect(
      refusal(
        incidentItemSchema,
        incident({
          url: 'https://status.example.com/i/1',
          postmortemUrl: 'HTTP://wiki.example.com/pm',
        }),
      ),
    ).toBe('accepted');
  });

  it('takes an entityRef of 255 characters, not 256: the column size', () => {
    const ref = (n: number) =>
      `component:default/${'x'.repeat(n - 'component:default/'.length)}`;
    expect(
      refusal(deploymentItemSchema, deployment({ entityRef: ref(255) })),
    ).toBe('accepted');
    expect(
      refusal(deploymentItemSchema, deployment({ entityRef: ref(256) })),
    ).toContain('items[0].entityRef: String must contain at most 255');
  });
});

describe('the times an event may carry', () => {
  const range = {
    earliest: Date.parse('2000-01-01T00:00:00Z'),
    latest: Date.parse('2026-07-02T00:00:00Z'),
  };
  const bounds =
    'must be from 2000-01-01T00:00:00.000Z to 2026-07-02T00:00:00.000Z';
  const refusalIn = (schema: any, item: object) => {
    try {
      parseBatch(schema, { items: [item] }, range);
    } catch (e) {
      return (e as Error).message;
    }
    return 'accepted';
  };

  it('refuses years 0000 and 9999, naming each field', () => {
    const message = refusalIn(
      deploymentItemSchema,
      deployment({
        startedAt: '0000-01-01T00:00:00Z',
        finishedAt: '9999-12-31T23:59:59Z',
        commits: [{ sha: 's', committedAt: '1999-12-31T23:59:59Z' }],
      }),
    );
    expect(message).toContain(`items[0].startedAt: ${bounds}`);
    expect(message).toContain(`items[0].finishedAt: ${bounds}`);
    expect(message).toContain(`items[0].commits[0].committedAt: ${bounds}`);
    expect(
      refusalIn(
        incidentItemSchema,
        incident({ resolvedAt: '9999-01-01T00:00:00Z' }),
      ),
    ).toContain(`items[0].resolvedAt: ${bounds}`);
  });

  it('takes the bounds themselves', () => {
    expect(
      refusalIn(
        deploymentItemSchema,
        deployment({
          startedAt: '2000-01-01T00:00:00Z',
          finishedAt: '2026-07-02T00:00:00Z',
        }),
      ),
    ).toBe('accepted');
    expect(
      refusalIn(
        deploymentItemSchema,
        deployment({ finishedAt: '2026-07-02T00:00:00.001Z' }),
      ),
    ).toContain(`items[0].finishedAt: ${bounds}`);
  });

  it('names the times of a batch with other problems too', () => {
    expect(
      refusalIn(
        deploymentItemSchema,
        deployment({ id: '', finishedAt: '9999-01-01T00:00:00Z' }),
      ),
    ).toMatch(
      /items\[0\]\.id: must not be empty; items\[0\]\.finishedAt: must be from/,
    );
  });

  it('reads its range from config, with "now" from the service clock', () => {
    const now = Date.parse('2026-07-01T00:00:00Z');
    const settings = (config: object) =>
      readSettings(new ConfigReader({ devopsMaturity: config }));
    expect(
      new DoraService({} as any, settings({}), () => now).eventTimeRange(),
    ).toEqual({ earliest: range.earliest, latest: range.latest });
    expect(
      new DoraService(
        {} as any,
        settings({
          events: { earliest: '2020-06-01', futureTolerance: { hours: 2 } },
        }),
        () => now,
      ).eventTimeRange(),
    ).toEqual({
      earliest: Date.parse('2020-06-01T00:00:00Z'),
      latest: now + 2 * 3_600_000,
    });
    expect(() => settings({ events: { earliest: 'last year' } })).toThrow(
      "devopsMaturity.events.earliest: 'last year' is not a date",
    );
  });
});

describe('query strings', () => {
  it('refuses a NUL or a lone surrogate in any string, and malformed refs', () => {
    expect(doraQuery.safeParse({ profile: 'a\u0000' }).success).toBe(false);
    expect(scorecardQuery.safeParse({ q: '\ud800' }).success).toBe(false);
    expect(scorecardQuery.safeParse({ kind: ['ok', 'a\u0000'] }).success).toBe(
      false,
    );
    expect(scorecardQuery.safeParse({ owner: ':a' }).success).toBe(false);
    expect(scorecardQuery.safeParse({ system: 'ns/' }).success).toBe(false);
    expect(
      scorecardQuery.parse({ owner: 'team-a,group:default/team-b' }).owner,
    ).toEqual(['team-a', 'group:default/team-b']);
  });

  it('reads a path entity ref, or refuses it naming the part', () => {
    expect(
      entityRefOfPath({ kind: 'Component', namespace: 'default', name: 'A' }),
    ).toBe('component:default/a');
    expect(() =>
      entityRefOfPath({
        kind: 'component',
        namespace: 'default',
        name: 'a\u0000',
      }),
    ).toThrow('name: must be valid Unicode text');
  });
});
