import { setImmediate as nextTurn } from 'timers/promises';
import { isTeamMark, StaleMark, teamsOfMarks } from '../database/staleRankings';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  CalmsAssessment,
  CheckResult,
  EntityScope,
  DoraMetrics,
  ScorecardMaturity,
  computePackedDoraMetricsByProfile,
  concatPackedFacts,
  DAY_MS,
  DoraFacts,
  PackedFacts,
  packedSize,
  packFacts,
} from '@devops-maturity/backstage-plugin-common';
import { MirroredEntity, RankingStore } from '../database/types';
import { DoraStores } from '../database/openStores';
import { MaturityService } from './MaturityService';
import {
  MaturityRow,
  RankingQuery,
  SCORECARD_ROWS_PER_WRITE,
  ScorecardRow,
} from '../database/scorecards';
import { DevopsMaturitySettings } from '../config';
import { DEFAULT_WINDOW_DAYS, scorecardIdentity } from './DoraService';
import { ownedEntitiesByGroup } from './ownership';
import { RankingRules } from './RankingRules';
import { WriteBehind } from './writeBehind';

/**
 * The stale marks up to which a ranking read waits for their recomputation, and so sees every
 * event acknowledged before it. Beyond, under a stream of pushes, the recomputation takes
 * seconds (each marked entity reads its year of facts): the read answers at once from the rows
 * as they are, says `updating`, and the recomputation runs on.
 */
export const WAIT_FOR_STALE_AT_MOST = 50;

/**
 * The share of entities a full recomputation reads from their events although their stored
 * facts hold: those stored longest ago. With the hourly schedule, every entity's facts are
 * read afresh within a day, whatever a missed mark or a clock out of step left in them.
 */
export const REREAD_SHARE_PER_RECOMPUTATION = 1 / 24;

/** The windows the rankings keep ready; other windows are computed on request. */
export const PRESET_WINDOW_DAYS = [30, 90, 180, 365];
const LONGEST = Math.max(...PRESET_WINDOW_DAYS);

/**
 * Keeps the rankings' precomputed rows: every entity and every group, for each preset window
 * and profile. Rows of entities touched by new events are recomputed before the next ranking
 * read (read-your-writes); everything is recomputed on a schedule, as windows move with time
 * and ownership changes.
 */
export class ScorecardService {
  /** The flush in flight (or the last one, settled). */
  private runningFlush: Promise<void> = Promise.resolve();
  /** The flush queued behind it, which the reads arriving meanwhile share. */
  private nextFlush?: { owners: boolean; done: Promise<void> };

  constructor(
    private readonly stores: Pick<
      DoraStores,
      'catalog' | 'facts' | 'maturity' | 'rankings'
    >,
    private readonly settings: DevopsMaturitySettings,
    private readonly logger: LoggerService,
    private readonly maturity: MaturityService,
    /** Records under which settings every row was last computed (in the database). */
    private readonly rules: Pick<RankingRules, 'isCurrent' | 'markApplied'>,
    private readonly clock: () => number = Date.now,
  ) {}

  /**
   * Called after something a ranking row shows changed for these entities (an assessment, a
   * move of history). Stored batches mark their entities in their own transaction.
   */
  async markDirty(entityRefs: Iterable<string>): Promise<void> {
    await this.stores.rankings.markStale(entityRefs);
  }

  /**
   * Recomputes every row; one such recomputation at a time, across replicas. Entities whose
   * stored facts hold (nothing marked since, no event stamped ahead of them reached) are
   * computed from those, but for a rolling share (`REREAD_SHARE_PER_RECOMPUTATION`); with
   * `rereadEvents`, every entity is read from its events, as after a rebuild of the facts
   * under other rules.
   */
  refreshAll(options: { rereadEvents?: boolean } = {}): Promise<{
    entities: number;
    owners: number;
    ms: number;
    /** Of `ms`, the time the entities' rows took; the groups' rows took the rest. */
    entityMs: number;
  }> {
    return this.stores.rankings.exclusively(() =>
      this.recomputeAll(!!options.rereadEvents),
    );
  }

