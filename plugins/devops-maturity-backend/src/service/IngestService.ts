import { LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  DeploymentEvent,
  DoraOptions,
  IncidentEvent,
  newestCopies,
} from '@devops-maturity/backstage-plugin-common';
import { UnmatchedEvent } from '../database/types';
import { DoraStores } from '../database/openStores';
import { DeploymentItem, IncidentItem } from './validation';

/** What a push answers. */
export interface IngestResult {
  /** New events stored against a catalog entity. */
  accepted: number;
  /** Events that replaced an earlier copy with the same source and id. */
  updated: number;
  /** Events kept for later because no catalog entity matched them yet. */
  unmatched: number;
  /**
   * Events ignored because a copy with the same source and id and a newer `updatedAt` was
   * stored before (or came earlier in the same batch).
   */
  stale: number;
}

/** Normalises an entity ref as the catalog compares them: case-insensitively. */
export function normalizeEntityRef(ref: string): string {
  return stringifyEntityRef(
    parseEntityRef(ref, {
      defaultKind: 'component',
      defaultNamespace: 'default',
    }),
  ).toLocaleLowerCase('en-US');
}

type Item = (DeploymentItem | IncidentItem) & { source: string; id: string };

/** An event's entity, or why it has none and which catalog entity it names if any. */
interface Resolution {
  entityRef?: string;
  reason?: string;
  namedRef?: string;
}

/**
 * Catalog entities of kinds that are not scored, which the mirror therefore lacks: asked only
 * for events that matched no mirrored entity, to tell their senders why.
 */
export interface UnscoredKindLookup {
  /** Of normalised entity refs, those the catalog has, with its spelling of their kind. */
  byRef(entityRefs: string[]): Promise<Map<string, string>>;
  /**
   * Of annotation values, those a catalog entity carries, keyed `annotation=value`, with the
   * entity's ref and kind.
   */
  byAnnotation(
    pairs: Array<{ annotation: string; value: string }>,
  ): Promise<Map<string, { entityRef: string; kind: string }>>;
}

const NO_ENTITY_WITH_ANNOTATIONS =
  'no catalog entity carries these annotations';

const notScored = (entityRef: string, kind: string) =>
  `catalog entity ${entityRef} is of kind ${kind}, which is not scored (devopsMaturity.catalog.kinds)`;

/**
 * Resolves events to catalog entities and writes them: the one path every event takes, from
 * the push API, webhooks, the demo seeder and replays of unmatched events.
 */
export class IngestService {
  constructor(
    private readonly stores: Pick<
      DoraStores,
      'catalog' | 'events' | 'unmatched'
    >,
    private readonly options: DoraOptions,
    private readonly logger: LoggerService,
    private readonly clock: () => number = Date.now,
    /**
     * Told which entities got events moved to them (a departed entity's history), e.g. to
     * refresh their rankings. Stored batches mark their entities in their own transaction.
     */
    private readonly onStored?: (
      entityRefs: Set<string>,
    ) => void | Promise<void>,
    /** The catalog's kind of refs the mirror lacks because their kind is not scored. */
    private readonly unscoredKinds?: UnscoredKindLookup,
  ) {}

  async ingestDeployments(items: DeploymentItem[]): Promise<IngestResult> {
    return this.ingest('deployment', items);
  }

  async ingestIncidents(items: IncidentItem[]): Promise<IngestResult> {
    return this.ingest('incident', items);
  }

  private async ingest(
    type: 'deployment' | 'incident',
    all: Item[],
  ): Promise<IngestResult> {
    // A later copy in the same batch wins, as it would across batches, unless it is older.
    const { latest: items, stale } = newestCopies(all);
    const resolved = await this.resolve(items);
    const matched: Array<DeploymentEvent | IncidentEvent> = [];
    const unmatched: UnmatchedEvent[] = [];
    items.forEach((item, i) => {
      const r = resolved[i];
      const { entityRef: _ref, annotations: _ann, ...rest } = item;
      if (r.entityRef) {
        matched.push({ ...rest, entityRef: r.entityRef } as any);
      } else {
        unmatched.push({
          eventType: type,
          source: item.source,
          id: item.id,
          identity: item.entityRef
            ? { entityRef: item.entityRef }
            : { ...item.annotations },
          reason: r.reason!,
          payload: item,
          receivedAt: this.clock(),
          namedRef: r.namedRef,
        });
      }
    });
    const result = await this.stores.events.writeBatch(
      {
        deployments:
          type === 'deployment' ? (matched as DeploymentEvent[]) : [],
        incidents: type === 'incident' ? (matched as IncidentEvent[]) : [],
        unmatched,
      },
      this.options,
    );
    // No onStored here: the batch marked its entities' rankings stale in its own transaction.
    // A second mark after the commit could only fail a request whose events are stored (it
    // did: a deadlock between two such marks answered 500 for a stored batch).
    return {
      accepted: result.inserted,
      updated: result.updated + (all.length - items.length - stale),
      unmatched: result.unmatched,
      stale: result.stale + stale,
    };
  }

  /** Refs as sent and as normalised: the same few thousand refs arrive in every batch. */
  private readonly normalizedRefs = new Map<string, string>();

  private normalized(ref: string): string {
    let found = this.normalizedRefs.get(ref);
    if (found === undefined) {
      found = normalizeEntityRef(ref);
      if (this.normalizedRefs.size >= 100_000) this.normalizedRefs.clear();
      this.normalizedRefs.set(ref, found);
    }
    return found;
  }

