import { z } from 'zod';
import { InputError } from '@backstage/errors';
import { readInstant } from '@devops-maturity/backstage-plugin-common';

// A lone UTF-16 surrogate is no Unicode text: each database stores it differently (SQLite as
// U+FFFD, breaking lookups by the same string; PostgreSQL as invalid UTF-8), and PostgreSQL's
// text cannot hold NUL at all. Such strings are refused, never stored.
const LONE_SURROGATE = /\p{Cs}/u;
const STORABLE_MESSAGE =
  'must be valid Unicode text (no lone surrogate, no NUL character)';
/** Whether a string can be stored and read back as given on every supported database. */
export const isStorable = (v: string) =>
  !LONE_SURROGATE.test(v) && !v.includes('\u0000');
/** Any string the API takes, of at most `max` characters: storable as given. */
export const safeString = (max: number) =>
  z.string().max(max).refine(isStorable, STORABLE_MESSAGE);

/** A time as the API takes it: read by the one parser the store and the math use. */
export const instant = z.string().refine(v => readInstant(v) !== undefined, {
  message:
    'must be an ISO-8601 date-time with an offset (Z, +hh:mm, +hhmm or +hh), e.g. 2026-01-31T12:00:00Z',
});
/** Whether time `a` is before `b`; false if either is not a time (refused on its own). */
const isBefore = (a: string, b: string) =>
  (readInstant(a) ?? NaN) < (readInstant(b) ?? NaN);
/**
 * A non-empty string of at most `max` characters. The limits of strings stored in
 * `varchar(255)` columns are 255 at most (the migrations' `string()`), so a valid item is
 * never refused by the database.
 */
export const text = (max = 1000) =>
  z
    .string()
    .min(1, 'must not be empty')
    .max(max)
    .refine(isStorable, STORABLE_MESSAGE);
/** A link shown to users: http(s) only, never `javascript:` or `data:`. */
const webUrl = z
  .string()
  .max(2000)
  .url()
  .refine(isStorable, STORABLE_MESSAGE)
  .refine(v => /^https?:\/\//i.test(v), 'must be an http or https URL');

/**
 * The longest entity ref the API takes: the stored ref columns are `varchar(255)`. A valid
 * catalog ref is shorter anyway (kind, namespace and name are at most 63 characters each).
 */
export const MAX_ENTITY_REF_LENGTH = 255;

/**
 * How an event names its entity: a catalog ref, or annotations the entity carries
 * (e.g. `{ "github.com/project-slug": "acme/payments-api" }`).
 */
const identity = {
  entityRef: text(MAX_ENTITY_REF_LENGTH).optional(),
  annotations: z.record(text(200), text(500)).optional(),
};

const IDENTITY_REQUIRED =
  'is required (or annotations that identify the entity)';

function requireIdentity(
  item: { entityRef?: string; annotations?: Record<string, string> },
  ctx: z.RefinementCtx,
) {
  if (
    !item.entityRef &&
    !(item.annotations && Object.keys(item.annotations).length)
  ) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['entityRef'],
      message: IDENTITY_REQUIRED,
    });
  }
}

export const deploymentItemSchema = z
  .object({
    id: text(255),
    source: text(100).default('api'),
    ...identity,
    environment: text(100),
    status: z.enum(['success', 'failure']),
    startedAt: instant.optional(),
    finishedAt: instant,
    updatedAt: instant.optional(),
    commits: z
      .array(z.object({ sha: text(100), committedAt: instant }).strict())
      .max(10_000)
      .optional(),
    commitsComplete: z.boolean().optional(),
    kind: z.enum(['normal', 'rollback', 'hotfix']).default('normal'),
    fixes: text(255).optional(),
    version: text(255).optional(),
    sha: text(100).optional(),
    url: webUrl.optional(),
    actor: text(255).optional(),
    labels: z.record(safeString(200), safeString(500)).optional(),
  })
  .strict()
  .superRefine((item, ctx) => {
    requireIdentity(item, ctx);
    if (item.startedAt && isBefore(item.finishedAt, item.startedAt)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['startedAt'],
        message: 'must not be after finishedAt',
      });
    }
  })
  // A deployment without `commits` did not say what it brought: its lead-time coverage is
  // partial. One with them is complete unless it says otherwise.
  .transform(({ commits, commitsComplete, ...item }) => ({
    ...item,
    commits: commits ?? [],
    commitsComplete: commits !== undefined && commitsComplete !== false,
  }));

export const incidentItemSchema = z
  .object({
    id: text(255),
    source: text(100).default('api'),
    ...identity,
    openedAt: instant,
    resolvedAt: instant.nullable().optional(),
    updatedAt: instant.optional(),
    severity: text(100).optional(),
    title: text(1000).optional(),
    url: webUrl.optional(),
    postmortemUrl: webUrl.optional(),
    deploymentId: text(255).optional(),
    causeSha: text(100).optional(),
  })
  .strict()
  .superRefine((item, ctx) => {
    requireIdentity(item, ctx);
    if (item.resolvedAt && isBefore(item.resolvedAt, item.openedAt)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['resolvedAt'],
        message: 'must not be before openedAt',
      });
    }
  });

