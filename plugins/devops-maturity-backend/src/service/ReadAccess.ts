import { Request } from 'express';
import {
  AuthService,
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { devopsMaturityReadPermission } from '@devops-maturity/backstage-plugin-common';
import { chunks } from '../database/util';

/** Which scored entities a reader may see: every one, or these (lower-case refs). */
export type Visibility = { all: true } | { all: false; refs: Set<string> };

/** A reader of the plugin's figures: allowed to read at all, seeing some entities. */
export interface Reader {
  credentials: BackstageCredentials;
  visibility(): Promise<Visibility>;
  canSee(entityRef: string): Promise<boolean>;
}

function everything(credentials: BackstageCredentials): Reader {
  return {
    credentials,
    visibility: async () => ({ all: true }),
    canSee: async () => true,
  };
}

/** Decisions per request to the permission backend, well within its 100 kB body limit. */
export const AUTHORIZE_BATCH = 100;

/** How long a user's visible set is kept: a catalog change reaches readers this much later. */
export const VISIBILITY_TTL_MS = 30_000;

const lower = (ref: string) => ref.toLocaleLowerCase('en-US');

/**
 * What each reader may see. An entity is visible when the catalog shows it to the reader (the
 * catalog decides `catalog.entity.read` with the reader's own credentials, conditions
 * included) and `devops-maturity.scorecard.read` allows it for that entity (a resource
 * permission on catalog entities: a policy may answer with catalog conditions such as
 * `isEntityOwner`). A user's visible set is computed once per {@link VISIBILITY_TTL_MS}: one
 * catalog query and one batch of permission checks, not one per row. Service principals
 * (other plugins, static tokens) see every entity when their access restrictions allow
 * reading at all.
 */
export class ReadAccess {
  private readonly cache = new Map<
    string,
    { expires: number; visibility: Promise<Visibility> }
  >();

  constructor(
    private readonly deps: {
      httpAuth: HttpAuthService;
      permissions: PermissionsService;
      catalog: CatalogService;
      /** The mirrored (scored) entities, to tell "every one" from "some". */
      scoredEntities: () => Promise<string[]>;
      kinds: string[];
      clock?: () => number;
    },
  ) {}

  /**
   * The request's reader. A service whose access restrictions exclude reading gets 403. A
   * user's decisions are asked per entity: the permission backend takes resource permissions
   * from users only with a resource, and answers them with the policy's conditions applied.
   */
  async reader(req: Request): Promise<Reader> {
    const { httpAuth, permissions } = this.deps;
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    if (credentials.principal.type !== 'user') {
      const [decision] = await permissions.authorizeConditional(
        [{ permission: devopsMaturityReadPermission }],
        { credentials },
      );
      if (decision.result === AuthorizeResult.DENY) {
        throw new NotAllowedError(
          `Not allowed: ${devopsMaturityReadPermission.name}`,
        );
      }
      return everything(credentials);
    }
    let visibility: Promise<Visibility> | undefined;
    const visible = () => (visibility ??= this.visibilityOf(credentials));
    return {
      credentials,
      visibility: visible,
      async canSee(entityRef) {
        const v = await visible();
        return v.all || v.refs.has(lower(entityRef));
      },
    };
  }

  private visibilityOf(credentials: BackstageCredentials): Promise<Visibility> {
    const key = (credentials.principal as { userEntityRef: string })
      .userEntityRef;
    const now = (this.deps.clock ?? Date.now)();
    const cached = this.cache.get(key);
    if (cached && cached.expires > now) return cached.visibility;
    const visibility = this.computeVisibility(credentials);
    this.cache.set(key, { expires: now + VISIBILITY_TTL_MS, visibility });
    // A failed computation is not kept: the next request tries again.
    visibility.catch(() => {
      if (this.cache.get(key)?.visibility === visibility)
        this.cache.delete(key);
    });
    for (const [k, v] of this.cache) if (v.expires <= now) this.cache.delete(k);
    return visibility;
  }

  private async computeVisibility(
    credentials: BackstageCredentials,
  ): Promise<Visibility> {
    const { catalog, permissions, kinds, scoredEntities } = this.deps;
    const { items } = await catalog.getEntities(
      {
        filter: { kind: kinds },
        fields: ['kind', 'metadata.namespace', 'metadata.name'],
      },
      { credentials },
    );
    const refs = items.map(e => lower(stringifyEntityRef(e)));
    const visible = new Set<string>();
    // In parts: the permission backend (and the catalog's apply-conditions endpoint behind it)
    // refuses request bodies over 100 kB, about 430 decisions.
    for (const part of chunks(refs, AUTHORIZE_BATCH)) {
      const decisions = await permissions.authorize(
        part.map(resourceRef => ({
          permission: devopsMaturityReadPermission,
          resourceRef,
        })),
        { credentials },
      );
      part.forEach((ref, i) => {
        if (decisions[i].result === AuthorizeResult.ALLOW) visible.add(ref);
      });
    }
    const scored = await scoredEntities();
    return scored.every(ref => visible.has(ref))
      ? { all: true }
      : { all: false, refs: visible };
  }
}

/**
 * Which of `entityRefs` the catalog has, as `credentials` see it (the plugin's own when
 * absent): the catalog applies its read permission to the reader's credentials.
 */
export function catalogLookup(deps: {
  catalog: CatalogService;
  auth: AuthService;
}): (
  entityRefs: string[],
  credentials?: BackstageCredentials,
) => Promise<Set<string>> {
  return async (entityRefs, credentials) => {
    const found = new Set<string>();
    const asWho = credentials ?? (await deps.auth.getOwnServiceCredentials());
    // In parts, well within the catalog's limit on request bodies.
    for (const part of chunks(entityRefs, 500)) {
      const { items } = await deps.catalog.getEntitiesByRefs(
        {
          entityRefs: part,
          fields: ['kind', 'metadata.namespace', 'metadata.name'],
        },
        { credentials: asWho },
      );
      part.forEach((ref, i) => {
        if (items[i]) found.add(ref);
      });
    }
    return found;
  };
}
