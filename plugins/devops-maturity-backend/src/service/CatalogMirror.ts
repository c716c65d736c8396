import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  Entity,
  parseEntityRef,
  RELATION_CHILD_OF,
  RELATION_OWNED_BY,
  RELATION_PART_OF,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { MirroredEntity, MirroredGroup } from '../database/types';
import { DoraStores } from '../database/openStores';
import type { UnscoredKindLookup } from './IngestService';

/** Annotations that identify an entity to event sources, by default. */
export const DEFAULT_IDENTITY_ANNOTATIONS = [
  'github.com/project-slug',
  'gitlab.com/project-slug',
  'pagerduty.com/service-id',
];

const lower = (ref: string) => ref.toLocaleLowerCase('en-US');
/**
 * Characters of annotation filters per catalog request, as sent (URL-encoded): Node's HTTP
 * server refuses request heads over 16 KB, and the head carries the token and more besides.
 */
export const ANNOTATION_FILTER_CHARACTERS_PER_REQUEST = 8_000;

/** A filter's length in the query string: `filter=metadata.annotations.<a>%3D<v>&`. */
const filterLength = (p: { annotation: string; value: string }) =>
  encodeURIComponent(`metadata.annotations.${p.annotation}=${p.value}`).length +
  8;

/** Consecutive parts of `items` whose lengths add up to at most `max` (one item at least). */
function partsWithin<T>(items: T[], length: (item: T) => number, max: number) {
  const parts: T[][] = [];
  let part: T[] = [];
  let used = 0;
  for (const item of items) {
    const n = length(item);
    if (part.length && used + n > max) {
      parts.push(part);
      part = [];
      used = 0;
    }
    part.push(item);
    used += n;
  }
  if (part.length) parts.push(part);
  return parts;
}

function relationTarget(
  entity: Entity,
  type: string,
  kind?: string,
): string | undefined {
  const r = entity.relations?.find(
    rel =>
      rel.type === type &&
      (!kind ||
        parseEntityRef(rel.targetRef).kind.toLocaleLowerCase('en-US') === kind),
  );
  return r ? lower(r.targetRef) : undefined;
}

/** Maps a catalog entity to what the plugin keeps of it. */
export function mirrorEntity(
  entity: Entity,
  identityAnnotations: string[],
): MirroredEntity {
  const annotations = entity.metadata.annotations ?? {};
  const spec = (entity.spec ?? {}) as Record<string, unknown>;
  return {
    entityRef: lower(stringifyEntityRef(entity)),
    kind: entity.kind,
    namespace: entity.metadata.namespace ?? 'default',
    name: entity.metadata.name,
    title: entity.metadata.title,
    type: typeof spec.type === 'string' ? spec.type : undefined,
    lifecycle: typeof spec.lifecycle === 'string' ? spec.lifecycle : undefined,
    ownerRef: relationTarget(entity, RELATION_OWNED_BY),
    systemRef: relationTarget(entity, RELATION_PART_OF, 'system'),
    identities: identityAnnotations
      .filter(a => annotations[a])
      .map(a => ({ annotation: a, value: annotations[a] })),
    description: entity.metadata.description,
    annotations,
    links: (entity.metadata.links ?? []).map(l => ({
      url: l.url,
      title: l.title,
      type: l.type,
    })),
  };
}

/**
 * Lookups, in the catalog, of what the mirror lacks because its kind is not scored. The mirror
 * copies only the scored kinds (catalogs hold many more users, APIs and resources than scored
 * entities), so the catalog is asked instead, and only for events that matched no mirrored
 * entity: a few requests per batch that has any.
 */
