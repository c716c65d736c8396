import express, { Request } from 'express';
import Router from 'express-promise-router';
import {
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
} from '@backstage/plugin-permission-common';
import { devopsMaturityUnmatchedReadPermission } from '@devops-maturity/backstage-plugin-common';
import { DoraStores } from '../database/openStores';
import { DoraService } from './DoraService';
import { IngestService } from './IngestService';
import {
  doraQuery,
  entityRefOfPath,
  entityWindowQuery,
  noQuery,
  eventPageQuery,
  ownerHistoryQuery,
  unmatchedQuery,
  parseQuery,
  trendQuery,
} from './queries';
import { internalErrorFilter } from './internalErrors';
import { registerPushRoutes } from './pushRoutes';
import { registerScorecardRoutes } from './scorecardRoutes';
import { ReadAccess } from './ReadAccess';
import { ScorecardService } from './ScorecardService';
import { MaturityService } from './MaturityService';
import { registerMaturityRoutes } from './maturityRoutes';
import { TeamHistoryService } from './TeamHistoryService';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  logger: LoggerService;
  stores: Pick<DoraStores, 'catalog' | 'events' | 'unmatched'>;
  ingest: IngestService;
  dora: DoraService;
  scorecards: ScorecardService;
  maturity: MaturityService;
  teamHistory: TeamHistoryService;
  /** Whether the stored facts follow the configured rules; rankings say so when not. */
  rulesApplied?: () => Promise<boolean>;
  /** What each reader may see. */
  access: ReadAccess;
  /**
   * Which of the refs the catalog has, as the given reader sees it, or as the plugin sees it
   * without credentials (for unmatched events).
   */
  catalogHas: (
    entityRefs: string[],
    credentials?: BackstageCredentials,
  ) => Promise<Set<string>>;
}

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const {
    httpAuth,
    permissions,
    stores,
    ingest,
    dora,
    scorecards,
    maturity,
    access,
  } = options;
  const router = Router();
  router.use(express.json({ limit: '10mb' }));

  /** Users and services may read what the permission policy allows. */
  async function authorizeRead(req: Request, permission: BasicPermission) {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const [decision] = await permissions.authorize([{ permission }], {
      credentials,
    });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`Not allowed: ${permission.name}`);
    }
    return credentials;
  }

  const entityRefOf = (req: Request) =>
    entityRefOfPath(req.params as Parameters<typeof entityRefOfPath>[0]);

  /**
   * The request's entity, when the reader may see it; else 404 with the very answer of an
   * entity that does not exist, as the catalog answers: a hidden entity is not revealed.
   */
  async function visibleEntityRef(req: Request): Promise<string> {
    const reader = await access.reader(req);
    const entityRef = entityRefOf(req);
    if (!(await reader.canSee(entityRef))) throw dora.noSuchEntity(entityRef);
    return entityRef;
  }

  registerPushRoutes(router, { httpAuth, permissions, stores, ingest, dora });

  router.get('/profiles', async (req, res) => {
    await access.reader(req);
    parseQuery(noQuery, req.query);
    res.json(dora.listProfiles());
  });

  router.get('/entities/:kind/:namespace/:name/dora', async (req, res) => {
    const entityRef = await visibleEntityRef(req);
    const q = parseQuery(entityWindowQuery, req.query);
    res.json(
      await dora.entityMetrics(
        entityRef,
        dora.window(q),
        dora.profile(q.profile),
      ),
    );
  });

  router.get(
    '/entities/:kind/:namespace/:name/dora/trend',
    async (req, res) => {
      const entityRef = await visibleEntityRef(req);
      const q = parseQuery(trendQuery, req.query);
      res.json(
        await dora.entityTrend(
          entityRef,
          dora.window(q),
          q.interval,
          dora.profile(q.profile),
        ),
      );
    },
  );

  router.get(
    '/entities/:kind/:namespace/:name/deployments',
    async (req, res) => {
      const entityRef = await visibleEntityRef(req);
      const q = parseQuery(eventPageQuery, req.query);
      const window = q.from || q.to || q.days ? dora.window(q) : undefined;
      res.json(
        await stores.events.listDeployments(entityRef, { ...q, window }),
      );
    },
  );

  router.get('/entities/:kind/:namespace/:name/incidents', async (req, res) => {
    const entityRef = await visibleEntityRef(req);
    const q = parseQuery(eventPageQuery, req.query);
    const window = q.from || q.to || q.days ? dora.window(q) : undefined;
    res.json(await stores.events.listIncidents(entityRef, { ...q, window }));
  });

  router.get('/owners/:kind/:namespace/:name/dora', async (req, res) => {
    const reader = await access.reader(req);
    const q = parseQuery(doraQuery, req.query);
    res.json(
      await dora.ownerMetrics(
        entityRefOf(req),
        q.includeChildren,
        dora.window(q),
        dora.profile(q.profile),
        await reader.visibility(),
      ),
    );
  });

  router.get('/owners/:kind/:namespace/:name/history', async (req, res) => {
    const reader = await access.reader(req);
    const q = parseQuery(ownerHistoryQuery, req.query);
    res.json(
      await options.teamHistory.ownerHistory(
        entityRefOf(req),
        q,
        await reader.visibility(),
      ),
    );
  });

  registerScorecardRoutes(router, {
    dora,
    scorecards,
    access,
    rulesApplied: options.rulesApplied,
  });
  registerMaturityRoutes(router, {
    httpAuth,
    permissions,
    dora,
    maturity,
    scorecards,
    access,
    visibleEntityRef,
  });

  router.get('/unmatched', async (req, res) => {
    const credentials = await authorizeRead(
      req,
      devopsMaturityUnmatchedReadPermission,
    );
    const q = parseQuery(unmatchedQuery, req.query);
    res.json(
      await stores.unmatched.listUnmatched({
        ...q,
        ...(await unmatchedHiddenFrom(req, credentials)),
      }),
    );
  });

  /**
   * What the unmatched list leaves out for a reader, filtered in SQL before counting and
   * paging: events naming a catalog entity the catalog hides from the reader or whose
   * scorecards the policy hides; and, for a reader who may not see every scored entity, the
   * events of entities that left the catalog (nothing can tell any more whether the reader
   * might have seen them). Services see everything their access allows reading at all.
   */
  async function unmatchedHiddenFrom(
    req: Request,
    credentials: BackstageCredentials,
  ): Promise<{ hiddenRefs?: string[]; departed?: boolean }> {
    if ((credentials.principal as { type: string }).type !== 'user') return {};
    const reader = await access.reader(req);
    const visibility = await reader.visibility();
    const named = await stores.unmatched.unmatchedNamedRefs();
    if (named.length === 0) return { departed: visibility.all };
    const [all, seen] = await Promise.all([
      options.catalogHas(named),
      options.catalogHas(named, credentials),
    ]);
    // A ref of a scored kind must also be visible by the scorecard policy.
    const scored = await stores.catalog.existingEntities(named);
    const hiddenRefs: string[] = [];
    for (const ref of named) {
      const hidden =
        all.has(ref) &&
        (!seen.has(ref) || (scored.has(ref) && !(await reader.canSee(ref))));
      if (hidden) hiddenRefs.push(ref);
    }
    return { hiddenRefs, departed: visibility.all };
  }

  router.use(internalErrorFilter(options.logger));
  return router;
}
