import fc from 'fast-check';
import { readInstant } from '@devops-maturity/backstage-plugin-common';
import {
  badInstants,
  Corruption,
  DAY_MS,
  freshId,
  INSTANT_STYLES,
  instantIn,
  loneSurrogate,
  nestedGarbage,
  withInserted,
  word,
  wrongType,
} from './values';

/** A field of a pushed item as the spec and the validation take it. */
type Field =
  | { type: 'text'; max: number; min: 0 | 1 }
  | { type: 'instant'; nullable?: boolean }
  | { type: 'enum'; values: string[] }
  | { type: 'url' }
  | { type: 'bool' }
  | { type: 'record'; keyMax: number; valueMax: number; valueMin: 0 | 1 }
  | { type: 'commits' };

const text = (max: number): Field => ({ type: 'text', max, min: 1 });
const instant: Field = { type: 'instant' };
const IDENTITY: Record<string, Field> = {
  entityRef: text(255),
  annotations: { type: 'record', keyMax: 200, valueMax: 500, valueMin: 1 },
};

export const DEPLOYMENT_FIELDS: Record<string, Field> = {
  id: text(255),
  source: text(100),
  ...IDENTITY,
  environment: text(100),
  status: { type: 'enum', values: ['success', 'failure'] },
  startedAt: instant,
  finishedAt: instant,
  updatedAt: instant,
  commits: { type: 'commits' },
  commitsComplete: { type: 'bool' },
  kind: { type: 'enum', values: ['normal', 'rollback', 'hotfix'] },
  fixes: text(255),
  version: text(255),
  sha: text(100),
  url: { type: 'url' },
  actor: text(255),
  labels: { type: 'record', keyMax: 200, valueMax: 500, valueMin: 0 },
};
const DEPLOYMENT_REQUIRED = ['id', 'environment', 'status', 'finishedAt'];

export const INCIDENT_FIELDS: Record<string, Field> = {
  id: text(255),
  source: text(100),
  ...IDENTITY,
  openedAt: instant,
  resolvedAt: { type: 'instant', nullable: true },
  updatedAt: instant,
  severity: text(100),
  title: text(1000),
  url: { type: 'url' },
  postmortemUrl: { type: 'url' },
  deploymentId: text(255),
  causeSha: text(100),
};
const INCIDENT_REQUIRED = ['id', 'openedAt'];

type Item = Record<string, unknown>;
const styles = fc.integer({ min: 0, max: INSTANT_STYLES - 1 });
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const HOUR = 3_600_000;

const identity = fc.oneof(
  fc
    .constantFrom(
      'component:default/a1',
      'a1',
      'default/a1',
      'Component:default/A1',
    )
    .map(entityRef => ({ entityRef })),
  word(4, 12).map(n => ({ entityRef: `component:default/not-${n}` })),
  fc.constant({ annotations: { 'github.com/project-slug': 'acme/a1' } }),
);
const label = fc.dictionary(word(1, 10), word(0, 10), { maxKeys: 3 });
const link = word(1, 20).map(p => `https://ci.example.com/${p}`);

/** A valid deployment finished in the last 300 days, with any of its optional fields. */
export const validDeployment = (now: number): fc.Arbitrary<Item> =>
  fc
    .record({
      id: freshId,
      source: maybe(word(1, 20)),
      identity,
      environment: fc.constantFrom('production', 'staging'),
      status: fc.constantFrom('success', 'failure'),
      finished: fc.integer({ min: 1, max: 300 * 24 }).map(h => now - h * HOUR),
      took: maybe(fc.integer({ min: 60_000, max: 2 * HOUR })),
      updated: maybe(fc.integer({ min: 0, max: HOUR })),
      commits: maybe(
        fc.array(fc.tuple(word(7, 40), fc.integer({ min: 1, max: 30 * 24 })), {
          maxLength: 3,
        }),
      ),
      commitsComplete: maybe(fc.boolean()),
      kind: maybe(fc.constantFrom('normal', 'rollback', 'hotfix')),
      fixes: maybe(word()),
      version: maybe(word()),
      sha: maybe(word(7, 40)),
      url: maybe(link),
      actor: maybe(word()),
      labels: maybe(label),
      style: styles,
    })
    .map(
      ({
        identity: who,
        finished,
        took,
        updated,
        commits,
        style,
        ...rest
      }) => ({
        ...rest,
        ...who,
        finishedAt: instantIn(finished, style),
        startedAt:
          took === undefined
            ? undefined
            : instantIn(finished - took, style + 1),
        updatedAt:
          updated === undefined
            ? undefined
            : instantIn(finished + updated, style + 2),
        commits: commits?.map(([sha, h]) => ({
          sha,
          committedAt: instantIn(finished - h * HOUR, style),
        })),
      }),
    );