export function catalogUnscoredKinds(deps: {
  catalog: CatalogService;
  auth: AuthService;
  kinds: string[];
}): UnscoredKindLookup {
  const scored = new Set(deps.kinds.map(k => k.toLocaleLowerCase('en-US')));
  const isScored = (kind: string) =>
    scored.has(kind.toLocaleLowerCase('en-US'));
  const credentials = () => deps.auth.getOwnServiceCredentials();
  const fields = ['kind', 'metadata.namespace', 'metadata.name'];
  return {
    // Refs of a scored kind are not asked for: the catalog does not have those yet.
    async byRef(entityRefs) {
      const refs = entityRefs.filter(
        ref => !isScored(parseEntityRef(ref).kind),
      );
      const found = new Map<string, string>();
      if (refs.length === 0) return found;
      const { items } = await deps.catalog.getEntitiesByRefs(
        { entityRefs: refs, fields },
        { credentials: await credentials() },
      );
      items.forEach((entity, n) => {
        if (entity) found.set(refs[n], entity.kind);
      });
      return found;
    },
    async byAnnotation(pairs) {
      const found = new Map<string, { entityRef: string; kind: string }>();
      const unique = [
        ...new Map(pairs.map(p => [`${p.annotation}=${p.value}`, p])).values(),
      ];
      const items: Entity[] = [];
      // An array of filters is their union, sent in the query string: as many per request as
      // fit, since a batch's thousand would overflow the URL (431 from the catalog's server).
      for (const part of partsWithin(
        unique,
        filterLength,
        ANNOTATION_FILTER_CHARACTERS_PER_REQUEST,
      )) {
        const page = await deps.catalog.getEntities(
          {
            filter: part.map(p => ({
              [`metadata.annotations.${p.annotation}`]: p.value,
            })),
            fields: [...fields, 'metadata.annotations'],
          },
          { credentials: await credentials() },
        );
        items.push(...page.items);
      }
      for (const entity of items) {
        if (isScored(entity.kind)) continue;
        for (const p of pairs) {
          if (entity.metadata.annotations?.[p.annotation] === p.value)
            found.set(`${p.annotation}=${p.value}`, {
              entityRef: lower(stringifyEntityRef(entity)),
              kind: entity.kind,
            });
        }
      }
      return found;
    },
  };
}

/**
 * Keeps the plugin's copy of the catalog: the entities that get scorecards, their owners and
 * the group hierarchy. Ownership follows the catalog on every refresh; events that named an
 * entity the catalog did not have yet are replayed afterwards.
 */
export class CatalogMirror {
  private lastSnapshot?: string;

  constructor(
    private readonly deps: {
      catalog: CatalogService;
      auth: AuthService;
      stores: Pick<DoraStores, 'catalog'>;
      logger: LoggerService;
      kinds: string[];
      identityAnnotations: string[];
      /** Called after each refresh; `changed` says whether entities, owners or groups changed. */
      onRefreshed?: (changed: boolean) => Promise<void>;
    },
  ) {}

  async refresh(): Promise<{ entities: number; groups: number }> {
    const { catalog, auth, stores, kinds, identityAnnotations } = this.deps;
    const credentials = await auth.getOwnServiceCredentials();
    const [{ items: entities }, { items: groupEntities }] = await Promise.all([
      catalog.getEntities({ filter: { kind: kinds } }, { credentials }),
      catalog.getEntities(
        {
          filter: { kind: 'Group' },
          fields: ['kind', 'metadata', 'spec', 'relations'],
        },
        { credentials },
      ),
    ]);
    const groups: MirroredGroup[] = groupEntities.map(g => ({
      groupRef: lower(stringifyEntityRef(g)),
      title: (g.spec?.profile as any)?.displayName ?? g.metadata.title,
      parentRef: relationTarget(g, RELATION_CHILD_OF),
    }));
    const mirrored = entities.map(e => mirrorEntity(e, identityAnnotations));
    await stores.catalog.replaceCatalog(mirrored, groups);
    const snapshot = JSON.stringify([mirrored, groups]);
    const changed = snapshot !== this.lastSnapshot;
    await this.deps.onRefreshed?.(changed);
    // Only once what follows a change succeeded: otherwise the next refresh does it again.
    this.lastSnapshot = snapshot;
    return { entities: entities.length, groups: groups.length };
  }
}
