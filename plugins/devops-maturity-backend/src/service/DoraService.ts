import type { Visibility } from './ReadAccess';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  computeDoraMetrics,
  computeDoraTrend,
  DAY_MS,
  DoraProfile,
  EntityScorecard,
  OwnerScorecard,
  DoraTrendPoint,
  parseInstant,
  poolFacts,
  TimeWindow,
  TrendInterval,
} from '@devops-maturity/backstage-plugin-common';
import { MirroredEntity } from '../database/types';
import { DoraStores } from '../database/openStores';
import { DevopsMaturitySettings } from '../config';
import { ownedEntitiesByGroup } from './ownership';
import { EventTimeRange } from './validation';

/** The default window: the last 90 days ending now. */
export const DEFAULT_WINDOW_DAYS = 90;
/** Longer windows are refused: they are slow and no profile is meant for them. */
export const MAX_WINDOW_DAYS = 731;

/** The catalog fields of an entity's ranking row, live or precomputed alike. */
export function scorecardIdentity(e: Omit<MirroredEntity, 'identities'>) {
  return {
    entityRef: e.entityRef,
    title: e.title,
    kind: e.kind,
    type: e.type,
    lifecycle: e.lifecycle,
    ownerRef: e.ownerRef,
    systemRef: e.systemRef,
  };
}

