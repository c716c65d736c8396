import express, { Request } from 'express';
import Router from 'express-promise-router';
import {
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
} from '@backstage/plugin-permission-common';
import {
  devopsMaturityEventsCreatePermission,
  devopsMaturityReadPermission,
  devopsMaturityUnmatchedReadPermission,
} from '@devops-maturity/backstage-plugin-common';
import { DoraStore } from '../database/types';
import { DoraService } from './DoraService';
import { IngestService } from './IngestService';
import {
  deploymentItemSchema,
  incidentItemSchema,
  parseBatch,
} from './validation';
import {
  doraQuery,
  entityRefOfPath,
  pageQuery,
  parseQuery,
  trendQuery,
} from './queries';
import { internalErrorFilter } from './internalErrors';
import { registerScorecardRoutes } from './scorecardRoutes';
import { ScorecardService } from './ScorecardService';
import { MaturityService } from './MaturityService';
import { registerMaturityRoutes } from './maturityRoutes';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  logger: LoggerService;
  store: DoraStore;
  ingest: IngestService;
  dora: DoraService;
  scorecards: ScorecardService;
  maturity: MaturityService;
  /** Whether the stored facts follow the configured rules; rankings say so when not. */
  rulesApplied?: () => Promise<boolean>;
}

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, permissions, store, ingest, dora, scorecards, maturity } =
    options;
  const router = Router();
  router.use(express.json({ limit: '10mb' }));

  /** Users and services may read what the permission policy allows. */
  async function authorizeRead(
    req: Request,
    permission: BasicPermission = devopsMaturityReadPermission,
  ) {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const [decision] = await permissions.authorize([{ permission }], {
      credentials,
    });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`Not allowed: ${permission.name}`);
    }
  }

  const entityRefOf = (req: Request) =>
    entityRefOfPath(req.params as Parameters<typeof entityRefOfPath>[0]);

  /**
   * Writes: services only (CI pipelines with static tokens, other plugins), never users, and
   * only those allowed to push: a token restricted to other permissions cannot.
   */
  async function authorizePush(req: Request) {
    const credentials = await httpAuth.credentials(req, { allow: ['service'] });
    const [decision] = await permissions.authorize(
      [{ permission: devopsMaturityEventsCreatePermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Not allowed: ${devopsMaturityEventsCreatePermission.name}`,
      );
    }
  }

  router.post('/deployments', async (req, res) => {
    await authorizePush(req);
    const items = parseBatch(
      deploymentItemSchema,
      req.body,
      dora.eventTimeRange(),
    );
    res.json(await ingest.ingestDeployments(items));
  });

  router.post('/incidents', async (req, res) => {
    await authorizePush(req);
    const items = parseBatch(
      incidentItemSchema,
      req.body,
      dora.eventTimeRange(),
    );
    res.json(await ingest.ingestIncidents(items));
  });

  router.get('/profiles', async (req, res) => {
    await authorizeRead(req);
    res.json(dora.listProfiles());
  });

  router.get('/entities/:kind/:namespace/:name/dora', async (req, res) => {
    await authorizeRead(req);
    const q = parseQuery(doraQuery, req.query);
    res.json(
      await dora.entityMetrics(
        entityRefOf(req),
        dora.window(q),
        dora.profile(q.profile),
      ),
    );
  });

  router.get(
    '/entities/:kind/:namespace/:name/dora/trend',
    async (req, res) => {
      await authorizeRead(req);
      const q = parseQuery(trendQuery, req.query);
      res.json(
        await dora.entityTrend(
          entityRefOf(req),
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
      await authorizeRead(req);
      const q = parseQuery(pageQuery, req.query);
      const window = q.from || q.to ? dora.window(q) : undefined;
      res.json(await store.listDeployments(entityRefOf(req), { ...q, window }));
    },
  );

  router.get('/entities/:kind/:namespace/:name/incidents', async (req, res) => {
    await authorizeRead(req);
    const q = parseQuery(pageQuery, req.query);
    const window = q.from || q.to ? dora.window(q) : undefined;
    res.json(await store.listIncidents(entityRefOf(req), { ...q, window }));
  });

  router.get('/owners/:kind/:namespace/:name/dora', async (req, res) => {
    await authorizeRead(req);
    const q = parseQuery(doraQuery, req.query);
    res.json(
      await dora.ownerMetrics(
        entityRefOf(req),
        q.includeChildren,
        dora.window(q),
        dora.profile(q.profile),
      ),
    );
  });

  registerScorecardRoutes(router, {
    dora,
    scorecards,
    authorizeRead,
    rulesApplied: options.rulesApplied,
  });
  registerMaturityRoutes(router, {
    httpAuth,
    permissions,
    dora,
    maturity,
    scorecards,
    authorizeRead,
    entityRefOf,
  });

  router.get('/unmatched', async (req, res) => {
    await authorizeRead(req, devopsMaturityUnmatchedReadPermission);
    const q = parseQuery(pageQuery, req.query);
    res.json(await store.listUnmatched(q));
  });

  router.use(internalErrorFilter(options.logger));
  return router;
}