/** A valid incident opened in the last 300 days, open or resolved. */
export const validIncident = (now: number): fc.Arbitrary<Item> =>
  fc
    .record({
      id: freshId,
      source: maybe(word(1, 20)),
      identity,
      opened: fc.integer({ min: 2, max: 300 * 24 }).map(h => now - h * HOUR),
      resolved: maybe(fc.integer({ min: 60_000, max: HOUR })),
      resolvedNull: fc.boolean(),
      updated: maybe(fc.integer({ min: 0, max: HOUR })),
      severity: maybe(fc.constantFrom('sev1', 'P2', 'critical')),
      title: maybe(word(1, 40)),
      url: maybe(link),
      postmortemUrl: maybe(link),
      deploymentId: maybe(word()),
      causeSha: maybe(word(7, 40)),
      style: styles,
    })
    .map(
      ({
        identity: who,
        opened,
        resolved,
        resolvedNull,
        updated,
        style,
        ...rest
      }) => ({
        ...rest,
        ...who,
        openedAt: instantIn(opened, style),
        resolvedAt: resolvedAt(opened, resolved, resolvedNull, style),
        updatedAt:
          updated === undefined
            ? undefined
            : instantIn(opened + updated, style),
      }),
    );

/** An incident's resolution: a time after it opened, or null or absent while open. */
function resolvedAt(
  opened: number,
  resolved: number | undefined,
  asNull: boolean,
  style: number,
) {
  if (resolved !== undefined) return instantIn(opened + resolved, style + 3);
  return asNull ? null : undefined;
}

/** Drops the fields left undefined, as JSON would. */
export const clean = (item: Item): Item => JSON.parse(JSON.stringify(item));

const REMOVE = Symbol('remove');
type Value = unknown | typeof REMOVE;
type FieldBad = Corruption<Value> & { subPath?: string };

/** What is wrong with a string: too long, empty, a lone surrogate, a NUL, another type. */
function badText(
  field: Extract<Field, { type: 'text' }>,
): fc.Arbitrary<FieldBad> {
  return fc.oneof(
    word(1, 1).map(c => ({
      value: c.repeat(field.max + 1),
      kind: 'string too long',
      names: [],
    })),
    ...(field.min
      ? [fc.constant<FieldBad>({ value: '', kind: 'empty string', names: [] })]
      : []),
    loneSurrogate
      .chain(s => withInserted(word(), s))
      .map(value => ({ value, kind: 'lone surrogate', names: [] })),
    withInserted(word(), '\u0000').map(value => ({
      value,
      kind: 'NUL character',
      names: [],
    })),
    wrongType(['string']).map(value => ({
      value,
      kind: 'wrong type',
      names: [],
    })),
  );
}

