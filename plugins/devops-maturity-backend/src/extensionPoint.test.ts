import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  devopsMaturityChecksExtensionPoint,
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
    expect(result).toEqual({ accepted: 1, updated: 0, unmatched: 0, stale: 0 });
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

describe('devopsMaturityChecksExtensionPoint', () => {
  it("adds a module's golden-path check to every entity's maturity, and refuses a duplicate id", async () => {
    const sonarModule = createBackendModule({
      pluginId: 'devops-maturity',
      moduleId: 'test-sonar',
      register(env) {
        env.registerInit({
          deps: { checks: devopsMaturityChecksExtensionPoint },
          async init({ checks }) {
            checks.addCheck({
              id: 'sonar',
              title: 'Code quality gate',
              pillar: 'automation',
              description: 'A quality gate stops regressions before review.',
              howToFix: 'Add sonarqube.org/project-key.',
              evaluate: ({ entity }) =>
                entity.annotations['sonarqube.org/project-key']
                  ? { status: 'pass', evidence: 'quality gate configured' }
                  : {
                      status: 'fail',
                      evidence: 'no sonarqube.org/project-key',
                    },
            });
          },
        });
      },
    });
    const { server } = await startTestBackend({
      features: [
        devopsMaturityPlugin,
        sonarModule,
        catalogServiceMock.factory({
          entities: [
            component('svc', 'team', {
              annotations: { 'sonarqube.org/project-key': 'svc' },
            }),
          ],
        }),
        mockServices.scheduler.factory({
          includeInitialDelayedTasksOnStartup: true,
        }),
      ],
    });
    const res = await request(server)
      .get('/api/devops-maturity/entities/component/default/svc/maturity')
      .set('authorization', mockCredentials.user.header());
    expect(res.body.checks.find((c: any) => c.id === 'sonar')).toMatchObject({
      status: 'pass',
      pillar: 'automation',
      evidence: 'quality gate configured',
    });
    const automation = res.body.calms.pillars.find(
      (p: any) => p.pillar === 'automation',
    );
    expect(automation.signals.map((s: any) => s.id)).toContain('sonar');

    const twice = createBackendModule({
      pluginId: 'devops-maturity',
      moduleId: 'test-twice',
      register(env) {
        env.registerInit({
          deps: { checks: devopsMaturityChecksExtensionPoint },
          async init({ checks }) {
            const check = {
              id: 'same',
              title: 'Same',
              pillar: 'lean' as const,
              description: '',
              howToFix: '',
              evaluate: () => ({ status: 'pass' as const, evidence: '' }),
            };
            checks.addCheck([check, check]);
          },
        });
      },
    });
    await expect(
      startTestBackend({ features: [devopsMaturityPlugin, twice] }),
    ).rejects.toThrow("A check with id 'same' was already added");
  });
});