/** Reads figures: facts from the store, math from -common. */
export class DoraService {
  constructor(
    private readonly stores: Pick<DoraStores, 'catalog' | 'facts'>,
    private readonly settings: DevopsMaturitySettings,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The window `[from, to)`: `to` defaults to now, `from` to `days` (default 90) before it. */
  window(query: { from?: string; to?: string; days?: number }): TimeWindow {
    const to = query.to ? parseInstant(query.to, 'to') : this.clock();
    const from = query.from
      ? parseInstant(query.from, 'from')
      : to - (query.days ?? DEFAULT_WINDOW_DAYS) * DAY_MS;
    if (from >= to) throw new InputError('from: must be before to');
    if (to - from > MAX_WINDOW_DAYS * DAY_MS) {
      throw new InputError(
        `from: the window may span at most ${MAX_WINDOW_DAYS} days`,
      );
    }
    return { from, to };
  }

  profile(id?: string): DoraProfile {
    const profileId = id ?? this.settings.defaultProfile;
    // An own property only: `__proto__` or `toString` names no profile.
    const profile = Object.hasOwn(this.settings.profiles, profileId)
      ? this.settings.profiles[profileId]
      : undefined;
    if (!profile) {
      throw new InputError(
        `profile: unknown profile '${profileId}', expected one of ${Object.keys(
          this.settings.profiles,
        ).join(', ')}`,
      );
    }
    return profile;
  }

  /** The instants a pushed event may carry now (`devopsMaturity.events`). */
  eventTimeRange(): EventTimeRange {
    const { earliest, futureToleranceMs } = this.settings.events;
    return { earliest, latest: this.clock() + futureToleranceMs };
  }

  listProfiles() {
    return {
      defaultProfile: this.settings.defaultProfile,
      profiles: Object.values(this.settings.profiles),
    };
  }

  /** The answer for an entity without scorecards, or one hidden from the reader: the same. */
  noSuchEntity(entityRef: string): NotFoundError {
    return new NotFoundError(
      `No catalog entity ${entityRef} with scorecards (kinds: ${this.settings.kinds.join(
        ', ',
      )})`,
    );
  }

  async requireEntity(
    entityRef: string,
  ): Promise<Omit<MirroredEntity, 'identities'>> {
    const entity = await this.stores.catalog.getEntity(entityRef);
    if (!entity) throw this.noSuchEntity(entityRef);
    return entity;
  }

  async entityMetrics(
    entityRef: string,
    window: TimeWindow,
    profile: DoraProfile,
  ) {
    await this.requireEntity(entityRef);
    return this.metricsOf(entityRef, window, profile);
  }

  /** An entity's metrics, for a caller that has checked the entity exists. */
  async metricsOf(entityRef: string, window: TimeWindow, profile: DoraProfile) {
    const facts = (await this.stores.facts.readFacts([entityRef], window)).get(
      entityRef,
    )!;
    return { entityRef, ...computeDoraMetrics(facts, window, profile) };
  }

  async entityTrend(
    entityRef: string,
    window: TimeWindow,
    interval: TrendInterval,
    profile: DoraProfile,
  ): Promise<{
    entityRef: string;
    interval: TrendInterval;
    window: { from: string; to: string };
    profile: string;
    points: DoraTrendPoint[];
  }> {
    await this.requireEntity(entityRef);
    const facts = (await this.stores.facts.readFacts([entityRef], window)).get(
      entityRef,
    )!;
    return {
      entityRef,
      interval,
      window: {
        from: new Date(window.from).toISOString(),
        to: new Date(window.to).toISOString(),
      },
      profile: profile.id,
      points: computeDoraTrend(facts, window, interval, profile),
    };
  }

  /** The group and, if asked, every group below it. */
  ownerGroups(ownerRef: string, includeChildren: boolean): Promise<string[]> {
    return this.stores.catalog.groupWithDescendants(ownerRef, includeChildren);
  }

  /** Entities owned by the group, by default with those of its descendant groups. */
  async ownedEntities(
    ownerRef: string,
    includeChildren: boolean,
  ): Promise<string[]> {
    const owners = new Set(
      await this.stores.catalog.groupWithDescendants(ownerRef, includeChildren),
    );
    return (await this.stores.catalog.listEntities())
      .filter(e => e.ownerRef && owners.has(e.ownerRef))
      .map(e => e.entityRef)
      .sort(); // byte order, as ownedEntitiesByGroup, whatever the database's collation
  }

  /**
   * The group and the entities it owns (with those of its child groups by default) that the
   * reader may see; 404 when there is no such group or owner, and, to a reader who may not
   * see everything, when it owns nothing visible.
   */
  async visibleTeam(
    ownerRef: string,
    includeChildren: boolean | undefined,
    visibility: Visibility = { all: true },
  ) {
    const children = includeChildren ?? this.settings.includeChildGroups;
    const groups = await this.stores.catalog.listGroups();
    const group = groups.find(g => g.groupRef === ownerRef);
    const entityRefs = onlyVisible(
      await this.ownedEntities(ownerRef, children),
      visibility,
    );
    // To a reader who may not see everything, a group with nothing visible is as absent: its
    // title and place would otherwise be all that is told of hidden services.
    if ((!group || !visibility.all) && entityRefs.length === 0) {
      throw new NotFoundError(`No group or owner ${ownerRef} in the catalog`);
    }
    return { group, children, entityRefs };
  }

  /**
   * A team's figures, pooled over the entities it owns that the reader may see: a hidden
   * entity neither shows nor counts (see docs/metrics.md, "Teams and the organisation").
   */
  async ownerMetrics(
    ownerRef: string,
    includeChildren: boolean | undefined,
    window: TimeWindow,
    profile: DoraProfile,
    visibility: Visibility = { all: true },
  ): Promise<OwnerScorecard> {
    const { group, children, entityRefs } = await this.visibleTeam(
      ownerRef,
      includeChildren,
      visibility,
    );
    const facts = await this.stores.facts.readFacts(entityRefs, window);
    return {
      ownerRef,
      title: group?.title,
      parentRef: group?.parentRef,
      entityRefs,
      includeChildren: children,
      ...computeDoraMetrics(poolFacts([...facts.values()]), window, profile),
    };
  }

  /** Every mirrored entity the reader may see, with its figures. */
  async entityScorecards(
    window: TimeWindow,
    profile: DoraProfile,
    visibility: Visibility = { all: true },
  ): Promise<EntityScorecard[]> {
    const entities = (await this.stores.catalog.listEntities()).filter(
      e => visibility.all || visibility.refs.has(e.entityRef),
    );
    const facts = await this.stores.facts.readFacts(
      entities.map(e => e.entityRef),
      window,
    );
    return entities.map(e => ({
      ...scorecardIdentity(e),
      ...computeDoraMetrics(facts.get(e.entityRef)!, window, profile),
    }));
  }

  /** Every group with figures pooled over what it owns (with child groups by default) that the reader may see. */
  async ownerScorecards(
    window: TimeWindow,
    profile: DoraProfile,
    includeChildren?: boolean,
    visibility: Visibility = { all: true },
  ): Promise<OwnerScorecard[]> {
    const children = includeChildren ?? this.settings.includeChildGroups;
    const owned = (await ownedEntitiesByGroup(this.stores, children))
      .map(o => ({ ...o, entityRefs: onlyVisible(o.entityRefs, visibility) }))
      // A reader who may not see everything gets no row for a group with nothing visible.
      .filter(o => visibility.all || o.entityRefs.length > 0);
    const facts = await this.stores.facts.readFacts(
      [...new Set(owned.flatMap(o => o.entityRefs))],
      window,
    );
    return owned.map(({ group, entityRefs }) => ({
      ownerRef: group.groupRef,
      title: group.title,
      parentRef: group.parentRef,
      entityRefs,
      includeChildren: children,
      ...computeDoraMetrics(
        poolFacts(entityRefs.map(r => facts.get(r)!)),
        window,
        profile,
      ),
    }));
  }
}

function onlyVisible(entityRefs: string[], visibility: Visibility): string[] {
  return visibility.all
    ? entityRefs
    : entityRefs.filter(ref => visibility.refs.has(ref));
}
