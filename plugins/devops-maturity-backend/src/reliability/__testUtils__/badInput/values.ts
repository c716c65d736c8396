import fc from 'fast-check';

/** A request as the probe sends it, under `/api/devops-maturity`. */
export interface Req {
  method: 'GET' | 'POST' | 'PUT';
  /** The path, percent-encoded: `/entities/component/default/a1/dora`. */
  path: string;
  /**
   * The query as sent, key and value each percent-encoded already: a corruption may put raw
   * brackets or a lone `%` in them, which an encoder would escape.
   */
  query: Array<[string, string]>;
  /** JSON text unless `headers` say otherwise. */
  body?: string | Buffer;
  headers?: Record<string, string>;
  auth: 'user' | 'service';
}

/**
 * A request with one thing corrupted, and what the answer must be: one of `statuses` (400
 * unless said), with an `error.message` that matches every one of `names` (a string is
 * looked for as is): the field or parameter that was corrupted.
 */
export interface Bad {
  req: Req;
  /** What was corrupted, as the figures group it: `query: out of range`. */
  kind: string;
  names: Array<string | RegExp>;
  statuses: number[];
  /**
   * A path of odd but decodable characters: a valid request for an entity the catalog does
   * not have, so no 4xx is required (the event lists answer it with an empty page), only
   * that it is no 5xx and writes nothing.
   */
  unknownEntity?: boolean;
}

/** A corruption of one part of a request: what to put there, what it is, what must be named. */
export interface Corruption<T> {
  value: T;
  kind: string;
  names: Array<string | RegExp>;
  statuses?: number[];
  unknownEntity?: boolean;
}

export const DAY_MS = 86_400_000;

const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
/** Plain text that every field takes: letters, digits and `-`. */
export const word = (minLength = 1, maxLength = 12) =>
  fc.string({
    unit: fc.constantFrom(...`${ALNUM}-`),
    minLength,
    maxLength,
  });
/** An id unlikely to be stored already, so that a write of it would add a row. */
export const freshId = word(16, 24);

/** `value` with `insert` put at a position fast-check picks. */
export const withInserted = (value: fc.Arbitrary<string>, insert: string) =>
  fc.tuple(value, fc.nat()).map(([v, n]) => {
    const at = n % (v.length + 1);
    return `${v.slice(0, at)}${insert}${v.slice(at)}`;
  });

/** A lone UTF-16 surrogate: no Unicode text. */
export const loneSurrogate = fc
  .integer({ min: 0xd800, max: 0xdfff })
  .map(c => String.fromCharCode(c));

/** Offsets in every ISO-8601 form the API takes, with and without fractional seconds. */
const OFFSETS: Array<[number, (sign: string, h: string, m: string) => string]> =
  [
    [0, () => 'Z'],
    [0, () => 'z'],
    [330, (s, h, m) => `${s}${h}:${m}`],
    [-480, (s, h, m) => `${s}${h}${m}`],
    [120, (s, h) => `${s}${h}`],
    [-60, (s, h, m) => `${s}${h}:${m}`],
    [840, (s, h, m) => `${s}${h}:${m}`],
  ];

/** An instant written as the API takes it, in one of the offset forms. */
export const instantText = (ms: number) =>
  fc
    .tuple(
      fc.integer({ min: 0, max: OFFSETS.length - 1 }),
      fc.constantFrom('', '.5', '.123', '.123456789'),
    )
    .map(([o, fraction]) => formatInstant(ms, o, fraction));

/** How many ways `instantIn` writes an instant. */
export const INSTANT_STYLES = OFFSETS.length * 4;
/** The instant `ms` written in style `style` (0 to INSTANT_STYLES - 1). */
export const instantIn = (ms: number, style: number) =>
  formatInstant(
    ms,
    style % OFFSETS.length,
    ['', '.5', '.123', '.123456789'][Math.floor(style / OFFSETS.length) % 4],
  );