export type DeploymentItem = z.infer<typeof deploymentItemSchema>;
export type IncidentItem = z.infer<typeof incidentItemSchema>;

/**
 * Refuses a body sent as anything but JSON. express.json reads `application/json` only, so
 * such a body arrives empty, and would be refused as if its fields were missing.
 */
export function requireJsonBody(req: {
  is(type: string): string | false | null;
  headers: { 'content-type'?: string };
}) {
  if (req.is('application/json') === false) {
    throw new InputError(
      `Content-Type: must be application/json, not ${req.headers['content-type']}`,
    );
  }
}

/** The most items one request may carry. */
export const MAX_BATCH_ITEMS = 1000;

function batchSchema<T extends z.ZodTypeAny>(item: T) {
  return z
    .object({
      items: z
        .array(item)
        .min(1, `must hold 1 to ${MAX_BATCH_ITEMS} items`)
        .max(MAX_BATCH_ITEMS, `must hold 1 to ${MAX_BATCH_ITEMS} items`),
    })
    .strict();
}

function formatPath(path: (string | number)[]): string {
  return path.reduce<string>((out, part) => {
    if (typeof part === 'number') return `${out}[${part}]`;
    return out ? `${out}.${part}` : part;
  }, '');
}

/** The instants an event may carry, in epoch ms: a time outside is a mistake of its sender. */
export interface EventTimeRange {
  earliest: number;
  latest: number;
}

/** `devopsMaturity.events.earliest`'s default: no DORA history goes back further. */
export const DEFAULT_EARLIEST_EVENT_TIME = Date.parse('2000-01-01T00:00:00Z');
/** `devopsMaturity.events.futureTolerance`'s default: clocks run a little ahead, not more. */
export const DEFAULT_EVENT_FUTURE_TOLERANCE_MS = 86_400_000;

/** The default range at `now`: from 2000-01-01 to a day after now. */
export const defaultEventTimeRange = (now: number): EventTimeRange => ({
  earliest: DEFAULT_EARLIEST_EVENT_TIME,
  latest: now + DEFAULT_EVENT_FUTURE_TOLERANCE_MS,
});

const ITEM_TIMES = [
  'startedAt',
  'finishedAt',
  'updatedAt',
  'openedAt',
  'resolvedAt',
] as const;

/**
 * The raw items' readable times outside `range`, by index and field. Read from the raw items
 * (as the identity rule) so that a batch with other problems names these too.
 */
function timeRangeIssues(rawItems: unknown[], range: EventTimeRange) {
  const bounds = `must be from ${new Date(
    range.earliest,
  ).toISOString()} to ${new Date(range.latest).toISOString()}`;
  const outside = (v: unknown) => {
    const ms = typeof v === 'string' ? readInstant(v) : undefined;
    return ms !== undefined && (ms < range.earliest || ms > range.latest);
  };
  return rawItems.flatMap((raw, index) => {
    if (typeof raw !== 'object' || raw === null) return [];
    const it = raw as Record<string, unknown>;
    const issues = ITEM_TIMES.filter(
      f => Object.hasOwn(it, f) && outside(it[f]),
    ).map(f => `items[${index}].${f}: ${bounds}`);
    if (Array.isArray(it.commits)) {
      it.commits.forEach((c, n) => {
        if (outside((c as { committedAt?: unknown } | null)?.committedAt))
          issues.push(`items[${index}].commits[${n}].committedAt: ${bounds}`);
      });
    }
    return issues;
  });
}

/**
 * Parses a request body, or throws an InputError naming every bad item by index and field.
 * Times must lie in `range`; without one, the default range at the real clock's now.
 */
export function parseBatch<T extends z.ZodTypeAny>(
  item: T,
  body: unknown,
  range: EventTimeRange = defaultEventTimeRange(Date.now()),
): z.infer<T>[] {
  const result = batchSchema(item).safeParse(body);
  const rawItems = (body as { items?: unknown })?.items;
  const timeIssues = timeRangeIssues(
    Array.isArray(rawItems) ? rawItems : [],
    range,
  );
  if (result.success && !timeIssues.length) return result.data.items;
  // zod skips refinements of an object whose fields fail, so the identity rule is checked
  // on the raw items too: every problem of a batch is named at once.
  const identityIssues = (Array.isArray(rawItems) ? rawItems : []).flatMap(
    (raw, index) => {
      const it = raw as { entityRef?: unknown; annotations?: unknown } | null;
      if (typeof it !== 'object' || it === null || it.entityRef) return [];
      if (
        it.annotations &&
        typeof it.annotations === 'object' &&
        Object.keys(it.annotations).length
      )
        return [];
      return [`items[${index}].entityRef: ${IDENTITY_REQUIRED}`];
    },
  );
  const issues = [
    ...new Set([
      ...(result.success ? [] : result.error.issues).map(
        i => `${formatPath(i.path) || 'body'}: ${i.message}`,
      ),
      ...identityIssues,
      ...timeIssues,
    ]),
  ];
  const problems = issues.slice(0, 50);
  const more = issues.length > 50 ? ` (and ${issues.length - 50} more)` : '';
  throw new InputError(
    `Invalid request, nothing was stored: ${problems.join('; ')}${more}`,
  );
}