  /**
   * Recomputes every row when the settings they follow are not those they were last all
   * computed under (see `RankingRules`); whether it did. Checked again once this replica's
   * turn comes: replicas that start together with new settings queue for the recomputation,
   * and only the first runs it. Every entity is read from its events: a new version of the
   * code (`RANKING_ROWS_VERSION`) may derive facts, or cover windows, otherwise than those
   * stored.
   */
  async refreshAllIfRulesChanged(): Promise<boolean> {
    if (await this.rules.isCurrent()) return false;
    return this.stores.rankings.exclusively(async () => {
      if (await this.rules.isCurrent()) return false;
      await this.recomputeAll(true);
      return true;
    });
  }

  private async recomputeAll(rereadEvents: boolean) {
    const started = Date.now();
    const { cleared, now, marked } = await this.readMarksAroundNow();
    const entities = await this.stores.catalog.listEntities();
    const packed = new Map<string, PackedFacts>();
    const readEvents = rereadEvents
      ? undefined
      : new Set([
          ...marked,
          ...(await this.stores.facts.entityFactsComputedFirst(
            Math.ceil(entities.length * REREAD_SHARE_PER_RECOMPUTATION),
          )),
        ]);
    await this.refreshEntities(entities, now, packed, readEvents);
    const entityMs = Date.now() - started;
    // The entities as the mirror has them now, not at the start: one that a catalog refresh
    // removed meanwhile (its rows deleted by then) was upserted again above.
    const present = (await this.stores.catalog.listEntities()).map(
      e => e.entityRef,
    );
    await this.stores.rankings.deleteScorecardsExcept('entity', present);
    await this.stores.facts.deleteEntityFactsExcept(present);
    const owners = await this.recomputeOwners(now, undefined, packed, marked);
    await this.stores.rankings.clearStale(cleared);
    // Whichever job ran it (catalog refresh, schedule, facts rebuild): every row now follows
    // these settings.
    await this.rules.markApplied();
    const ms = Date.now() - started;
    this.logger.info(
      `Recomputed the rankings of ${entities.length} entities and ${owners} groups in ${ms} ms (entities ${entityMs} ms)`,
    );
    return { entities: entities.length, owners, ms, entityMs };
  }

  /**
   * Brings rows up to date with every stored event, on whichever replica it was stored: the
   * stale marks are in the database. Replicas flushing at once compute the same rows, and a
   * row computed earlier never replaces one computed later.
   *
   * One flush runs at a time per replica, and the reads that arrive meanwhile share the next
   * one, which starts after them and so sees everything acknowledged before them. Without the
   * sharing, every read queued a flush of its own: at 200 ranking reads a second under a stream
   * of pushes, each recomputing the entities the pushes had marked, the queue grew without
   * bound (the load probe's reads waited 40 s and more).
   */
  flush(subjectType: 'entity' | 'owner'): Promise<void> {
    const owners = subjectType === 'owner';
    if (this.nextFlush) {
      this.nextFlush.owners ||= owners;
      return this.nextFlush.done;
    }
    const next = { owners, done: Promise.resolve() };
    next.done = this.runningFlush
      // A failed flush fails the reads that shared it, not every read after it; its marks stay.
      .catch(() => undefined)
      .then(() => {
        // Running from here: a read that comes now needs a flush that starts after it.
        this.nextFlush = undefined;
        return this.flushOnce(next.owners);
      });
    next.done.catch(error =>
      this.logger.warn(`Recomputing stale ranking rows failed: ${error}`),
    );
    this.nextFlush = next;
    this.runningFlush = next.done;
    return next.done;
  }

  /**
   * The stale marks, read before and after the time the rows are computed at:
   * - `cleared`, read before: an event they mark finished before `now`, so the rows computed
   *   hold it, and the marks may be cleared after them.
   * - `marked`, the entities marked when read again after `now`. Their stored facts may lack
   *   an event, so they are read from their events. (A mark a flush cleared in between is
   *   gone, but that flush stored facts holding the event first.) An entity marked later has
   *   an event stored after `now`, which a flush computes at a later time, replica clocks
   *   agreeing: rows computed from its stored facts here never replace those. Read once,
   *   before `now`, an event stored between the read and `now` left stored facts that lack it
   *   and a flush computing at an earlier time; these rows, computed later, replaced that
   *   flush's.
   */
  private async readMarksAroundNow() {
    const cleared = await this.stores.rankings.readStale();
    const now = this.clock();
    const marked = new Set(
      (await this.stores.rankings.readStale())
        .filter(m => !isTeamMark(m))
        .map(m => m.subjectRef),
    );
    return { cleared, now, marked };
  }

