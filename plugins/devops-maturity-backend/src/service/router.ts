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
  devopsMaturityReadPermission,
  devopsMaturityUnmatchedReadPermission,
} from '@devops-maturity/backstage-plugin-common';
import { DoraStore } from '../database/types';
import { DoraService } from './DoraService';
import { IngestService, normalizeEntityRef } from './IngestService';
import {
  deploymentItemSchema,
  incidentItemSchema,
  parseBatch,
} from './validation';
import {
  doraQuery,
  pageQuery,
  parseQuery,
  scorecardQuery,
  trendQuery,
} from './queries';
import { sortRows, tierDistribution, toCsv } from './ranking';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  logger: LoggerService;
  store: DoraStore;
  ingest: IngestService;
  dora: DoraService;
}

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, permissions, store, ingest, dora } = options;
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
    normalizeEntityRef(
      `${req.params.kind}:${req.params.namespace}/${req.params.name}`,
    );

  // Writes: services only (CI pipelines with static tokens, other plugins); never users.
  router.post('/deployments', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['service'] });
    const items = parseBatch(deploymentItemSchema, req.body);
    res.json(await ingest.ingestDeployments(items));
  });

  router.post('/incidents', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['service'] });
    const items = parseBatch(incidentItemSchema, req.body);
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

  router.get('/scorecards', async (req, res) => {
    await authorizeRead(req);
    const q = parseQuery(scorecardQuery, req.query);
    const window = dora.window(q);
    let rows = await dora.entityScorecards(window, dora.profile(q.profile));
    if (q.owner?.length) {
      const owned = new Set<string>();
      for (const o of q.owner) {
        (
          await dora.ownedEntities(normalizeOwner(o), q.includeChildren ?? true)
        ).forEach(r => owned.add(r));
      }
      rows = rows.filter(r => owned.has(r.entityRef));
    }
    const inList = (list: string[] | undefined, v: string | undefined) =>
      !list?.length ||
      (v !== undefined &&
        list.some(
          x => x.toLocaleLowerCase('en-US') === v.toLocaleLowerCase('en-US'),
        ));
    rows = rows.filter(
      r =>
        inList(q.system?.map(normalizeSystem), r.systemRef) &&
        inList(q.kind, r.kind) &&
        inList(q.type, r.type) &&
        inList(q.lifecycle, r.lifecycle),
    );
    if (q.q) {
      const needle = q.q.toLocaleLowerCase('en-US');
      rows = rows.filter(
        r =>
          r.entityRef.includes(needle) ||
          r.title?.toLocaleLowerCase('en-US').includes(needle),
      );
    }
    const distribution = tierDistribution(rows); // before the tier filter: the whole selection
    if (q.tier?.length)
      rows = rows.filter(r => q.tier!.includes(r.overallTier ?? 'none'));
    rows = sortRows(rows, q.sort, q.order);
    if (
      q.format === 'csv' ||
      req.accepts(['application/json', 'text/csv']) === 'text/csv'
    ) {
      res
        .type('text/csv')
        .send(
          toCsv(rows, [
            'entityRef',
            'title',
            'kind',
            'type',
            'lifecycle',
            'ownerRef',
            'systemRef',
          ]),
        );
      return;
    }
    res.json({
      window: {
        from: new Date(window.from).toISOString(),
        to: new Date(window.to).toISOString(),
      },
      profile: dora.profile(q.profile).id,
      totalCount: rows.length,
      distribution,
      items: rows.slice(q.offset, q.offset + q.limit),
    });
  });

  router.get('/scorecards/owners', async (req, res) => {
    await authorizeRead(req);
    const q = parseQuery(scorecardQuery, req.query);
    const window = dora.window(q);
    let rows = await dora.ownerScorecards(
      window,
      dora.profile(q.profile),
      q.includeChildren,
    );
    if (q.q) {
      const needle = q.q.toLocaleLowerCase('en-US');
      rows = rows.filter(
        r =>
          r.ownerRef.includes(needle) ||
          r.title?.toLocaleLowerCase('en-US').includes(needle),
      );
    }
    const distribution = tierDistribution(rows);
    if (q.tier?.length)
      rows = rows.filter(r => q.tier!.includes(r.overallTier ?? 'none'));
    rows = sortRows(rows, q.sort, q.order);
    if (
      q.format === 'csv' ||
      req.accepts(['application/json', 'text/csv']) === 'text/csv'
    ) {
      res.type('text/csv').send(
        toCsv(
          rows.map(r => ({ ...r, entities: r.entityRefs.length })),
          ['ownerRef', 'title', 'parentRef', 'entities'],
        ),
      );
      return;
    }
    res.json({
      window: {
        from: new Date(window.from).toISOString(),
        to: new Date(window.to).toISOString(),
      },
      profile: dora.profile(q.profile).id,
      totalCount: rows.length,
      distribution,
      items: rows.slice(q.offset, q.offset + q.limit),
    });
  });

  router.get('/unmatched', async (req, res) => {
    await authorizeRead(req, devopsMaturityUnmatchedReadPermission);
    const q = parseQuery(pageQuery, req.query);
    res.json(await store.listUnmatched(q));
  });

  return router;
}

function normalizeOwner(ref: string) {
  return ref.includes(':')
    ? ref.toLocaleLowerCase('en-US')
    : normalizeEntityRefWithKind(ref, 'group');
}

function normalizeSystem(ref: string) {
  return ref.includes(':')
    ? ref.toLocaleLowerCase('en-US')
    : normalizeEntityRefWithKind(ref, 'system');
}

function normalizeEntityRefWithKind(ref: string, kind: string) {
  return normalizeEntityRef(
    `${kind}:${ref.includes('/') ? ref : `default/${ref}`}`,
  );
}
