import {
  DeploymentBaseResponse,
  DeploymentListItem,
  StoredIncidentResponse,
  IncidentListItem,
  Page,
  DeploymentEvent,
  DoraFacts,
  PackedFacts,
  DoraOptions,
  IncidentEvent,
  TimeWindow,
  CalmsAssessment,
  CheckSignals,
} from '@devops-maturity/backstage-plugin-common';
import { StaleMark } from './staleRankings';
import { MaturityRow, RankingQuery, ScorecardRow } from './scorecards';

/** A catalog entity as the plugin mirrors it. */
export interface MirroredEntity {
  entityRef: string;
  kind: string;
  namespace: string;
  name: string;
  title?: string;
  type?: string;
  lifecycle?: string;
  ownerRef?: string;
  systemRef?: string;
  /** Annotations that identify the entity to event sources, e.g. github.com/project-slug. */
  identities: Array<{ annotation: string; value: string }>;
  /** What the golden-path checks read. */
  description?: string;
  annotations?: Record<string, string>;
  links?: Array<{ url: string; title?: string; type?: string }>;
}

/** A catalog group and its parent. */
export interface MirroredGroup {
  groupRef: string;
  title?: string;
  parentRef?: string;
}

/** An event kept because no catalog entity matched it. */
export interface UnmatchedEvent {
  eventType: 'deployment' | 'incident';
  source: string;
  id: string;
  /**
   * What the event named: an entity ref or annotations. For an event of an entity that left
   * the catalog, the entity's ref and the annotations it was known by.
   */
  identity: Record<string, string>;
  reason: string;
  /** The validated item, as it came (without a resolved entityRef). */
  payload: unknown;
  /** When it arrived; for an event of an entity that left the catalog, when the entity left. */
  receivedAt: number;
  /**
   * The catalog entity it names, as the catalog spells refs: its `entityRef`, or the entity of
   * an unscored kind that carries its annotations. The list hides it from readers who may not
   * see that entity.
   */
  namedRef?: string;
}

/** The history of an entity that left the catalog, moved to the entity that carries its identity. */
export interface EntityMove {
  from: string;
  /** The same as `from` when the entity came back under its own ref: nothing moved. */
  to: string;
}

/** A batch of validated, resolved events; written in one transaction. */
export interface EventBatch {
  deployments: DeploymentEvent[];
  incidents: IncidentEvent[];
  unmatched: UnmatchedEvent[];
}

/** What a batch write did. */
export interface WriteResult {
  inserted: number;
  updated: number;
  unmatched: number;
  /** Copies not written because the stored copy has a newer source time (`updatedAt`). */
  stale: number;
}

/** Paging and an optional window for lists. */
export interface ListOptions {
  limit: number;
  offset: number;
  window?: TimeWindow;
}

/** What `GET /deployments/base` asks: the entity, the deployment (source, id), a bound. */
export interface DeploymentBaseQuery {
  /** Normalised, as the mirror keeps refs. */
  entityRef: string;
  source: string;
  id?: string;
  /** Epoch ms: only deployments before it (with `id`, same-time ones ordered before it too). */
  before?: number;
}

/** What `GET /incidents/stored` asks: the entity and the incident (source, id). */
export interface StoredIncidentQuery {
  /** Normalised, as the mirror keeps refs. */
  entityRef: string;
  source: string;
  id: string;
}

/** The catalog mirror: the scored entities, the annotations that identify them, groups. */
export interface CatalogStore {
  /**
   * Replaces the catalog mirror in one transaction, remembering the entities with events that
   * it drops (see `UnmatchedStore.moveDepartedEntities`), and marking stale the ranking rows
   * that the change makes stale.
   */
  replaceCatalog(
    entities: MirroredEntity[],
    groups: MirroredGroup[],
  ): Promise<void>;
  /** The refs among `entityRefs` that the catalog mirror has. */
  existingEntities(entityRefs: string[]): Promise<Set<string>>;
  /** The entities each annotation value identifies. */
  entitiesByIdentity(
    pairs: Array<{ annotation: string; value: string }>,
  ): Promise<Map<string, string[]>>;
  listEntities(): Promise<Omit<MirroredEntity, 'identities'>[]>;
  getEntity(
    entityRef: string,
  ): Promise<Omit<MirroredEntity, 'identities'> | undefined>;
  listGroups(): Promise<MirroredGroup[]>;
  /** Every group with each of its ancestors (itself included). */
  listGroupAncestry(): Promise<
    Array<{ groupRef: string; ancestorRef: string }>
  >;
  /** The group and, if asked, all groups below it. */
  groupWithDescendants(
    groupRef: string,
    includeChildren: boolean,
  ): Promise<string[]>;
}

/** Stored deployments and incidents: batch writes, and one entity's events. */
export interface EventStore {
  /**
   * Writes a batch in one transaction: all of it or nothing, with the facts it changes and the
   * stale marks of its entities' ranking rows.
   */
  writeBatch(batch: EventBatch, options: DoraOptions): Promise<WriteResult>;
  listDeployments(
    entityRef: string,
    options: ListOptions,
  ): Promise<Page<DeploymentListItem>>;
  listIncidents(
    entityRef: string,
    options: ListOptions,
  ): Promise<Page<IncidentListItem>>;
  /**
   * The entity's previous production deployment before a reported one, and the stored copy of
   * the reported one (`GET /deployments/base`); nothing for an entity the mirror lacks.
   */
  deploymentBase(query: DeploymentBaseQuery): Promise<DeploymentBaseResponse>;
  /**
   * An incident as stored for an entity (`GET /incidents/stored`), so that a pipeline can
   * report it again without losing what it said before; nothing for an entity the mirror lacks.
   */
  storedIncident(query: StoredIncidentQuery): Promise<StoredIncidentResponse>;
}

