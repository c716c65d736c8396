import { z } from 'zod';
import { InputError } from '@backstage/errors';
import { SORT_KEYS } from './ranking';
import { instant } from './validation';

const list = z.union([z.string(), z.array(z.string())]).transform(v =>
  (Array.isArray(v) ? v : [v])
    .flatMap(s => s.split(','))
    .map(s => s.trim())
    .filter(Boolean),
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
  profile: z.string().optional(),
};

export const doraQuery = z.object({
  ...windowQuery,
  includeChildren: bool.optional(),
});
export const trendQuery = z.object({
  ...windowQuery,
  interval: z.enum(['week', 'month']).default('week'),
});
export const pageQuery = z.object({
  limit: int(1, 500).default('50'),
  offset: int(0, 10_000_000).default('0'),
  from: windowQuery.from,
  to: windowQuery.to,
});
export const scorecardQuery = z.object({
  ...windowQuery,
  limit: int(1, 10_000).default('100'),
  offset: int(0, 10_000_000).default('0'),
  sort: z
    .enum(Object.keys(SORT_KEYS) as [keyof typeof SORT_KEYS])
    .default('overallTier'),
  order: z.enum(['asc', 'desc']).default('desc'),
  owner: list.optional(),
  includeChildren: bool.optional(),
  system: list.optional(),
  kind: list.optional(),
  type: list.optional(),
  lifecycle: list.optional(),
  tier: z
    .union([z.string(), z.array(z.string())])
    .pipe(list)
    .pipe(z.array(z.enum(['elite', 'high', 'medium', 'low', 'none'])))
    .optional(),
  q: z.string().max(200).optional(),
  format: z.enum(['json', 'csv']).optional(),
});

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
