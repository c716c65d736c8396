import { Knex } from 'knex';
import { inTurns, SqlitePrepare, sqlitePrepare } from './fastWrites';
import { byteOrder, toNumber } from './util';

/** An entity and a time: the entity's latest counted deployment finished before it is asked. */
export interface LatestBeforeQuery {
  entityRef: string;
  before: number;
}

const queryKey = (q: LatestBeforeQuery) => `${q.entityRef}\u0000${q.before}`;

/** Ties in finish time are broken by source and id in byte order, as `compareDeployments`. */
const orderLatestFirst = (bytes: string) =>
  `ORDER BY finished_at DESC, source${bytes} DESC, external_id${bytes} DESC LIMIT 1`;

/**
 * SQLite: one indexed lookup per query, by a statement prepared once. In process, a lookup
 * costs microseconds, and knex's compiling of each run cost more than the lookup itself.
 */
async function sqliteLatestBefore(
  trx: Knex.Transaction,
  queries: LatestBeforeQuery[],
  prepare: SqlitePrepare,
): Promise<Map<string, number>> {
  const statement = prepare(
    'SELECT pk FROM dm_deployments WHERE entity_ref = ? AND counts = ? AND finished_at < ? ' +
      `${orderLatestFirst(byteOrder(trx))}`,
  );
  const found = new Map<string, number>();
  await inTurns(queries, q => {
    const row = statement.get(q.entityRef, 1, q.before);
    if (row) found.set(queryKey(q), toNumber(row.pk));
  });
  return found;
}

/**
 * PostgreSQL: every query in one statement, a LATERAL lookup per (entity, time) pair bound as
 * two arrays: over the network a lookup per incident was a round trip per incident, most of
 * a batch's time.
 */
async function pgLatestBefore(
  trx: Knex.Transaction,
  queries: LatestBeforeQuery[],
): Promise<Map<string, number>> {
  const { rows } = await trx.raw(
    `SELECT q.n, d.pk
     FROM unnest(?::text[], ?::bigint[]) WITH ORDINALITY AS q(entity_ref, before, n)
     CROSS JOIN LATERAL (
       SELECT pk FROM dm_deployments
       WHERE entity_ref = q.entity_ref AND counts = true AND finished_at < q.before
       ${orderLatestFirst(byteOrder(trx))}) d`,
    [queries.map(q => q.entityRef), queries.map(q => q.before)],
  );
  const found = new Map<string, number>();
  for (const r of rows) {
    found.set(queryKey(queries[toNumber(r.n) - 1]), toNumber(r.pk));
  }
  return found;
}

/**
 * For each (entity, time), the entity's latest counted deployment finished before that time:
 * what an incident that names no deployment or commit is linked to. Answers a lookup by the
 * same pair; undefined where the entity had none.
 */
export async function latestDeploymentsBefore(
  trx: Knex.Transaction,
  queries: LatestBeforeQuery[],
): Promise<(q: LatestBeforeQuery) => number | undefined> {
  // Incidents opened at the same time for the same entity ask once.
  const distinct = [...new Map(queries.map(q => [queryKey(q), q])).values()];
  let found = new Map<string, number>();
  if (distinct.length > 0) {
    const prepare = await sqlitePrepare(trx);
    found = prepare
      ? await sqliteLatestBefore(trx, distinct, prepare)
      : await pgLatestBefore(trx, distinct);
  }
  return q => found.get(queryKey(q));
}
