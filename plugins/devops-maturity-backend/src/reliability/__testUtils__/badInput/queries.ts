import fc from 'fast-check';
import { SpecParam, SpecRoute } from './spec';
import {
  badInstants,
  Corruption,
  DAY_MS,
  INSTANT_STYLES,
  instantIn,
  unknownQueryKey,
  word,
} from './values';

/** What the probe knows of the running plugin: its clock, profiles, checks and catalog. */
export interface ProbeContext {
  now: number;
  profiles: string[];
  checks: string[];
  questions: string[];
  /** Every query parameter any route of the spec takes. */
  allParams: string[];
}

type Pairs = Array<[string, string]>;
const enc = encodeURIComponent;
const one = (name: string, value: string): Pairs => [[name, enc(value)]];
const styles = fc.integer({ min: 0, max: INSTANT_STYLES - 1 });

/** A list parameter as a caller sends it: comma-separated or repeated. */
const listOf = (name: string, values: fc.Arbitrary<string>, max = 3) =>
  fc
    .tuple(fc.array(values, { minLength: 1, maxLength: max }), fc.boolean())
    .map(
      ([vs, repeated]): Pairs =>
        repeated ? vs.map(v => [name, enc(v)]) : one(name, vs.join(',')),
    );

const GROUP_REFS = ['team-a', 'default/team-a', 'group:default/team-b'];
const DAYS_ENUM = ['90', '180', '365'];

/** How a route takes `days`: any 1-731, a preset window, or the history's choices. */
function daysKind(route: SpecRoute): 'window' | 'preset' | 'history' {
  if (route.path.startsWith('/golden-path')) return 'preset';
  const days = route.params.find(p => p.name === 'days');
  return days?.schema.enum ? 'history' : 'window';
}

/** A valid window: none, days, from and to, from alone, or to and days. */
function validWindow(route: SpecRoute, now: number): fc.Arbitrary<Pairs> {
  const kind = daysKind(route);
  if (kind === 'preset')
    return fc.constantFrom<Pairs>(
      [],
      ...[30, 90, 180, 365].map(d => one('days', String(d))),
    );
  if (kind === 'history')
    return fc.constantFrom<Pairs>([], ...DAYS_ENUM.map(d => one('days', d)));
  const hours = (min: number, max: number) =>
    fc.integer({ min: min * 24, max: max * 24 }).map(h => h * 3_600_000);
  return fc.oneof(
    fc.constant<Pairs>([]),
    fc.integer({ min: 1, max: 731 }).map(d => one('days', String(d))),
    fc
      .tuple(hours(0, 30), hours(1, 730), styles, styles)
      .map(([ago, span, a, b]) => [
        ...one('from', instantIn(now - ago - span, a)),
        ...one('to', instantIn(now - ago, b)),
      ]),
    fc
      .tuple(hours(1, 730), styles)
      .map(([span, a]) => one('from', instantIn(now - span, a))),
    fc
      .tuple(hours(0, 30), fc.integer({ min: 1, max: 700 }), styles)
      .map(([ago, days, a]) => [
        ...one('to', instantIn(now - ago, a)),
        ...one('days', String(days)),
      ]),
  );
}

