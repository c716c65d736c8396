import request from 'supertest';
import {
  coreServices,
  createBackendModule,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { startPluginBackend } from './__testUtils__/backend';
import { createTestDatabases, databaseIds } from './__testUtils__/databases';
import { component, group } from './__testUtils__/catalog';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const H = 3_600_000;
const NOW = Date.now();
const at = (hoursBeforeNow: number) =>
  new Date(NOW - hoursBeforeNow * H).toISOString();
const TO = encodeURIComponent(new Date(NOW + H).toISOString());
const service = mockCredentials.service.header();
const user = mockCredentials.user.header();
const SLUG = { 'github.com/project-slug': 'acme/svc' };

/** A catalog whose entities the test replaces between runs of the mirror task. */
function changingCatalog(entities: Entity[]) {
  let current = catalogServiceMock({ entities });
  // What the plugin asks of the catalog.
  const catalog: Partial<CatalogService> = {
    getEntities: (...args) => current.getEntities(...args),
    getEntitiesByRefs: (...args) => current.getEntitiesByRefs(...args),
  };
  return {
    catalog,
    set: (next: Entity[]) => {
      current = catalogServiceMock({ entities: next });
    },
  };
}

/** The plugin's own scheduler (a module shares its plugin's), to run the mirror again. */
function schedulerOfPlugin() {
  const captured: { scheduler?: SchedulerService } = {};
  const module = createBackendModule({
    pluginId: 'devops-maturity',
    moduleId: 'test-scheduler',
    register(env) {
      env.registerInit({
        deps: { scheduler: coreServices.scheduler },
        async init({ scheduler }) {
          captured.scheduler = scheduler;
        },
      });
    },
  });
  return {
    module,
    mirrorCatalog: () =>
      captured.scheduler!.triggerTask('devops-maturity-catalog-mirror'),
  };
}

const deploymentItem = (id: string, hours: number, extra: object) => ({
  id,
  environment: 'production',
  status: 'success',
  finishedAt: at(hours),
  ...extra,
});

describe.each(databaseIds(databases))(
  'entities that leave the catalog, through the backend on %p',
  databaseId => {
    it('lists a deleted service as no longer in the catalog; a renamed one keeps its history', async () => {
      const before = [
        group('team'),
        component('old-name', 'team', { annotations: SLUG }),
        component('gone', 'team'),
      ];
      const { catalog, set } = changingCatalog(before);
      const { module, mirrorCatalog } = schedulerOfPlugin();
      const server = await startPluginBackend({
        knex: await databases.init(databaseId),
        entities: [],
        catalog: catalog as CatalogService,
        features: [module],
      });
      const post = (path: string, items: object[]) =>
        request(server)
          .post(`/api/devops-maturity/${path}`)
          .set('authorization', service)
          .send({ items });
      const get = (path: string) =>
        request(server)
          .get(`/api/devops-maturity/${path}`)
          .set('authorization', user);

      expect(
        (
          await post('deployments', [
            deploymentItem('d1', 50, {
              annotations: SLUG,
              commits: [{ sha: 's1', committedAt: at(60) }],
            }),
            deploymentItem('d2', 20, {
              annotations: SLUG,
              commits: [{ sha: 's2', committedAt: at(22) }],
            }),
            deploymentItem('d3', 10, { entityRef: 'component:default/gone' }),
          ])
        ).body.accepted,
      ).toBe(3);
      await post('incidents', [
        {
          id: 'i1',
          annotations: SLUG,
          openedAt: at(19),
          resolvedAt: at(18),
        },
      ]);
      const doraOf = (name: string) =>
        get(`entities/component/default/${name}/dora?days=30&to=${TO}`);
      const history = (await doraOf('old-name')).body;
      expect(history.deploymentFrequency.deployments).toBe(2);
      expect(history.changeFailureRate.value).toBe(0.5);

      set([
        group('team'),
        component('new-name', 'team', { annotations: SLUG }),
      ]);
      await mirrorCatalog();

      const unmatched = await get('unmatched');
      expect(unmatched.body.totalCount).toBe(1);
      expect(unmatched.body.items[0]).toMatchObject({
        eventType: 'deployment',
        id: 'd3',
        identity: { entityRef: 'component:default/gone' },
        reason: 'no longer in the catalog',
      });
      expect((await doraOf('new-name')).body).toEqual({
        ...history,
        entityRef: 'component:default/new-name',
      });
      expect((await doraOf('old-name')).status).toBe(404);
      const ranking = await get('scorecards?days=30');
      expect(
        ranking.body.items.map((i: any) => [
          i.entityRef,
          i.deploymentFrequency.deployments,
        ]),
      ).toEqual([['component:default/new-name', 2]]);

      // Events naming a ref that left are kept, as any unmatched event is.
      const late = await post('deployments', [
        deploymentItem('d4', 1, { entityRef: 'component:default/gone' }),
      ]);
      expect(late.body.unmatched).toBe(1);
      expect((await get('unmatched')).body.totalCount).toBe(2);

      // Back in the catalog: its events, the late one too, are its own again.
      set([
        group('team'),
        component('new-name', 'team', { annotations: SLUG }),
        component('gone', 'team'),
      ]);
      await mirrorCatalog();
      expect((await get('unmatched')).body.totalCount).toBe(0);
      const gone = await get('entities/component/default/gone/deployments');
      expect(gone.body.items.map((d: any) => d.id)).toEqual(['d4', 'd3']);
    });
  },
);