/** Events no entity matched, and those of entities that left the catalog. */
export interface UnmatchedStore {
  /**
   * Newest first. Without those naming one of `hiddenRefs`, nor, with `departed: false`, those
   * of entities that left the catalog.
   */
  listUnmatched(options: {
    limit: number;
    offset: number;
    hiddenRefs?: string[];
    departed?: boolean;
  }): Promise<Page<UnmatchedEvent>>;
  /** Every catalog ref the unmatched list names, departed entities included. */
  unmatchedNamedRefs(): Promise<string[]>;
  /**
   * Settles the entities that left the catalog against the mirror: moves each one's events to
   * the one mirrored entity that carries its ref or one of its identity annotations.
   */
  moveDepartedEntities(options: DoraOptions): Promise<EntityMove[]>;
  /** Deletes the unmatched events that arrived before `cutoff`; answers how many. */
  deleteUnmatchedBefore(cutoff: number): Promise<number>;
  /**
   * Unmatched events in arrival order after a cursor, for replays; only those received at or
   * after `receivedSince` if given.
   */
  unmatchedAfter(
    pk: number,
    limit: number,
    receivedSince?: number,
  ): Promise<Array<UnmatchedEvent & { pk: number }>>;
}

/** The facts the DORA math reads, derived from the events as they were stored. */
export interface FactsStore {
  /** The facts of each entity for the window; entities with no events get empty facts. */
  readFacts(
    entityRefs: string[],
    window: TimeWindow,
  ): Promise<Map<string, DoraFacts>>;
  /**
   * The facts each entity's ranking rows were last computed from, and when: what the groups'
   * rows pool. Left out: an entity with none stored, or whose stored facts lack an event up to
   * `now` (stamped ahead of the time they were computed at).
   */
  readEntityFacts(
    entityRefs: string[],
    now: number,
  ): Promise<Map<string, { facts: PackedFacts; computedAt: number }>>;
  /** Stores them, unless facts computed later are stored already. */
  writeEntityFacts(
    facts: Map<string, PackedFacts>,
    computedAt: number,
  ): Promise<void>;
  /** The entities whose stored facts were computed longest ago, at most `count`. */
  entityFactsComputedFirst(count: number): Promise<string[]>;
  /** Removes those of every entity but these. */
  deleteEntityFactsExcept(keep: string[]): Promise<void>;
}

/** The rankings' precomputed rows, and the marks of rows that new events made stale. */
export interface RankingStore {
  /** Marks these entities' ranking rows stale, and their teams', for every replica. */
  markStale(entityRefs: Iterable<string>): Promise<void>;
  readStale(): Promise<StaleMark[]>;
  /** How many entities' rows are stale, and how many marks make team rows stale. */
  countStale(): Promise<{ entities: number; teams: number }>;
  /** Runs `fn` while no other recomputation of every row runs, on any replica. */
  exclusively<T>(fn: () => Promise<T>): Promise<T>;
  /** Clears the marks read; one renewed meanwhile stays. */
  clearStale(marks: StaleMark[]): Promise<void>;
  /** Writes rows, unless a row computed later is stored already. */
  upsertScorecards(rows: ScorecardRow[]): Promise<void>;
  /**
   * Whether a write of rows runs beside the reads and computing that follow it: on
   * PostgreSQL, in a server process of its own; not on SQLite, whose one connection and
   * synchronous driver run everything on this thread, one after the other.
   */
  readonly writesRunBeside: boolean;
  /** Removes the rows of these subjects (gone from the catalog). */
  deleteScorecards(subjectType: string, subjectRefs: string[]): Promise<void>;
  /** Removes the rows of every subject but these. */
  deleteScorecardsExcept(subjectType: string, keep: string[]): Promise<void>;
  maturityRows(windowDays: number, profile: string): Promise<MaturityRow[]>;
  queryScorecards(query: RankingQuery): Promise<{
    items: any[];
    totalCount: number;
    distribution: any;
    computedAt?: number;
  }>;
}

/** One entity's check outcomes and level on one UTC day. */
export interface CheckHistoryRow {
  entityRef: string;
  /** The UTC day's start, epoch ms. */
  day: number;
  level: number;
  /** The CALMS overall score, 0..100; null when not scored (or recorded before it was kept). */
  calmsScore?: number | null;
  results: Array<{ id: string; status: string; value: number | null }>;
}

/** Storage of the maturity model: the teams' assessments, check signals and check history. */
export interface MaturityStore {
  readCheckSignals(
    entityRefs: string[],
    now: number,
  ): Promise<Map<string, CheckSignals>>;
  insertAssessment(assessment: CalmsAssessment): Promise<void>;
  latestAssessments(
    entityRefs: string[],
  ): Promise<Map<string, CalmsAssessment>>;
  assessmentHistory(
    entityRef: string,
    limit: number,
  ): Promise<CalmsAssessment[]>;
  recordCheckHistory(rows: CheckHistoryRow[]): Promise<void>;
  checkHistory(
    entityRef: string,
    limit: number,
  ): Promise<
    Array<{ day: string; level: number; passed: number; failed: number }>
  >;
  /**
   * An entity's rows from the UTC day `fromDay` on, oldest first, led by the last row before
   * that day when there is one (the baseline that changes on `fromDay` are measured against).
   */
  checkHistorySince(
    entityRef: string,
    fromDay: number,
  ): Promise<CheckHistoryRow[]>;
  /** The entities' recorded levels on the UTC days in `[fromDay, toDay)`, in no set order. */
  checkLevelsBetween(
    entityRefs: string[],
    fromDay: number,
    toDay: number,
  ): Promise<Array<{ entityRef: string; day: number; level: number }>>;
}

export type { DeploymentListItem, IncidentListItem, Page };
