import { gzipSync } from 'zlib';
import fc from 'fast-check';
import {
  clean,
  corruptAssessment,
  corruptBatch,
  validAnswers,
  validDeployment,
  validIncident,
} from './bodies';
import { corruptQuery, ProbeContext, validQuery } from './queries';
import { SpecRoute } from './spec';
import { Bad, Corruption, Req } from './values';

/** A route of the spec: how to ask it something valid, and something with one thing wrong. */
export interface Probe {
  route: string;
  valid: fc.Arbitrary<Req>;
  bad: fc.Arbitrary<Bad>;
}

/** The routes a pipeline's service token calls; users call the others. */
const SERVICE_ROUTES = [
  'POST /deployments',
  'POST /incidents',
  'GET /deployments/base',
  'GET /incidents/stored',
];

/** The entity or group a route's path names: one the catalog has, spelt as callers do. */
const PATH_PARTS = {
  entities: [
    ['component', 'default', 'a1'],
    ['Component', 'default', 'A1'],
    ['component', 'default', 'a2'],
  ],
  owners: [
    ['group', 'default', 'team-a'],
    ['Group', 'default', 'team-b'],
  ],
};
const PARTS = ['kind', 'namespace', 'name'] as const;

const fill = (route: SpecRoute, parts: string[]) =>
  PARTS.reduce((p, part, i) => p.replace(`{${part}}`, parts[i]), route.path);

function validPath(route: SpecRoute): fc.Arbitrary<string[]> {
  if (!route.path.includes('{')) return fc.constant([]);
  const owners = route.path.startsWith('/owners/');
  return fc.constantFrom(...PATH_PARTS[owners ? 'owners' : 'entities']);
}

/**
 * A path part corrupted: a NUL, too long or not decodable are refused naming the path;
 * characters that name no entity of the catalog are a 404 (or a 400 naming the path).
 */