  private async flushOnce(owners: boolean): Promise<void> {
    const { cleared: stale, now, marked } = await this.readMarksAroundNow();
    if (stale.length === 0) return;
    const entityMarks = stale.filter(m => !isTeamMark(m));
    const ownerMarks = stale.filter(isTeamMark);
    // The facts read for the entities' rows, when the groups' rows pool them next.
    const packed =
      owners && ownerMarks.length ? new Map<string, PackedFacts>() : undefined;
    if (entityMarks.length) {
      const dirty = new Set(entityMarks.map(m => m.subjectRef));
      const entities = await this.stores.catalog.listEntities();
      await this.refreshEntities(
        entities.filter(e => dirty.has(e.entityRef)),
        now,
        packed,
      );
      // Marked by a catalog refresh that removed them.
      entities.forEach(e => dirty.delete(e.entityRef));
      await this.stores.rankings.deleteScorecards('entity', [...dirty]);
      await this.clearMarks(entityMarks);
    }
    if (packed) {
      await this.recomputeOwners(now, teamsOfMarks(ownerMarks), packed, marked);
      await this.clearMarks(ownerMarks);
    }
  }

  /**
   * Clears the marks of rows just recomputed. A clearing that fails (on PostgreSQL it can lose
   * a deadlock to a batch marking the same rows) leaves marks whose rows are up to date: the
   * next read recomputes them again, which is harmless, where failing would fail every read
   * that shared this recomputation.
   */
  private async clearMarks(marks: StaleMark[]) {
    try {
      await this.stores.rankings.clearStale(marks);
    } catch (error) {
      this.logger.warn(`Could not clear ranking marks, kept: ${error}`);
    }
  }

  private windows(now: number) {
    return PRESET_WINDOW_DAYS.map(days => ({
      days,
      window: { from: now - days * DAY_MS, to: now },
    }));
  }

  private async rowsFor(
    subject: Omit<
      ScorecardRow,
      'windowDays' | 'profile' | 'computedAt' | 'metrics'
    >,
    facts: PackedFacts,
    now: number,
    extra: Record<string, unknown>,
    /** Adds columns that depend on the row's DORA figures, such as the maturity level. */
    decorate?: (metrics: DoraMetrics) => Partial<ScorecardRow>,
  ): Promise<ScorecardRow[]> {
    const rows: ScorecardRow[] = [];
    const profiles = Object.values(this.settings.profiles);
    for (const { days, window } of this.windows(now)) {
      // A turn of the event loop per window: a team's pooled year can hold hundreds of
      // thousands of changes (577,167 in the skewed benchmark), the organisation's millions,
      // which would hold every request for all windows at once.
      await nextTurn();
      // Counted once for every profile; only the tiers differ.
      const graded = computePackedDoraMetricsByProfile(facts, window, profiles);
      for (const [i, profile] of profiles.entries()) {
        const dora = graded[i];
        const more = decorate?.(dora) ?? {};
        rows.push({
          ...subject,
          ...more,
          windowDays: days,
          profile: profile.id,
          computedAt: now,
          metrics: { ...extra, ...dora, ...more.metrics },
        });
      }
    }
    return rows;
  }

