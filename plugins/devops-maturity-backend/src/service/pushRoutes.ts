import { Request } from 'express';
import Router from 'express-promise-router';
import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { devopsMaturityEventsCreatePermission } from '@devops-maturity/backstage-plugin-common';
import { DoraStores } from '../database/openStores';
import { DoraService } from './DoraService';
import { IngestService } from './IngestService';
import {
  deploymentBaseQuery,
  noQuery,
  parseQuery,
  storedIncidentQuery,
} from './queries';
import {
  deploymentItemSchema,
  incidentItemSchema,
  parseBatch,
  requireJsonBody,
} from './validation';

/**
 * What pipelines and other plugins call: the pushes, and the two reads a pipeline needs to
 * report a deployment (its base) or an incident again (its stored copy). All under the push permission, so that the push-only token
 * the README recommends for CI can use them and nothing else.
 */
export function registerPushRoutes(
  router: ReturnType<typeof Router>,
  deps: {
    httpAuth: HttpAuthService;
    permissions: PermissionsService;
    stores: Pick<DoraStores, 'events'>;
    ingest: IngestService;
    dora: DoraService;
  },
) {
  const { httpAuth, permissions, stores, ingest, dora } = deps;

  /**
   * Services only (CI pipelines with static tokens, other plugins), never users, and only
   * those allowed to push: a token restricted to other permissions cannot.
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
    parseQuery(noQuery, req.query);
    requireJsonBody(req);
    const items = parseBatch(
      deploymentItemSchema,
      req.body,
      dora.eventTimeRange(),
    );
    res.json(await ingest.ingestDeployments(items));
  });

  router.post('/incidents', async (req, res) => {
    await authorizePush(req);
    parseQuery(noQuery, req.query);
    requireJsonBody(req);
    const items = parseBatch(
      incidentItemSchema,
      req.body,
      dora.eventTimeRange(),
    );
    res.json(await ingest.ingestIncidents(items));
  });

  // Answers for any entity, known or not, without 404: an unknown one has nothing, as a push
  // to it would be kept unmatched; the push token learns no more than a push tells.
  router.get('/deployments/base', async (req, res) => {
    await authorizePush(req);
    const q = parseQuery(deploymentBaseQuery, req.query);
    res.json(await stores.events.deploymentBase(q));
  });

  // A push replaces a stored incident whole: a pipeline that resolves one reads it first, to
  // send back what it said at open. Answers as the base route does, for any entity.
  router.get('/incidents/stored', async (req, res) => {
    await authorizePush(req);
    const q = parseQuery(storedIncidentQuery, req.query);
    res.json(await stores.events.storedIncident(q));
  });
}