function badField(field: Field, now: number): fc.Arbitrary<FieldBad> {
  const typed = (allowed: Array<'string' | 'null' | 'number'>) =>
    wrongType(allowed).map(value => ({ value, kind: 'wrong type', names: [] }));
  switch (field.type) {
    case 'text':
      return badText(field);
    case 'instant':
      return fc.oneof(
        badInstants(now).map(([kind, value]) => ({ value, kind, names: [] })),
        fc.constant<FieldBad>({
          value: now,
          kind: 'epoch number instead of a time',
          names: [],
        }),
        typed(field.nullable ? ['string', 'null'] : ['string']),
      );
    case 'enum':
      return fc.oneof(
        word(1, 10)
          .filter(v => !field.values.includes(v))
          .map(value => ({ value, kind: 'value outside the set', names: [] })),
        fc.constantFrom(...field.values).map(v => ({
          value: v.toUpperCase(),
          kind: 'value outside the set',
          names: [],
        })),
        typed(['string']),
      );
    case 'url':
      return fc.oneof(
        fc
          .constantFrom(
            ['javascript', 'alert(1)'].join(':'),
            'data:text/html,<b>x</b>',
            'ftp://example.com/x',
            'mailto:a@example.com',
          )
          .map(value => ({ value, kind: 'not an http(s) link', names: [] })),
        fc
          .constantFrom('not a url', 'https://', '//example.com/x')
          .map(value => ({ value, kind: 'not a URL', names: [] })),
        fc.constant<FieldBad>({
          value: `https://example.com/${'x'.repeat(1981)}`,
          kind: 'string too long',
          names: [],
        }),
        withInserted(link, '\u0000').map(value => ({
          value,
          kind: 'NUL character',
          names: [],
        })),
        typed(['string']),
      );
    case 'bool':
      return fc.oneof(
        fc
          .constantFrom('true', 'false', 1, 0, 'yes')
          .map(value => ({ value, kind: 'wrong type', names: [] })),
        typed(['string', 'number']).filter(v => typeof v.value !== 'boolean'),
      );
    case 'record':
      return badRecord(field);
    case 'commits':
      return badCommits(now);
    default:
      throw new Error('unknown field type');
  }
}

function badRecord(
  field: Extract<Field, { type: 'record' }>,
): fc.Arbitrary<FieldBad> {
  const entry = (
    kind: string,
    key: fc.Arbitrary<string>,
    value: fc.Arbitrary<unknown>,
  ) =>
    fc.tuple(key, value).map(([k, v]) => ({
      value: { ok: 'v', [k]: v },
      kind,
      names: [],
      subPath: `.${k}`,
    }));
  return fc.oneof(
    fc
      .constantFrom<unknown>([], 'a=b', 3, null, ['a', 'b'])
      .map(value => ({ value, kind: 'not an object', names: [] })),
    entry('wrong type', word(), wrongType(['string'])),
    entry('string too long', fc.constant('x'.repeat(field.keyMax + 1)), word()),
    entry(
      'string too long',
      word(),
      fc.constant('v'.repeat(field.valueMax + 1)),
    ),
    entry(
      'lone surrogate',
      loneSurrogate.chain(s => withInserted(word(), s)),
      word(),
    ),
    entry('NUL character', word(), withInserted(word(), '\u0000')),
    ...(field.valueMin ? [entry('empty string', word(), fc.constant(''))] : []),
  );
}

function badCommits(now: number): fc.Arbitrary<FieldBad> {
  const commit = {
    sha: 'abc1234',
    committedAt: new Date(now - DAY_MS).toISOString(),
  };
  const at = (kind: string, sub: string, value: unknown): FieldBad => ({
    value,
    kind,
    names: [],
    subPath: sub,
  });
  return fc.oneof(
    wrongType([])
      .filter(v => !Array.isArray(v))
      .map(value => at('wrong type', '', value)),
    fc
      .constantFrom<unknown>(null, 'abc', 7, [commit])
      .map(v => at('not an object', '[1]', [commit, v])),
    fc.constantFrom('sha', 'committedAt').map(f => {
      const c: Record<string, string> = { ...commit };
      delete c[f];
      return at('required field missing', `[0].${f}`, [c]);
    }),
    word(1, 8).map(k =>
      at('unknown field', '[0]', [{ ...commit, [`x${k}`]: 1 }]),
    ),
    badInstants(now).map(([kind, v]) =>
      at(kind, '[0].committedAt', [{ ...commit, committedAt: v }]),
    ),
    badText({ type: 'text', max: 100, min: 1 }).map(b =>
      at(b.kind, '[0].sha', [{ ...commit, sha: b.value }]),
    ),
    fc.constant(
      at(
        'array too long',
        '',
        Array.from({ length: 10_001 }, () => commit),
      ),
    ),
  );
}

