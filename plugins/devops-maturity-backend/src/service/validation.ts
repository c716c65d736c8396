import { z } from 'zod';
import { InputError } from '@backstage/errors';
import { readInstant } from '@devops-maturity/backstage-plugin-common';

/** A time as the API takes it: read by the one parser the store and the math use. */
export const instant = z.string().refine(v => readInstant(v) !== undefined, {
  message:
    'must be an ISO-8601 date-time with an offset (Z, +hh:mm, +hhmm or +hh), e.g. 2026-01-31T12:00:00Z',
});
/** Whether time `a` is before `b`; false if either is not a time (refused on its own). */
const isBefore = (a: string, b: string) =>
  (readInstant(a) ?? NaN) < (readInstant(b) ?? NaN);
const text = (max = 1000) => z.string().min(1, 'must not be empty').max(max);

/**
 * How an event names its entity: a catalog ref, or annotations the entity carries
 * (e.g. `{ "github.com/project-slug": "acme/payments-api" }`).
 */
const identity = {
  entityRef: text(500).optional(),
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
    url: z.string().url().max(2000).optional(),
    actor: text(255).optional(),
    labels: z.record(z.string().max(500)).optional(),
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
    url: z.string().url().max(2000).optional(),
    postmortemUrl: z.string().url().max(2000).optional(),
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

/** Parses a request body, or throws an InputError naming every bad item by index and field. */
export function parseBatch<T extends z.ZodTypeAny>(
  item: T,
  body: unknown,
): z.infer<T>[] {
  const result = batchSchema(item).safeParse(body);
  if (result.success) return result.data.items;
  // zod skips refinements of an object whose fields fail, so the identity rule is checked
  // on the raw items too: every problem of a batch is named at once.
  const rawItems = (body as { items?: unknown })?.items;
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
      ...result.error.issues.map(
        i => `${formatPath(i.path) || 'body'}: ${i.message}`,
      ),
      ...identityIssues,
    ]),
  ];
  const problems = issues.slice(0, 50);
  const more = issues.length > 50 ? ` (and ${issues.length - 50} more)` : '';
  throw new InputError(
    `Invalid request, nothing was stored: ${problems.join('; ')}${more}`,
  );
}