/** A valid value of each parameter but the window's. */
function validParam(
  route: SpecRoute,
  p: SpecParam,
  ctx: ProbeContext,
): fc.Arbitrary<Pairs> {
  const { name, schema } = p;
  const enumOf = (values: string[]) =>
    fc.constantFrom(...values).map(v => one(name, v));
  switch (name) {
    case 'profile':
      return enumOf(ctx.profiles);
    case 'check':
      return enumOf(ctx.checks);
    case 'includeChildren':
      return enumOf(['true', 'false']);
    case 'limit':
      return fc.integer({ min: 1, max: 500 }).map(n => one(name, String(n)));
    case 'offset':
      return fc.integer({ min: 0, max: 1000 }).map(n => one(name, String(n)));
    case 'owner':
      return schema.type === 'array'
        ? listOf(name, fc.constantFrom(...GROUP_REFS))
        : enumOf(GROUP_REFS);
    case 'system':
      return listOf(name, fc.constantFrom('shop', 'system:default/shop'));
    case 'kind':
      return listOf(name, fc.constantFrom('component', 'Component', 'api'));
    case 'type':
      return listOf(name, fc.constantFrom('service', 'website'));
    case 'lifecycle':
      return listOf(name, fc.constantFrom('production', 'experimental'));
    case 'tier':
      return listOf(name, fc.constantFrom(...schema.items!.enum!));
    case 'q':
      return word(0, 8).map(v => one(name, v));
    case 'entityRef':
      return fc
        .constantFrom(
          'component:default/a1',
          'a1',
          'default/a1',
          'Component:default/A1',
          'component:default/not-in-catalog',
        )
        .map(v => one(name, v));
    case 'source':
      return word(1, 20).map(v => one(name, v));
    case 'id':
      return word(1, 40).map(v => one(name, v));
    case 'before':
      return fc
        .tuple(fc.integer({ min: 0, max: 300 * DAY_MS }), styles)
        .map(([ago, s]) => one(name, instantIn(ctx.now - ago, s)));
    default:
      if (schema.enum) return enumOf(schema.enum);
      throw new Error(`No valid value for ${route.key} ?${name}`);
  }
}

const WINDOW = ['from', 'to', 'days'];

/** A valid query of the route: its required parameters, some optional ones, a window. */
export function validQuery(
  route: SpecRoute,
  ctx: ProbeContext,
): fc.Arbitrary<Pairs> {
  const query = route.params.filter(p => p.in === 'query');
  const parts = query
    .filter(p => !WINDOW.includes(p.name))
    .map(p => {
      const value = validParam(route, p, ctx);
      return p.required
        ? value
        : fc.option(value, { nil: [] as Pairs, freq: 2 });
    });
  if (query.some(p => p.name === 'days'))
    parts.push(validWindow(route, ctx.now));
  return fc.tuple(...parts).map(ps => ps.flat());
}

const NOT_INTS = [
  '-1',
  '1.5',
  'abc',
  '',
  '1e2',
  ' 1',
  '+1',
  '0x10',
  '99999999999999999999',
  '١',
  '1,2',
];
const INVALID_REFS = [':a', 'a:', '/a', 'a/', 'a:/b', '::'];