/**
 * A valid batch with one thing wrong in one item: a field corrupted, a required field
 * missing, a field of no item, the item no object, or no identity; or the batch itself
 * wrong. Names the field as the answer must: `items[3].finishedAt`.
 */
export function corruptBatch(
  type: 'deployment' | 'incident',
  items: Item[],
  now: number,
): fc.Arbitrary<Corruption<unknown>> {
  const fields = type === 'deployment' ? DEPLOYMENT_FIELDS : INCIDENT_FIELDS;
  const required =
    type === 'deployment' ? DEPLOYMENT_REQUIRED : INCIDENT_REQUIRED;
  const withItem = (i: number, item: unknown) => ({
    items: items.map((it, n) => (n === i ? item : it)),
  });
  const index = fc.integer({ min: 0, max: items.length - 1 });
  const inItem = fc
    .tuple(index, fc.constantFrom(...Object.keys(fields)))
    .chain(([i, f]) =>
      badField(fields[f], now).map(b => {
        const item = { ...items[i], [f]: b.value };
        // An identity field corrupted must not leave the other one to identify the entity.
        if (f === 'entityRef') delete item.annotations;
        if (f === 'annotations') delete item.entityRef;
        return {
          value: withItem(i, item),
          kind: `a field: ${b.kind}`,
          names: [`items[${i}].${f}${b.subPath ?? ''}`],
        };
      }),
    );
  const cross = index.chain(i => {
    const item = items[i];
    if (type === 'deployment')
      return fc.constant<Corruption<unknown>>({
        value: withItem(i, {
          ...item,
          startedAt: new Date(
            readInstant(String(item.finishedAt))! + HOUR,
          ).toISOString(),
        }),
        kind: 'startedAt after finishedAt',
        names: [`items[${i}].startedAt`],
      });
    return fc.constant<Corruption<unknown>>({
      value: withItem(i, {
        ...item,
        resolvedAt: new Date(
          readInstant(String(item.openedAt))! - HOUR,
        ).toISOString(),
      }),
      kind: 'resolvedAt before openedAt',
      names: [`items[${i}].resolvedAt`],
    });
  });
  return fc.oneof<
    Array<
      | fc.Arbitrary<Corruption<unknown>>
      | fc.WeightedArbitrary<Corruption<unknown>>
    >
  >(
    { arbitrary: inItem, weight: 8 },
    fc.tuple(index, fc.constantFrom(...required)).map(([i, f]) => {
      const { [f]: _gone, ...item } = items[i];
      return {
        value: withItem(i, item),
        kind: 'required field missing',
        names: [`items[${i}].${f}`],
      };
    }),
    fc
      .tuple(index, fc.constantFrom('entityRef', 'annotations'))
      .map(([i, keep]) => {
        const { entityRef: _r, annotations: _a, ...item } = items[i];
        const value =
          keep === 'annotations' ? { ...item, annotations: {} } : item;
        return {
          value: withItem(i, value),
          kind: 'no identity',
          names: [`items[${i}].entityRef`],
        };
      }),
    fc
      .tuple(
        index,
        fc.oneof(
          word(1, 10).map(k => `x${k}`),
          fc.constantFrom('__proto__', 'entity', 'finished_at', 'Id'),
        ),
      )
      .map(([i, k]) => {
        const item = { ...items[i] };
        Object.defineProperty(item, k, { value: 'v', enumerable: true });
        return {
          value: withItem(i, item),
          kind: 'unknown field',
          names: [`items[${i}]`, `'${k}'`],
        };
      }),
    fc
      .tuple(
        index,
        fc.oneof(
          fc.constantFrom<unknown>(null, 7, 'item', [], true),
          nestedGarbage(40),
        ),
      )
      .map(([i, v]) => ({
        value: withItem(i, v),
        kind: 'item not an object',
        names: [`items[${i}]`],
      })),
    cross,
    ...corruptBatchShape(items),
  );
}

