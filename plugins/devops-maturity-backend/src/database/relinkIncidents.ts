import { Knex } from 'knex';
import { DoraOptions } from '@devops-maturity/backstage-plugin-common';
import { inTurns, sqlitePrepare } from './fastWrites';
import { toNumber, whereAnyOf } from './util';
import { findCauses } from './writeIncidents';
import { RelinkScope } from './writeDeployments';

const RELINK_COLUMNS = [
  'pk',
  'entity_ref',
  'source',
  'opened_at',
  'deployment_id',
  'cause_sha',
  'cause_deployment_pk',
];

/**
 * Re-links the incidents whose cause may have changed because deployments arrived or changed:
 * per entity, those opened after the earliest of them, those naming one of them or one of
 * their commits, and those linked to one of them. Each of the four is its own indexed lookup
 * (an OR of them would scan every incident of every entity in the batch), sent as one query
 * (`UNION ALL`: one round trip per batch instead of four); only the incidents found are looked
 * at again.
 */
export async function relinkIncidents(
  trx: Knex.Transaction,
  scopes: Map<string, RelinkScope>,
  options: DoraOptions,
): Promise<void> {
  if (scopes.size === 0) return;
  const found = new Map<number, any>();
  const keys = [...scopes.keys()];
  const minOpened = keys.reduce(
    (min, e) => Math.min(min, scopes.get(e)!.openedAfter),
    Infinity,
  );
  const all = [...scopes.values()];
  const lookups = [
    whereAnyOf(
      trx('dm_incidents')
        .where('opened_at', '>', minOpened)
        .select(RELINK_COLUMNS),
      'entity_ref',
      keys,
    ),
  ];
  for (const [column, values] of [
    ['deployment_id', all.flatMap(s => [...s.deploymentIds])],
    ['cause_sha', all.flatMap(s => [...s.shas])],
    ['cause_deployment_pk', all.flatMap(s => [...s.deploymentPks])],
  ] as const) {
    const unique = [...new Set<string | number>(values)];
    if (unique.length === 0) continue;
    lookups.push(
      whereAnyOf(trx('dm_incidents').select(RELINK_COLUMNS), column, unique),
    );
  }
  // an incident found by several lookups is kept once
  const rows =
    lookups.length > 1
      ? await lookups[0].unionAll(lookups.slice(1))
      : await lookups[0];
  for (const r of rows) found.set(toNumber(r.pk), r);
  const candidates: any[] = [];
  for (const r of found.values()) {
    const s = scopes.get(r.entity_ref);
    if (!s) continue; // named a deployment or commit of another entity
    const current =
      r.cause_deployment_pk === null ? null : toNumber(r.cause_deployment_pk);
    if (
      toNumber(r.opened_at) > s.openedAfter ||
      (r.deployment_id && s.deploymentIds.has(r.deployment_id)) ||
      (r.cause_sha && s.shas.has(r.cause_sha)) ||
      (current !== null && s.deploymentPks.has(current))
    ) {
      candidates.push({ ...r, opened_at: toNumber(r.opened_at), current });
    }
  }
  const causes = await findCauses(trx, candidates, options);
  await setCauses(
    trx,
    candidates.flatMap((c, n) =>
      causes[n] === c.current ? [] : [{ pk: toNumber(c.pk), cause: causes[n] }],
    ),
  );
}

/**
 * Links each incident to its new cause (null: none). SQLite runs a prepared statement per
 * incident (see `sqlitePrepare`); PostgreSQL takes them all in one statement, the pairs bound
 * as two arrays, rather than a round trip per incident.
 */
async function setCauses(
  trx: Knex.Transaction,
  links: Array<{ pk: number; cause: number | null }>,
) {
  if (links.length === 0) return;
  const prepare = await sqlitePrepare(trx);
  if (prepare) {
    const statement = prepare(
      'UPDATE dm_incidents SET cause_deployment_pk = ? WHERE pk = ?',
    );
    await inTurns(links, ({ pk, cause }) => statement.run(cause, pk));
    return;
  }
  await trx.raw(
    `UPDATE dm_incidents AS i SET cause_deployment_pk = l.cause
     FROM unnest(?::bigint[], ?::bigint[]) AS l(pk, cause)
     WHERE i.pk = l.pk`,
    // knex's types know no array with nulls; pg binds it as one with NULLs
    [links.map(l => l.pk), links.map(l => l.cause) as number[]],
  );
}
