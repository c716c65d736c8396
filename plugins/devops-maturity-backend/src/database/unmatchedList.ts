import { Knex } from 'knex';
import { DEPARTED_REASON } from './departedEntities';
import { deploymentFromRow, incidentFromRow } from './eventRows';
import { Page, UnmatchedEvent } from './types';
import { toNumber, whereNotInList } from './util';

/** A kept event as the store hands it out. */
export function unmatchedFromRow(r: any): UnmatchedEvent {
  return {
    eventType: r.event_type,
    source: r.source,
    id: r.external_id,
    identity: JSON.parse(r.identity),
    reason: r.reason,
    payload: JSON.parse(r.payload),
    receivedAt: toNumber(r.received_at),
  };
}

/** What the entity that left was known by: its ref and the annotations it held alone. */
function departedIdentity(r: any): Record<string, string> {
  const identities: Array<{ annotation: string; value: string }> = JSON.parse(
    r.identities,
  );
  return {
    entityRef: r.entity_ref,
    ...Object.fromEntries(identities.map(i => [i.annotation, i.value])),
  };
}

const DEPARTED_EVENTS = [
  { origin: 'deployment', table: 'dm_deployments', payload: deploymentFromRow },
  { origin: 'incident', table: 'dm_incidents', payload: incidentFromRow },
] as const;

/**
 * The unmatched list, newest first: events no entity matched (by their arrival), and the
 * events of entities that left the catalog (by when the entity left), one item per event in
 * either case so that the list keeps one shape and one paging.
 *
 * Why not copies: the events of an entity that left stay where they are, under its ref, so a
 * return to the catalog needs no work and a move to a successor is one transaction.
 */
export async function listUnmatched(
  knex: Knex,
  options: {
    limit: number;
    offset: number;
    hiddenRefs?: string[];
    departed?: boolean;
  },
): Promise<Page<UnmatchedEvent>> {
  const hidden = options.hiddenRefs ?? [];
  const departedOf = (table: string) => {
    const q = knex(`${table} as e`).join(
      'dm_departed_entities as g',
      'g.entity_ref',
      'e.entity_ref',
    );
    if (options.departed === false) q.whereRaw('1 = 0');
    if (hidden.length) whereNotInList(q, 'e.entity_ref', hidden);
    return q;
  };
  const keptEvents = () => {
    const q = knex('dm_unmatched_events');
    if (hidden.length)
      q.where(w =>
        w
          .whereNull('named_ref')
          .orWhere(named => whereNotInList(named, 'named_ref', hidden)),
      );
    return q;
  };
  let totalCount = 0;
  for (const q of [
    keptEvents(),
    ...DEPARTED_EVENTS.map(d => departedOf(d.table)),
  ]) {
    const [{ n }] = await q.count({ n: '*' });
    totalCount += toNumber(n);
  }

  // Keys of the page only; each origin's rows are read after. Not parenthesised: SQLite
  // refuses a compound SELECT whose parts are in parentheses.
  const entries = keptEvents()
    .select(knex.raw("'unmatched' AS origin"), 'pk', 'received_at AS at')
    .unionAll(
      DEPARTED_EVENTS.map(d =>
        departedOf(d.table).select(
          knex.raw(`'${d.origin}' AS origin`),
          'e.pk',
          'g.departed_at AS at',
        ),
      ),
    );
  const page: Array<{ origin: string; pk: unknown }> = await knex
    .select('origin', 'pk')
    .from(entries.as('entries'))
    .orderBy([
      { column: 'at', order: 'desc' },
      { column: 'origin', order: 'asc' },
      { column: 'pk', order: 'desc' },
    ])
    .limit(options.limit)
    .offset(options.offset);

  const items = new Map<string, UnmatchedEvent>();
  const pksOf = (origin: string) =>
    page.filter(p => p.origin === origin).map(p => toNumber(p.pk));
  const kept = pksOf('unmatched');
  if (kept.length) {
    for (const r of await knex('dm_unmatched_events').whereIn('pk', kept))
      items.set(`unmatched:${toNumber(r.pk)}`, unmatchedFromRow(r));
  }
  for (const d of DEPARTED_EVENTS) {
    const pks = pksOf(d.origin);
    if (pks.length === 0) continue;
    const rows = await departedOf(d.table)
      .whereIn('e.pk', pks)
      .select('e.*', 'g.identities', 'g.departed_at');
    for (const r of rows) {
      items.set(`${d.origin}:${toNumber(r.pk)}`, {
        eventType: d.origin,
        source: r.source,
        id: r.external_id,
        identity: departedIdentity(r),
        reason: DEPARTED_REASON,
        payload: d.payload(r),
        receivedAt: toNumber(r.departed_at),
      });
    }
  }
  return {
    items: page.flatMap(p => {
      const item = items.get(`${p.origin}:${toNumber(p.pk)}`);
      return item ? [item] : [];
    }),
    totalCount,
  };
}

/** Every catalog ref the list names: those kept events name, and the departed entities. */
export async function unmatchedNamedRefs(knex: Knex): Promise<string[]> {
  const rows: Array<{ ref: string }> = await knex
    .select('named_ref AS ref')
    .from('dm_unmatched_events')
    .whereNotNull('named_ref')
    .union(qb => qb.select('entity_ref AS ref').from('dm_departed_entities'));
  return rows.map(r => r.ref);
}