function corruptPath(
  route: SpecRoute,
  parts: string[],
): fc.Arbitrary<Corruption<string>> {
  return fc
    .tuple(
      fc.integer({ min: 0, max: 2 }),
      fc.constantFrom<
        [string, (p: string) => string, Array<string | RegExp>, number[]]
      >(
        ['NUL character', p => `${p}%00`, ['Invalid path', ':'], [400]],
        [
          'string too long',
          () => 'x'.repeat(256),
          ['Invalid path', ':'],
          [400],
        ],
        ['invalid percent-encoding', p => `${p}%`, [/decode param/], [400]],
        ['invalid percent-encoding', p => `${p}%zz`, [/decode param/], [400]],
        [
          'invalid percent-encoding',
          p => `${p}%ED%A0%80`,
          [/decode param/],
          [400],
        ],
        ['invalid percent-encoding', p => `%C3${p}`, [/decode param/], [400]],
        ...[
          ':',
          '%2F',
          '%20',
          'a..b',
          '%C3%A9',
          '@',
          '%23',
          '%3F',
          '~',
          '%3A%2F',
        ].map(
          (
            c,
          ): [
            string,
            (p: string) => string,
            Array<string | RegExp>,
            number[],
          ] => [
            'characters of no entity',
            p => `${p}${c}`,
            [/Invalid path|No catalog entity|No group or owner|^\{/],
            [200, 400, 404],
          ],
        ),
      ),
    )
    .map(([i, [kind, corrupt, names, statuses]]) => ({
      value: fill(
        route,
        parts.map((p, n) => (n === i ? corrupt(p) : p)),
      ),
      kind: `path: ${kind}`,
      names: names.map(n => (n === ':' ? `${PARTS[i]}:` : n)),
      statuses,
      unknownEntity: kind === 'characters of no entity' || undefined,
    }));
}

/**
 * The body sent wrongly: not JSON, or JSON under another content type, charset or encoding.
 */
function corruptTransport(json: string): fc.Arbitrary<{
  body: string | Buffer;
  headers: Record<string, string>;
  kind: string;
  names: Array<string | RegExp>;
  statuses: number[];
}> {
  const asJson = { 'content-type': 'application/json' };
  return fc.oneof(
    fc
      .tuple(fc.nat(), fc.constantFrom('cut', "'", 'NaN', '//', 'x', ',]'))
      .map(([n, how]) => {
        let body: string;
        if (how === 'cut') body = json.slice(0, 1 + (n % (json.length - 1)));
        else if (how === "'") body = json.replace(/"/g, "'");
        else if (how === 'NaN') body = json.replace(/^\{/, '{"n":NaN,');
        else if (how === '//') body = `// a comment\n${json}`;
        else body = `${json}${how}`;
        return {
          body,
          headers: asJson,
          kind: 'body: not JSON',
          names: [/JSON/],
          statuses: [400],
        };
      }),
    fc
      .constantFrom(
        'text/plain',
        'application/x-www-form-urlencoded',
        'application/xml',
        'text/json',
        'application/vnd.api+json',
        'multipart/form-data; boundary=x',
      )
      .map(type => ({
        body: json,
        headers: { 'content-type': type },
        kind: 'body: wrong content type',
        names: [/content-type/i],
        statuses: [400, 415],
      })),
    fc.constantFrom('x-unknown', 'utf-7x', 'ebcdic').map(charset => ({
      body: json,
      headers: { 'content-type': `application/json; charset=${charset}` },
      kind: 'body: unsupported charset',
      names: [/charset/i],
      statuses: [415],
    })),
    fc.constantFrom('compress', 'x-foo', 'zstd').map(encoding => ({
      body: json,
      headers: { ...asJson, 'content-encoding': encoding },
      kind: 'body: unsupported content encoding',
      names: [/encoding/i],
      statuses: [415],
    })),
    fc.constantFrom('gzip', 'deflate').map(encoding => ({
      body: encoding === 'gzip' ? json : gzipSync(json),
      headers: { ...asJson, 'content-encoding': encoding },
      kind: 'body: not compressed as its content encoding says',
      names: [/encoding|compress/i],
      statuses: [400],
    })),
  );
}

function validBody(route: SpecRoute, ctx: ProbeContext) {
  if (route.key === 'POST /deployments' || route.key === 'POST /incidents') {
    const item =
      route.key === 'POST /deployments'
        ? validDeployment(ctx.now)
        : validIncident(ctx.now);
    return fc
      .array(item, { minLength: 1, maxLength: 4 })
      .map(items => ({ items: items.map(clean) }));
  }
  if (route.key === 'PUT /entities/{kind}/{namespace}/{name}/calms/assessment')
    return validAnswers(ctx.questions).map(answers => ({ answers }));
  throw new Error(`No body for ${route.key}`);
}

function corruptBody(
  route: SpecRoute,
  ctx: ProbeContext,
  body: any,
): fc.Arbitrary<Corruption<string>> {
  if (route.method === 'PUT')
    return corruptAssessment(body.answers, ctx.questions);
  const type = route.key === 'POST /deployments' ? 'deployment' : 'incident';
  return corruptBatch(type, body.items, ctx.now).map(c => ({
    ...c,
    value: JSON.stringify(c.value),
  }));
}

/** A probe of each operation of the spec. */
export function probesOf(routes: SpecRoute[], ctx: ProbeContext): Probe[] {
  return routes.map(route => {
    const auth = SERVICE_ROUTES.includes(route.key) ? 'service' : 'user';
    const base = fc.record({
      parts: validPath(route),
      query: validQuery(route, ctx),
      body: route.hasBody
        ? validBody(route, ctx).map(b => b as any)
        : fc.constant(undefined),
    });
    const req = (b: {
      parts: string[];
      query: Array<[string, string]>;
      body?: unknown;
    }): Req => ({
      method: route.method,
      path: fill(route, b.parts),
      query: b.query,
      body: b.body === undefined ? undefined : JSON.stringify(b.body),
      headers:
        b.body === undefined
          ? undefined
          : { 'content-type': 'application/json' },
      auth,
    });
    const bad = base.chain(b => {
      const valid = req(b);
      const choices: Array<{ arbitrary: fc.Arbitrary<Bad>; weight: number }> = [
        {
          weight: route.hasBody ? 1 : 6,
          arbitrary: corruptQuery(route, ctx, b.query).map(c => ({
            req: { ...valid, query: c.value },
            kind: `query: ${c.kind}`,
            names: c.names,
            statuses: c.statuses ?? [400],
          })),
        },
      ];
      if (b.parts.length)
        choices.push({
          weight: 1,
          arbitrary: corruptPath(route, b.parts).map(c => ({
            req: { ...valid, path: c.value },
            kind: c.kind,
            names: c.names,
            statuses: c.statuses ?? [400],
            unknownEntity: c.unknownEntity,
          })),
        });
      if (route.hasBody)
        choices.push(
          {
            weight: 8,
            arbitrary: corruptBody(route, ctx, b.body).map(c => ({
              req: { ...valid, body: c.value },
              kind: `body: ${c.kind}`,
              names: c.names,
              statuses: c.statuses ?? [400],
            })),
          },
          {
            weight: 2,
            arbitrary: corruptTransport(valid.body as string).map(t => ({
              req: { ...valid, body: t.body, headers: t.headers },
              kind: t.kind,
              names: t.names,
              statuses: t.statuses,
            })),
          },
        );
      return fc.oneof(...choices);
    });
    return { route: route.key, valid: base.map(req), bad };
  });
}