/** Values of parameter `p` that the route must refuse, by what is wrong with them. */
function badValues(
  route: SpecRoute,
  p: SpecParam,
  ctx: ProbeContext,
): fc.Arbitrary<[string, Pairs]> {
  const { name, schema } = p;
  const raw = (kind: string, v: string): [string, Pairs] => [kind, [[name, v]]];
  const val = (kind: string, v: string): [string, Pairs] => [
    kind,
    one(name, v),
  ];
  const common: Array<fc.Arbitrary<[string, Pairs]>> = [
    fc.constant(raw('NUL character', `a%00${enc(name)}`)),
    fc
      .constant(raw('object instead of a string', `${name}%5Bx%5D`))
      .map(([k]): [string, Pairs] => [k, [[`${name}[x]`, 'a']]]),
  ];
  const ints = (min: number, max: number) =>
    fc.oneof(
      fc.constantFrom(...NOT_INTS).map(v => val('not a whole number', v)),
      fc
        .oneof(
          fc.integer({ min: -1000, max: min - 1 }),
          fc.integer({ min: max + 1, max: max + 10_000 }),
        )
        .map(n => val('number out of range', String(n))),
    );
  const outside = (values: string[]) => {
    const upper = values
      .map(v => v.toUpperCase())
      .filter(v => !values.includes(v));
    return fc.oneof(
      word(1, 12)
        .filter(v => !values.includes(v))
        .map(v => val('value outside the set', v)),
      ...(upper.length
        ? [fc.constantFrom(...upper).map(v => val('value outside the set', v))]
        : [
            fc
              .constantFrom('0', '1', '30', '45', '366')
              .filter(v => !values.includes(v))
              .map(v => val('value outside the set', v)),
          ]),
    );
  };
  const tooLong = (max: number) =>
    fc.constant(val('string too long', 'x'.repeat(max + 1)));
  const specific = ((): fc.Arbitrary<[string, Pairs]> => {
    if (name === 'from' || name === 'to' || name === 'before')
      return fc.oneof(
        badInstants(ctx.now)
          .filter(([k]) => !k.startsWith('time '))
          .map(([k, v]) => val(k, v)),
        fc.constant(raw('invalid percent-encoding', '%ED%A0%80')),
      );
    if (name === 'days') {
      const kind = daysKind(route);
      if (kind === 'history') return outside(DAYS_ENUM);
      if (kind === 'preset')
        return fc.oneof(
          ints(1, 731),
          fc
            .constantFrom('1', '45', '731')
            .map(v => val('not a preset window', v)),
        );
      return ints(1, 731);
    }
    if (name === 'limit')
      return ints(
        1,
        route.path === '/scorecards' || route.path === '/scorecards/owners'
          ? 10_000
          : 500,
      );
    if (name === 'offset') return ints(0, 10_000_000);
    if (name === 'profile')
      return fc.oneof(
        fc
          .constantFrom('nope', '__proto__', 'toString', 'constructor')
          .map(v => val('unknown profile', v)),
        tooLong(100),
      );
    if (name === 'check')
      return fc.oneof(
        word(1, 12)
          .filter(v => !ctx.checks.includes(v))
          .map(v => val('unknown check', v)),
        tooLong(200),
      );
    if (name === 'q') return tooLong(200);
    if (name === 'owner' || name === 'system')
      return fc.oneof(
        fc.constantFrom(...INVALID_REFS).map(v => val('not an entity ref', v)),
        fc.constant(val('string too long', `group:default/${'x'.repeat(250)}`)),
      );
    if (name === 'kind' || name === 'type' || name === 'lifecycle')
      return fc.oneof(
        tooLong(2000),
        fc.constant<[string, Pairs]>([
          'array too long',
          Array.from({ length: 101 }, (_, i): [string, string] => [
            name,
            `v${i}`,
          ]),
        ]),
      );
    if (name === 'tier')
      return fc
        .constantFrom('ELITE', 'great', 'null')
        .map(v => val('value outside the set', v));
    if (name === 'entityRef')
      return fc.oneof(
        fc.constantFrom(...INVALID_REFS).map(v => val('not an entity ref', v)),
        fc.constant(val('empty string', '')),
        tooLong(255),
      );
    if (name === 'source')
      return fc.oneof(fc.constant(val('empty string', '')), tooLong(100));
    if (name === 'id')
      return fc.oneof(fc.constant(val('empty string', '')), tooLong(255));
    if (schema.type === 'boolean') return outside(['true', 'false']);
    if (schema.enum) return outside(schema.enum);
    throw new Error(`No bad value for ${route.key} ?${name}`);
  })();
  return fc.oneof(specific, specific, ...common);
}

/**
 * The route's valid query with one thing wrong: an unknown parameter, a parameter twice, a
 * bad value, a required one missing, or a window that is no window.
 */
