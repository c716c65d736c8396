import { Request, Router } from 'express';
import { DoraTier } from '@devops-maturity/backstage-plugin-common';
import { DoraService } from './DoraService';
import { normalizeEntityRef } from './IngestService';
import { ownerScorecardQuery, parseQuery, scorecardQuery } from './queries';
import { sortRows, tierDistribution, toCsv } from './ranking';
import { ScorecardService } from './ScorecardService';
import { ReadAccess, Visibility } from './ReadAccess';

type ScorecardQuery = ReturnType<typeof parseQuery<typeof scorecardQuery>>;

const ENTITY_CSV_COLUMNS = [
  'entityRef',
  'title',
  'kind',
  'type',
  'lifecycle',
  'ownerRef',
  'systemRef',
];
const OWNER_CSV_COLUMNS = ['ownerRef', 'title', 'parentRef', 'entities'];

/** `team-a`, `default/team-a` and `group:default/team-a` all name the same group. */
export function normalizeWithKind(ref: string, kind: string) {
  if (ref.includes(':')) return ref.toLocaleLowerCase('en-US');
  return normalizeEntityRef(
    `${kind}:${ref.includes('/') ? ref : `default/${ref}`}`,
  );
}

function wantsCsv(req: Request, q: ScorecardQuery) {
  return (
    q.format === 'csv' ||
    req.accepts(['application/json', 'text/csv']) === 'text/csv'
  );
}

/**
 * The rankings. Preset windows (30, 90, 180 or 365 days ending now) are served from the
 * precomputed rows with SQL filters, sorting and paging; any other window is computed on request.
 */