function formatInstant(ms: number, o: number, fraction: string) {
  const [offset, write] = OFFSETS[o];
  const local = new Date(Math.floor(ms / 1000) * 1000 + offset * 60_000);
  const abs = Math.abs(offset);
  const pad = (n: number) => String(n).padStart(2, '0');
  const zone = write(
    offset < 0 ? '-' : '+',
    pad(Math.floor(abs / 60)),
    pad(abs % 60),
  );
  return `${local.toISOString().slice(0, 19)}${fraction}${zone}`;
}

/** An instant between `earliest` and `latest` (epoch ms), as the API takes it. */
export const instantBetween = (earliest: number, latest: number) =>
  fc.integer({ min: earliest, max: latest }).chain(instantText);

/** Times that name no instant, or one outside what the API takes. */
export const badInstants = (now: number): fc.Arbitrary<[string, string]> =>
  fc.oneof(
    fc.constantFrom<[string, string]>(
      ['no offset', '2026-01-31T12:00:00'],
      ['no offset', '2026-01-31T12:00:00.123'],
      ['impossible date', '2026-02-30T12:00:00Z'],
      ['impossible date', '2026-13-01T00:00:00Z'],
      ['impossible date', '2026-01-01T24:00:00Z'],
      ['impossible date', '2026-01-01T12:60:00Z'],
      ['impossible date', '2026-01-01T12:00:61Z'],
      ['impossible offset', '2026-01-01T12:00:00+24:00'],
      ['impossible offset', '2026-01-01T12:00:00+05:60'],
      ['date only', '2026-01-31'],
      ['not a time', 'yesterday'],
      ['not a time', ''],
      ['not a time', 'Tue, 01 Dec 2026 12:00:00 GMT'],
      ['not a time', ' 2026-01-31T12:00:00Z'],
      ['not a time', '2026-01-31 12:00:00Z'],
      ['not a time', '+002026-01-31T12:00:00Z'],
    ),
    fc
      .integer({ min: 0, max: 1999 })
      .map<[string, string]>(y => [
        'time before 2000',
        `${String(y).padStart(4, '0')}-06-01T00:00:00Z`,
      ]),
    fc
      .integer({ min: 2, max: 3000 })
      .map<[string, string]>(d => [
        'time too far ahead',
        new Date(now + d * DAY_MS).toISOString(),
      ]),
  );

/** JSON values of every type but those `allowed`. */
export const wrongType = (allowed: Array<'string' | 'null' | 'number'>) =>
  fc.oneof(
    ...[
      [
        'number',
        fc.oneof(
          fc.integer(),
          fc.double({ noNaN: true, noDefaultInfinity: true }),
        ),
      ],
      ['boolean', fc.boolean()],
      ['null', fc.constant(null)],
      ['array', fc.array(word(), { maxLength: 3 })],
      ['object', fc.dictionary(word(1, 5), word(), { maxKeys: 3 })],
      ['string', word()],
    ]
      .filter(([t]) => !allowed.includes(t as any))
      .map(([, a]) => a as fc.Arbitrary<unknown>),
  );

/** Nested arrays and objects, as deep as `depth`: what a broken client may send anywhere. */
export const nestedGarbage = (depth: number): fc.Arbitrary<unknown> =>
  fc
    .tuple(fc.integer({ min: 2, max: depth }), fc.boolean(), word())
    .map(([n, arrays, leaf]) => {
      let v: unknown = leaf;
      for (let i = 0; i < n; i++) v = arrays ? [v] : { [`k${i}`]: v };
      return v;
    });

/** Query keys of no route's, spelt as a caller might mistype one. */
export const unknownQueryKey = fc.oneof(
  fc.constantFrom(
    'dayz',
    'Days',
    'LIMIT',
    'page',
    'pageSize',
    'sortBy',
    'entity',
    'toString',
    'hasOwnProperty',
    'constructor',
    'valueOf',
    'dryRun',
  ),
  word(1, 10).map(w => `x${w}`),
);
