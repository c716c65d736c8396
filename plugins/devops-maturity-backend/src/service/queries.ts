import { z } from 'zod';
import { InputError } from '@backstage/errors';
import { parseEntityRef } from '@backstage/catalog-model';
import { readInstant } from '@devops-maturity/backstage-plugin-common';
import { SORT_KEYS } from './ranking';
import { instant, MAX_ENTITY_REF_LENGTH, safeString, text } from './validation';
import { normalizeEntityRef } from './IngestService';

// Every string of a query is checked as the push API's are (valid Unicode, no NUL, bounded):
// PostgreSQL refuses a NUL in a comparison as it does in a column.
const list = z
  .union([safeString(2000), z.array(safeString(2000)).max(100)])
  .transform(v =>
    (Array.isArray(v) ? v : [v])
      .flatMap(s => s.split(','))
      .map(s => s.trim())
      .filter(Boolean),
  );
/** Whether `ref` reads as an entity ref: `name`, `namespace/name` or `kind:namespace/name`. */
const isRef = (ref: string) => {
  try {
    parseEntityRef(ref, { defaultKind: 'group', defaultNamespace: 'default' });
    return true;
  } catch {
    return false;
  }
};
const refList = list.pipe(
  z.array(
    z
      .string()
      .max(255)
      .refine(isRef, 'must be entity refs ([kind:][namespace/]name)'),
  ),
);
const bool = z.enum(['true', 'false']).transform(v => v === 'true');
const int = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().min(min).max(max));

const windowQuery = {
  from: instant.optional(),
  to: instant.optional(),
  days: int(1, 731).optional(),
  profile: safeString(100).optional(),
};

// Every query schema is strict: a parameter a route does not know (a misspelt `dayz`, a
// `days` where only `from`/`to` apply) is a 400 naming it, never silently ignored.
/** A route that takes no query: any parameter is one it does not know. */
export const noQuery = z.object({}).strict();
/** An entity's figures over a window: its DORA metrics, maturity and CALMS. */
export const entityWindowQuery = z.object(windowQuery).strict();
/** A team's figures over a window, with its sub-teams' entities unless includeChildren=false. */
export const doraQuery = z
  .object({
    ...windowQuery,
    includeChildren: bool.optional(),
  })
  .strict();
export const trendQuery = z
  .object({
    ...windowQuery,
    interval: z.enum(['week', 'month']).default('week'),
  })
  .strict();
const paging = {
  limit: int(1, 500).default('50'),
  offset: int(0, 10_000_000).default('0'),
};
/** A page of an entity's deployments or incidents, within a window when one is given. */
export const eventPageQuery = z
  .object({
    ...paging,
    from: windowQuery.from,
    to: windowQuery.to,
    days: windowQuery.days,
  })
  .strict();
/** An entity's maturity history: the last 90, 180 or 365 days (the chart's choices). */
export const maturityHistoryQuery = z
  .object({
    days: z
      .enum(['90', '180', '365'], {
        errorMap: () => ({ message: 'must be 90, 180 or 365' }),
      })
      .default('90')
      .transform(Number),
  })
  .strict();
/** A team's weekly history: the last 90, 180 or 365 days, as the entity history's chart. */
export const ownerHistoryQuery = z
  .object({
    days: maturityHistoryQuery.shape.days,
    profile: windowQuery.profile,
    includeChildren: bool.optional(),
  })
  .strict();
/** Golden-path health: kept for preset windows only, so `days` and a profile. */
export const goldenPathQuery = z
  .object({ days: windowQuery.days, profile: windowQuery.profile })
  .strict();
/** A page of unmatched events (they have no window). */
export const unmatchedQuery = z.object(paging).strict();
export const scorecardQuery = z
  .object({
    ...windowQuery,
    limit: int(1, 10_000).default('100'),
    offset: int(0, 10_000_000).default('0'),
    sort: z
      .enum(Object.keys(SORT_KEYS) as [keyof typeof SORT_KEYS])
      .default('overallTier'),
    order: z.enum(['asc', 'desc']).default('desc'),
    owner: refList.optional(),
    includeChildren: bool.optional(),
    system: refList.optional(),
    kind: list.optional(),
    type: list.optional(),
    lifecycle: list.optional(),
    tier: z
      .union([z.string(), z.array(z.string())])
      .pipe(list)
      .pipe(z.array(z.enum(['elite', 'high', 'medium', 'low', 'none'])))
      .optional(),
    q: safeString(200).optional(),
    format: z.enum(['json', 'csv']).optional(),
  })
  .strict();
/** The team ranking: the entity ranking's query without the filters of entities. */
export const ownerScorecardQuery = scorecardQuery
  .omit({ owner: true, system: true, kind: true, type: true, lifecycle: true })
  .strict();
/** The services behind a cell (check and team) or a column (check) of the golden-path matrix. */
export const goldenPathFailingQuery = z
  .object({
    days: windowQuery.days,
    profile: windowQuery.profile,
    check: safeString(200),
    owner: safeString(255)
      .refine(isRef, 'must be an entity ref ([kind:][namespace/]name)')
      .optional(),
    format: z.enum(['json', 'csv']).optional(),
  })
  .strict();

/**
 * A pipeline's question before it reports a deployment: the entity (normalised as the push API
 * resolves refs), the deployment's `source` (the push API's default) and `id` as the push API
 * takes them, and an optional instant to look before.
 */
const pushedEntityRef = text(MAX_ENTITY_REF_LENGTH).transform((ref, ctx) => {
  try {
    return normalizeEntityRef(ref);
  } catch {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message: 'must be an entity ref ([kind:][namespace/]name)',
    });
    return z.NEVER;
  }
});

export const deploymentBaseQuery = z
  .object({
    entityRef: pushedEntityRef,
    source: text(100).default('api'),
    id: text(255).optional(),
    before: instant.transform(v => readInstant(v)!).optional(),
  })
  .strict();

/** An incident a pipeline is about to report again: the entity, and its source and id. */
export const storedIncidentQuery = z
  .object({
    entityRef: pushedEntityRef,
    source: text(100).default('api'),
    id: text(255),
  })
  .strict();

/** Parses a query string, or throws an InputError naming each bad parameter. */
export function parseQuery<T extends z.ZodTypeAny>(
  schema: T,
  query: unknown,
): z.infer<T> {
  const result = schema.safeParse(query);
  if (result.success) return result.data;
  throw new InputError(
    `Invalid query: ${result.error.issues
      .map(i => `${i.path.join('.') || 'query'}: ${i.message}`)
      .join('; ')}`,
  );
}

/** A path's entity ref, `/:kind/:namespace/:name`, normalised; or an InputError naming the part. */
export function entityRefOfPath(params: {
  kind: string;
  namespace: string;
  name: string;
}): string {
  const parts = z
    .object({
      kind: safeString(255),
      namespace: safeString(255),
      name: safeString(255),
    })
    .safeParse(params);
  if (!parts.success) {
    throw new InputError(
      `Invalid path: ${parts.error.issues
        .map(i => `${i.path.join('.')}: ${i.message}`)
        .join('; ')}`,
    );
  }
  const { kind, namespace, name } = parts.data;
  try {
    return normalizeEntityRef(`${kind}:${namespace}/${name}`);
  } catch {
    throw new InputError(
      `Invalid path: ${kind}:${namespace}/${name} is not an entity ref`,
    );
  }
}