  /** The maturity columns of an entity's row for one window and profile. */
  private maturityColumns(
    checks: CheckResult[],
    assessment: CalmsAssessment | undefined,
    dora: DoraMetrics,
    now: number,
    scope: EntityScope,
  ): Partial<ScorecardRow> & { metrics: { maturity: ScorecardMaturity } } {
    const { calms, maturity } = this.maturity.score({
      checks,
      dora,
      assessment,
      now,
      scope,
    });
    const summary: ScorecardMaturity = {
      level: maturity.level,
      name: maturity.name,
      calms: calms.overall,
      pillars: Object.fromEntries(
        calms.pillars.map(p => [p.pillar, p.score]),
      ) as ScorecardMaturity['pillars'],
      basis: calms.basis,
      checks: Object.fromEntries(checks.map(c => [c.id, c.status])),
    };
    return {
      maturityLevel: maturity.level,
      calmsScore: calms.overall,
      checks: summary.checks,
      metrics: { maturity: summary } as any,
    };
  }

  /**
   * Recomputes the rows of these entities (as the catalog mirror has them); with `keep`,
   * keeps their facts there, packed, for the groups' rows. With `readEvents`, the entities
   * not in it whose stored facts hold are computed from those (see `readEntityFacts`);
   * without, every entity is read from its events.
   */
  private async refreshEntities(
    entities: Array<Omit<MirroredEntity, 'identities'>>,
    now: number,
    keep?: Map<string, PackedFacts>,
    readEvents?: Set<string>,
  ) {
    // On PostgreSQL each part's rows are written while the next part is computed (see
    // `WriteBehind`).
    await WriteBehind.around(this.stores.rankings.writesRunBeside, writes =>
      this.refreshParts(entities, now, writes, keep, readEvents),
    );
  }

  private async refreshParts(
    entities: Array<Omit<MirroredEntity, 'identities'>>,
    now: number,
    writes: WriteBehind,
    keep?: Map<string, PackedFacts>,
    readEvents?: Set<string>,
  ) {
    for (let i = 0; i < entities.length; i += 500) {
      const part = entities.slice(i, i + 500);
      const refs = part.map(e => e.entityRef);
      const packed = await this.factsOf(refs, now, readEvents);
      if (keep) for (const [ref, p] of packed) keep.set(ref, p);
      const checks = await this.maturity.evaluateChecks(part, now);
      const assessments = await this.stores.maturity.latestAssessments(refs);
      const history: Array<{
        entityRef: string;
        checks: CheckResult[];
        level: number;
        calms: number | null;
      }> = [];
      const rows: ScorecardRow[] = [];
      for (const e of part) {
        const ref = e.entityRef;
        const identity = scorecardIdentity(e);
        const entityRows = await this.rowsFor(
          { subjectType: 'entity', subjectRef: ref, ...identity },
          packed.get(ref)!,
          now,
          identity,
          dora =>
            this.maturityColumns(
              checks.get(ref)!,
              assessments.get(ref),
              dora,
              now,
              this.maturity.scopeOf(e),
            ),
        );
        // The history keeps the level and CALMS score of the default window and profile.
        const main = entityRows.find(
          r =>
            r.windowDays === DEFAULT_WINDOW_DAYS &&
            r.profile === this.settings.defaultProfile,
        );
        history.push({
          entityRef: ref,
          checks: checks.get(ref)!,
          level: main?.maturityLevel ?? 0,
          calms: main?.calmsScore ?? null,
        });
        rows.push(...entityRows);
      }
      await writes.push(async () => {
        await this.stores.rankings.upsertScorecards(rows);
        await this.maturity.recordHistory(history, now);
      });
    }
  }