export function corruptQuery(
  route: SpecRoute,
  ctx: ProbeContext,
  valid: Pairs,
): fc.Arbitrary<Corruption<Pairs>> {
  const params = route.params.filter(p => p.in === 'query');
  const without = (name: string) => valid.filter(([k]) => k !== name);
  const own = new Set(params.map(p => p.name));
  const unknown = fc
    .oneof(
      unknownQueryKey,
      ...(ctx.allParams.some(n => !own.has(n))
        ? [fc.constantFrom(...ctx.allParams.filter(n => !own.has(n)))]
        : []),
    )
    .filter(k => !own.has(k))
    .map(
      (k): Corruption<Pairs> => ({
        value: [...valid, [k, enc(plausible(k, ctx))]],
        kind: 'unknown parameter',
        names: [`'${k}'`],
      }),
    );
  if (!params.length) return unknown;
  const scalars = params.filter(p => p.schema.type !== 'array');
  type Weighted = fc.WeightedArbitrary<Corruption<Pairs>>;
  const choices: Weighted[] = [
    { weight: 2, arbitrary: unknown },
    {
      weight: 6,
      arbitrary: fc.constantFrom(...params).chain(p =>
        badValues(route, p, ctx).map(([kind, pairs]) => ({
          value: [...without(p.name), ...pairs],
          kind: `bad value: ${kind}`,
          names: [`${p.name}`],
        })),
      ),
    },
  ];
  if (scalars.length)
    choices.push({
      weight: 1,
      arbitrary: fc
        .constantFrom(...scalars)
        .chain(p =>
          fc.tuple(
            fc.constant(p),
            validParam2(route, p, ctx),
            validParam2(route, p, ctx),
          ),
        )
        .map(([p, a, b]) => ({
          value: [...without(p.name), ...a, ...b],
          kind: 'parameter given twice',
          names: [`${p.name}`],
        })),
    });
  const required = params.filter(p => p.required);
  if (required.length)
    choices.push({
      weight: 1,
      arbitrary: fc.constantFrom(...required).map(p => ({
        value: without(p.name),
        kind: 'required parameter missing',
        names: [`${p.name}`],
      })),
    });
  if (own.has('from') && daysKind(route) === 'window')
    choices.push({ weight: 1, arbitrary: badWindow(ctx.now, valid) });
  return fc.oneof(...choices);
}

/** A value another route takes for its parameter `name`: so that only the name is wrong. */
function plausible(name: string, ctx: ProbeContext): string {
  const values: Record<string, string> = {
    from: new Date(ctx.now - 30 * DAY_MS).toISOString(),
    to: new Date(ctx.now - DAY_MS).toISOString(),
    before: new Date(ctx.now).toISOString(),
    days: '30',
    limit: '10',
    offset: '0',
    includeChildren: 'true',
    interval: 'week',
    sort: 'name',
    order: 'asc',
    owner: 'team-a',
    system: 'shop',
    kind: 'component',
    type: 'service',
    lifecycle: 'production',
    tier: 'high',
    q: 'a',
    format: 'json',
    check: ctx.checks[0],
    profile: ctx.profiles[0],
    entityRef: 'a1',
    source: 'api',
    id: 'x',
  };
  return Object.hasOwn(values, name) ? values[name] : '1';
}

/** A valid value of a scalar parameter, the window's included: half of a duplicate. */
function validParam2(route: SpecRoute, p: SpecParam, ctx: ProbeContext) {
  if (p.name === 'from' || p.name === 'to')
    return styles.map(s => one(p.name, instantIn(ctx.now - 5 * DAY_MS, s)));
  if (p.name !== 'days') return validParam(route, p, ctx);
  const kind = daysKind(route);
  const days =
    kind === 'window'
      ? fc.integer({ min: 1, max: 731 }).map(String)
      : fc.constantFrom(
          ...(kind === 'preset' ? ['30', '90', '180', '365'] : DAYS_ENUM),
        );
  return days.map(d => one('days', d));
}

/** A window that ends before it starts, or spans more than 731 days: `from` is named. */
function badWindow(now: number, valid: Pairs): fc.Arbitrary<Corruption<Pairs>> {
  const rest = valid.filter(([k]) => !WINDOW.includes(k));
  return fc
    .tuple(fc.integer({ min: 0, max: 1000 }), fc.boolean(), styles, styles)
    .map(([n, reversed, a, b]) => {
      const to = now - n * 3_600_000;
      const from = reversed ? to + (n + 1) * 60_000 : to - (732 + n) * DAY_MS;
      return {
        value: [
          ...rest,
          ...one('from', instantIn(from, a)),
          ...one('to', instantIn(to, b)),
        ],
        kind: reversed
          ? 'window ends before it starts'
          : 'window over 731 days',
        names: ['from'],
      };
    });
}

/** The query as sent: keys and values are percent-encoded already. */
export const queryString = (pairs: Pairs) =>
  pairs.map(([k, v]) => `${k}=${v}`).join('&');