export function registerScorecardRoutes(
  router: Router,
  deps: {
    dora: DoraService;
    scorecards: ScorecardService;
    access: ReadAccess;
    /** Whether the stored facts follow the configured rules (see FactsRebuild). */
    rulesApplied?: () => Promise<boolean>;
  },
) {
  const { dora, scorecards, access, rulesApplied } = deps;

  /** While stored facts are rebuilt under changed rules, rankings say they may be stale. */
  async function rebuilding(): Promise<{ rebuilding?: true }> {
    return rulesApplied && !(await rulesApplied()) ? { rebuilding: true } : {};
  }

  async function ownerRefs(q: ScorecardQuery) {
    if (!q.owner?.length) return undefined;
    const refs = new Set<string>();
    for (const o of q.owner) {
      for (const g of await dora.ownerGroups(
        normalizeWithKind(o, 'group'),
        q.includeChildren ?? true,
      ))
        refs.add(g);
    }
    return [...refs];
  }

  /**
   * A ranking of what the reader may see. Entities hidden from the reader are filtered out in
   * SQL; a team's precomputed row pools every entity it owns, so a reader who may not see all
   * of them gets team rows computed on request over the visible ones.
   */
  async function rank(
    subjectType: 'entity' | 'owner',
    q: ScorecardQuery,
    visibility: Visibility,
  ) {
    const profile = dora.profile(q.profile);
    const window = dora.window(q);
    const common = {
      window: {
        from: new Date(window.from).toISOString(),
        to: new Date(window.to).toISOString(),
      },
      profile: profile.id,
    };
    const days = ScorecardService.presetDays(q);
    if (
      days !== undefined &&
      (subjectType === 'entity' ||
        (q.includeChildren === undefined && visibility.all))
    ) {
      const page = await scorecards.rank({
        subjectType,
        windowDays: days,
        profile: profile.id,
        ownerRefs: subjectType === 'entity' ? await ownerRefs(q) : undefined,
        subjectRefs: visibility.all ? undefined : [...visibility.refs],
        systemRefs: q.system?.map(s => normalizeWithKind(s, 'system')),
        kinds: q.kind,
        types: q.type,
        lifecycles: q.lifecycle,
        tiers: q.tier as Array<DoraTier | 'none'>,
        q: q.q,
        sort: q.sort,
        order: q.order,
        limit: q.format === 'csv' ? 100_000 : q.limit,
        offset: q.format === 'csv' ? 0 : q.offset,
      });
      // The precomputed window ends when it was computed: say which one it is.
      const computed = page.computedAt
        ? {
            from: new Date(page.computedAt - days * 86_400_000).toISOString(),
            to: new Date(page.computedAt).toISOString(),
          }
        : common.window;
      return {
        ...common,
        window: computed,
        totalCount: page.totalCount,
        distribution: page.distribution,
        items: page.items,
        ...(page.updating ? { updating: page.updating } : {}),
      };
    }
    return liveRank(subjectType, q, window, profile, visibility);
  }

  /** Any other window: computed from the facts on request (slower on large catalogs). */
  async function liveRank(
    subjectType: 'entity' | 'owner',
    q: ScorecardQuery,
    window: { from: number; to: number },
    profile: ReturnType<DoraService['profile']>,
    visibility: Visibility,
  ) {
    let rows: any[] =
      subjectType === 'entity'
        ? await dora.entityScorecards(window, profile, visibility)
        : await dora.ownerScorecards(
            window,
            profile,
            q.includeChildren,
            visibility,
          );
    const owners = subjectType === 'entity' ? await ownerRefs(q) : undefined;
    if (owners)
      rows = rows.filter(r => r.ownerRef && owners.includes(r.ownerRef));
    const inList = (list: string[] | undefined, v: string | undefined) =>
      !list?.length ||
      (v !== undefined &&
        list.some(
          x => x.toLocaleLowerCase('en-US') === v.toLocaleLowerCase('en-US'),
        ));
    rows = rows.filter(
      r =>
        inList(
          q.system?.map(s => normalizeWithKind(s, 'system')),
          r.systemRef,
        ) &&
        inList(q.kind, r.kind) &&
        inList(q.type, r.type) &&
        inList(q.lifecycle, r.lifecycle),
    );
    if (q.q) {
      const needle = q.q.toLocaleLowerCase('en-US');
      rows = rows.filter(
        r =>
          (r.entityRef ?? r.ownerRef).includes(needle) ||
          r.title?.toLocaleLowerCase('en-US').includes(needle),
      );
    }
    const distribution = tierDistribution(rows);
    if (q.tier?.length)
      rows = rows.filter(r => q.tier!.includes(r.overallTier ?? 'none'));
    rows = sortRows(rows, q.sort, q.order);
    return {
      window: {
        from: new Date(window.from).toISOString(),
        to: new Date(window.to).toISOString(),
      },
      profile: profile.id,
      totalCount: rows.length,
      distribution,
      items:
        q.format === 'csv' ? rows : rows.slice(q.offset, q.offset + q.limit),
    };
  }

  router.get('/scorecards', async (req, res) => {
    const visibility = await (await access.reader(req)).visibility();
    const q = parseQuery(scorecardQuery, req.query);
    if (wantsCsv(req, q)) {
      const all = await rank('entity', { ...q, format: 'csv' }, visibility);
      res.type('text/csv').send(toCsv(all.items, ENTITY_CSV_COLUMNS));
      return;
    }
    res.json({
      ...(await rank('entity', q, visibility)),
      ...(await rebuilding()),
    });
  });

  router.get('/scorecards/owners', async (req, res) => {
    const visibility = await (await access.reader(req)).visibility();
    const q = parseQuery(ownerScorecardQuery, req.query);
    if (wantsCsv(req, q)) {
      const all = await rank('owner', { ...q, format: 'csv' }, visibility);
      res.type('text/csv').send(
        toCsv(
          all.items.map((r: any) => ({ ...r, entities: r.entityRefs.length })),
          OWNER_CSV_COLUMNS,
        ),
      );
      return;
    }
    res.json({
      ...(await rank('owner', q, visibility)),
      ...(await rebuilding()),
    });
  });
}