  /**
   * Recomputes the rows of every group, or of those `touched` made stale: the groups that own
   * (directly or through sub-groups) one of its entities, and its groups and, when child
   * groups count, the groups above them. A touched group gone from the catalog loses its rows.
   *
   * Each entity's facts are read once, whatever the number of groups above it: `known` has
   * those read already, at the same `now`, and takes the rest. A department pools the facts
   * its teams pooled; read per group, a two-level hierarchy read every event three times, and
   * those reads were half of a full recomputation.
   *
   * The rest come from the facts stored with each entity's rows (`writeEntityFacts`), cut to
   * this `now`'s windows: an event stored since they were computed marked its entity, whose
   * rows, and facts, a flush recomputes before its groups'. So a catalog change that makes
   * every department stale reads no events but those of the entities it moved. An entity with
   * no stored facts (new, or stored in an older layout), or whose facts lack an event stamped
   * ahead of their time that `now` has reached, is read from its events.
   */
  private async recomputeOwners(
    now: number,
    touched: { entities: Set<string>; groups: Set<string> } | undefined,
    known: Map<string, PackedFacts>,
    /** Entities read from their events, whatever is stored (see `readMarksAroundNow`). */
    readEvents: Set<string>,
  ): Promise<number> {
    const children = this.settings.includeChildGroups;
    const ownedByGroup = await ownedEntitiesByGroup(this.stores, children);
    let stale = ownedByGroup;
    if (touched) {
      const groups = await this.withGroupsAbove(touched.groups);
      stale = ownedByGroup.filter(
        o =>
          groups.has(o.group.groupRef) ||
          o.entityRefs.some(ref => touched.entities.has(ref)),
      );
      ownedByGroup.forEach(o => groups.delete(o.group.groupRef));
      await this.stores.rankings.deleteScorecards('owner', [...groups]);
    }
    const unknown = [
      ...new Set(stale.flatMap(o => o.entityRefs).filter(r => !known.has(r))),
    ];
    for (let i = 0; i < unknown.length; i += 500) {
      const part = unknown.slice(i, i + 500);
      for (const [ref, p] of await this.factsOf(part, now, readEvents))
        known.set(ref, p);
    }
    // Written a few hundred rows at a time, on PostgreSQL behind the groups computed next (see
    // `WriteBehind`): a write per group was a transaction of five round trips for 8 rows.
    await WriteBehind.around(this.stores.rankings.writesRunBeside, writes =>
      this.writeGroupRows(stale, known, now, writes),
    );
    if (!touched) {
      // The groups as the mirror has them now (see recomputeAll).
      await this.stores.rankings.deleteScorecardsExcept(
        'owner',
        (await this.stores.catalog.listGroups()).map(g => g.groupRef),
      );
    }
    return stale.length;
  }

  /**
   * Computes these groups' rows from their entities' facts (all in `known`) and pushes them to
   * `writes`, at most one of `upsertScorecards`' statements at a time (62 groups of 8 rows),
   * not a statement and a remainder.
   */
  private async writeGroupRows(
    groups: Awaited<ReturnType<typeof ownedEntitiesByGroup>>,
    known: Map<string, PackedFacts>,
    now: number,
    writes: WriteBehind,
  ) {
    let rows: ScorecardRow[] = [];
    const write = async () => {
      const written = rows;
      rows = [];
      if (written.length)
        await writes.push(() => this.stores.rankings.upsertScorecards(written));
    };
    for (const { group: g, entityRefs: owned } of groups) {
      const identity = {
        ownerRef: g.groupRef,
        title: g.title,
        parentRef: g.parentRef,
        entityRefs: owned,
        includeChildren: this.settings.includeChildGroups,
      };
      const groupRows = await this.rowsFor(
        {
          subjectType: 'owner',
          subjectRef: g.groupRef,
          title: g.title,
          ownerRef: g.parentRef,
        },
        // The arrays one after the other: a copy of numbers, however many.
        concatPackedFacts(owned.map(ref => known.get(ref)!)),
        now,
        identity,
      );
      if (rows.length + groupRows.length > SCORECARD_ROWS_PER_WRITE)
        await write();
      rows.push(...groupRows);
    }
    await write();
  }

  /**
   * These entities' facts for the longest window ending `now`, packed. With `readEvents`,
   * those not in it whose stored facts hold come from those; the others are read from their
   * events and stored (see `readAndStoreFacts`).
   */
  private async factsOf(
    refs: string[],
    now: number,
    readEvents?: Set<string>,
  ): Promise<Map<string, PackedFacts>> {
    const stored = readEvents
      ? await this.stores.facts.readEntityFacts(
          refs.filter(ref => !readEvents.has(ref)),
          now,
        )
      : new Map<string, { facts: PackedFacts }>();
    const packed = await this.readAndStoreFacts(
      refs.filter(ref => !stored.has(ref)),
      now,
    );
    for (const [ref, { facts }] of stored) packed.set(ref, facts);
    return packed;
  }

