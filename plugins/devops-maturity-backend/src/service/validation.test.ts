import {
  deploymentItemSchema,
  incidentItemSchema,
  parseBatch,
} from './validation';
import { doraQuery } from './queries';
import { DoraService } from './DoraService';

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