  /** Finds each item's entity: its entityRef if the catalog has it, else its annotations. */
  private async resolve(items: Item[]): Promise<Resolution[]> {
    const refs = items.map(i => {
      try {
        return i.entityRef ? this.normalized(i.entityRef) : undefined;
      } catch {
        return undefined;
      }
    });
    const existing = await this.stores.catalog.existingEntities(
      refs.filter((r): r is string => !!r),
    );
    // Refs the mirror lacks may name an entity of a kind that is not scored: ask the catalog.
    const missing = refs.filter((r): r is string => !!r && !existing.has(r));
    let unscored = new Map<string, string>();
    if (this.unscoredKinds && missing.length) {
      try {
        unscored = await this.unscoredKinds.byRef([...new Set(missing)]);
      } catch (error) {
        // The event is kept either way, and its reason looked up again at the next replay.
        this.logger.warn(
          `Could not look up unmatched refs in the catalog: ${error}`,
        );
      }
    }
    const pairs = items.flatMap(i =>
      Object.entries(i.annotations ?? {}).map(([annotation, value]) => ({
        annotation,
        value,
      })),
    );
    const byIdentity = pairs.length
      ? await this.stores.catalog.entitiesByIdentity(pairs)
      : new Map();
    const resolved = items.map((item, i) => {
      const ref = refs[i];
      if (ref && existing.has(ref)) return { entityRef: ref };
      if (item.entityRef) {
        const kind = ref && unscored.get(ref);
        return {
          reason: kind
            ? notScored(ref, kind)
            : `no catalog entity ${ref ?? item.entityRef}`,
          namedRef: ref,
        };
      }
      for (const [annotation, value] of Object.entries(
        item.annotations ?? {},
      )) {
        const found: string[] = byIdentity.get(`${annotation}=${value}`) ?? [];
        if (found.length === 1) return { entityRef: found[0] };
        if (found.length > 1) {
          return {
            reason: `${annotation}=${value} is on ${found.length} entities; send entityRef`,
          };
        }
      }
      return { reason: NO_ENTITY_WITH_ANNOTATIONS };
    });
    return this.explainAnnotations(items, resolved);
  }

  /**
   * For events whose annotations no mirrored entity carries: if a catalog entity of a kind
   * that is not scored carries one, say so rather than "no catalog entity".
   */
  private async explainAnnotations(
    items: Item[],
    resolved: Resolution[],
  ): Promise<Resolution[]> {
    const unexplained = items.filter(
      (_, i) => resolved[i].reason === NO_ENTITY_WITH_ANNOTATIONS,
    );
    if (!this.unscoredKinds || unexplained.length === 0) return resolved;
    const pairs = unexplained.flatMap(i =>
      Object.entries(i.annotations ?? {}).map(([annotation, value]) => ({
        annotation,
        value,
      })),
    );
    let carriers = new Map<string, { entityRef: string; kind: string }>();
    try {
      carriers = await this.unscoredKinds.byAnnotation(pairs);
    } catch (error) {
      this.logger.warn(
        `Could not look up unmatched annotations in the catalog: ${error}`,
      );
    }
    return resolved.map((r, i) => {
      if (r.reason !== NO_ENTITY_WITH_ANNOTATIONS) return r;
      for (const [annotation, value] of Object.entries(
        items[i].annotations ?? {},
      )) {
        const carrier = carriers.get(`${annotation}=${value}`);
        if (carrier)
          return {
            reason: notScored(carrier.entityRef, carrier.kind),
            namedRef: carrier.entityRef,
          };
      }
      return r;
    });
  }

  /**
   * Replays unmatched events; those that now resolve leave the unmatched list. First, the
   * events of entities that left the catalog move to the entity that now carries their ref or
   * identity (a renamed service keeps its history), and that entity's rankings are redone.
   */
  async replayUnmatched(
    options: {
      /** Only the events that arrived at or after this time (epoch ms). */
      receivedSince?: number;
    } = {},
  ): Promise<{ matched: number; remaining: number }> {
    const moves = await this.stores.unmatched.moveDepartedEntities(
      this.options,
    );
    if (moves.length) {
      await this.onStored?.(new Set(moves.map(m => m.to)));
      for (const { from, to } of moves) {
        this.logger.info(
          from === to
            ? `${from} is back in the catalog with its events`
            : `Moved the events of ${from}, which left the catalog, to ${to}`,
        );
      }
    }
    let matched = 0;
    let remaining = 0;
    let cursor = 0;
    for (;;) {
      const page = await this.stores.unmatched.unmatchedAfter(
        cursor,
        500,
        options.receivedSince,
      );
      if (page.length === 0) break;
      cursor = page[page.length - 1].pk;
      for (const type of ['deployment', 'incident'] as const) {
        const items = page
          .filter(u => u.eventType === type)
          .map(u => u.payload as Item);
        if (items.length === 0) continue;
        const result = await this.ingest(type, items);
        matched += result.accepted + result.updated;
        remaining += result.unmatched;
      }
    }
    if (matched > 0) {
      this.logger.info(
        `Matched ${matched} events to catalog entities; ${remaining} remain unmatched`,
      );
    }
    return { matched, remaining };
  }
}