  /**
   * These entities' facts for the longest window ending `now`, read from their events, and
   * packed; the packed ones stored, before any row computed from them, so that a flush that
   * sees these rows' marks cleared reads these (see `recomputeOwners`).
   */
  private async readAndStoreFacts(
    refs: string[],
    now: number,
  ): Promise<Map<string, PackedFacts>> {
    if (refs.length === 0) return new Map();
    const facts = await this.stores.facts.readFacts(refs, {
      from: now - LONGEST * DAY_MS,
      to: now,
    });
    const packed = await packEach(facts);
    await this.stores.facts.writeEntityFacts(packed, now);
    return packed;
  }

  /** These groups and, when child groups count, every group above them. */
  private async withGroupsAbove(groups: Set<string>): Promise<Set<string>> {
    const all = new Set(groups);
    if (groups.size === 0 || !this.settings.includeChildGroups) return all;
    for (const {
      groupRef,
      ancestorRef,
    } of await this.stores.catalog.listGroupAncestry())
      if (groups.has(groupRef)) all.add(ancestorRef);
    return all;
  }

  /** Whether a request's window is one the rankings keep ready. */
  static presetDays(query: {
    from?: string;
    to?: string;
    days?: number;
  }): number | undefined {
    if (query.from || query.to) return undefined;
    const days = query.days ?? DEFAULT_WINDOW_DAYS;
    return PRESET_WINDOW_DAYS.includes(days) ? days : undefined;
  }

  /**
   * Every entity's level and check statuses, caught up with the stored events as a ranking
   * read is; `updating` when answered before they caught up (see `caughtUp`).
   */
  async maturityRows(
    windowDays: number,
    profile: string,
  ): Promise<{ rows: MaturityRow[]; updating?: true }> {
    const updating = !(await this.caughtUp('entity'));
    const rows = await this.stores.rankings.maturityRows(windowDays, profile);
    return updating ? { rows, updating: true } : { rows };
  }

  /** A page of a ranking; `updating` when it was answered before the rows caught up. */
  async rank(query: RankingQuery): Promise<
    Awaited<ReturnType<RankingStore['queryScorecards']>> & {
      updating?: true;
    }
  > {
    const updating = !(await this.caughtUp(query.subjectType));
    const page = await this.stores.rankings.queryScorecards(query);
    return updating ? { ...page, updating: true } : page;
  }

  /**
   * Whether the rows are up to date with every event acknowledged before now: at once when
   * nothing is marked, after the recomputation when little is; else false, the recomputation
   * running on (see WAIT_FOR_STALE_AT_MOST).
   */
  private async caughtUp(subjectType: 'entity' | 'owner'): Promise<boolean> {
    const stale = await this.stores.rankings.countStale();
    const marks = stale.entities + (subjectType === 'owner' ? stale.teams : 0);
    if (marks === 0) return true;
    // A failed recomputation is logged once, by the read that started it; its marks stay,
    // and the reads answer the rows as they are, saying so, rather than failing.
    const flush = this.flush(subjectType);
    if (marks > WAIT_FOR_STALE_AT_MOST) return false;
    try {
      await flush;
      return true;
    } catch {
      return false;
    }
  }
}

/**
 * A pace for work over many entities' facts: called after each entity, it gives the event loop
 * a turn once 50,000 facts were handled since the last one. A whole organisation's year is
 * millions of facts, 500 entities of a busy portfolio too.
 */
function turnEvery50kFacts(): (done: PackedFacts) => Promise<void> {
  let sinceTurn = 0;
  return async done => {
    sinceTurn += packedSize(done);
    if (sinceTurn >= 50_000) {
      sinceTurn = 0;
      await nextTurn();
    }
  };
}

/** Packs each entity's facts (see `turnEvery50kFacts`). */
async function packEach(
  facts: Map<string, DoraFacts>,
): Promise<Map<string, PackedFacts>> {
  const packed = new Map<string, PackedFacts>();
  const pace = turnEvery50kFacts();
  for (const [ref, f] of facts) {
    const p = packFacts(f);
    packed.set(ref, p);
    await pace(p);
  }
  return packed;
}