/** The body's shape wrong: `items` missing, empty, not an array or too long; a key of no body. */
function corruptBatchShape(
  items: Item[],
): Array<fc.Arbitrary<Corruption<unknown>>> {
  return [
    fc
      .constantFrom<[string, unknown]>(
        ['items missing', {}],
        ['items empty', { items: [] }],
        ['items not an array', { items: items[0] }],
        ['items not an array', { items: 'all' }],
        ['items not an array', { items: null }],
        [
          'items too long (1,001)',
          { items: Array.from({ length: 1001 }, () => items[0]) },
        ],
      )
      .map(([kind, value]) => ({ value, kind, names: ['items'] })),
    nestedGarbage(200).map(v => ({
      value: { items: v },
      kind: 'items nested garbage',
      names: ['items'],
    })),
    word(1, 8).map(k => ({
      value: { items, [`x${k}`]: true },
      kind: 'unknown field',
      names: [`'x${k}'`],
    })),
    fc.constant<Corruption<unknown>>({
      value: [{ items }],
      kind: 'body not an object',
      names: ['body'],
    }),
  ];
}

/** Every question answered 1 to 5. */
export const validAnswers = (questions: string[]) =>
  fc
    .array(fc.integer({ min: 1, max: 5 }), {
      minLength: questions.length,
      maxLength: questions.length,
    })
    .map(vs => Object.fromEntries(questions.map((q, i) => [q, vs[i]])));

/**
 * A valid assessment with one thing wrong: an answer out of range or of another type, a
 * question missing, a question of no questionnaire, or `answers` no object.
 */
export function corruptAssessment(
  answers: Record<string, number>,
  questions: string[],
): fc.Arbitrary<Corruption<string>> {
  const q = fc.constantFrom(...questions);
  const body = (a: unknown) => JSON.stringify({ answers: a });
  return fc.oneof(
    fc
      .tuple(
        q,
        fc.constantFrom<unknown>(0, 6, -1, 100, 2.5, '3', null, true, [3], {
          v: 3,
        }),
      )
      .map(([id, v]) => ({
        value: body({ ...answers, [id]: v }),
        kind: 'answer out of range or wrong type',
        names: [`answers.${id}`],
      })),
    q.map(id => ({
      value: body(answers).replace(`"${id}":${answers[id]}`, `"${id}":1e400`),
      kind: 'answer out of range or wrong type',
      names: [`answers.${id}`],
    })),
    q.map(id => {
      const { [id]: _gone, ...rest } = answers;
      return {
        value: body(rest),
        kind: 'question missing',
        names: [`answers.${id}`],
      };
    }),
    fc
      .oneof(
        word(1, 12).map(w => `culture.${w}`),
        fc.constantFrom(
          '__proto__',
          'toString',
          'constructor',
          'Culture.shared-goals',
        ),
        loneSurrogate.map(s => `x${s}`),
        fc.constant('a\u0000b'),
      )
      .filter(k => !questions.includes(k))
      .map(k => {
        const a = { ...answers };
        Object.defineProperty(a, k, { value: 3, enumerable: true });
        return {
          value: body(a),
          kind: 'unknown question',
          names: [`answers.${k}`],
        };
      }),
    fc.constantFrom<unknown>([3, 3], 'all 5', 5, null, true).map(a => ({
      value: body(a),
      kind: 'answers not an object',
      names: ['answers'],
    })),
    fc.constant<Corruption<string>>({
      value: '{}',
      kind: 'answers missing',
      names: ['answers'],
    }),
  );
}
