import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  devopsMaturityEventsExtensionPoint,
  DoraEventSink,
} from '@devops-maturity/backstage-plugin-node';
import request from 'supertest';
import { devopsMaturityPlugin } from './plugin';
import { component } from './__testUtils__/catalog';

describe('devopsMaturityEventsExtensionPoint', () => {
  it("connects a module's source to the ingest path, with its identity annotation", async () => {
    let sink: DoraEventSink | undefined;
    const jenkinsModule = createBackendModule({
      pluginId: 'devops-maturity',
      moduleId: 'test-jenkins',
      register(env) {
        env.registerInit({
          deps: { events: devopsMaturityEventsExtensionPoint },
          async init({ events }) {
            events.addIdentityAnnotation('jenkins.io/job-full-name');
            events.addEventSource({
              id: 'jenkins',
              connect: async s => {
                sink = s;
              },
            });
          },
        });
      },
    });
    const { server } = await startTestBackend({
      features: [
        devopsMaturityPlugin,
        jenkinsModule,
        catalogServiceMock.factory({
          entities: [
            component('svc', 'team', {
              annotations: { 'jenkins.io/job-full-name': 'shop/svc' },
            }),
          ],
        }),
        mockServices.scheduler.factory({
          includeInitialDelayedTasksOnStartup: true,
        }),
      ],
    });
    expect(sink).toBeDefined();
    const result = await sink!.pushDeployments([
      {
        id: 'b-1',
        source: 'jenkins',
        annotations: { 'jenkins.io/job-full-name': 'shop/svc' },
        environment: 'production',
        status: 'success',
        finishedAt: '2026-06-01T00:00:00Z',
      },
    ]);
    expect(result).toEqual({ accepted: 1, updated: 0, unmatched: 0 });
    await expect(
      sink!.pushIncidents([{ id: 'x', entityRef: 'svc' }]),
    ).rejects.toThrow(/items\[0\]\.openedAt/);
    const listed = await request(server)
      .get('/api/devops-maturity/entities/component/default/svc/deployments')
      .set('authorization', mockCredentials.user.header());
    expect(listed.body.items.map((d: any) => [d.source, d.id])).toEqual([
      ['jenkins', 'b-1'],
    ]);
  });
});
