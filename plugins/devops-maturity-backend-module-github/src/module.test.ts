import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { startGithubBackend } from './__testUtils__/backend';
import { c, deploy, example, push } from './__testUtils__/payloads';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe('devopsMaturityModuleGithub', () => {
  it('stores deployments, commit times and incident issues delivered by the events backend', async () => {
    const { events, get } = await startGithubBackend();
    await events.publish({
      topic: 'github.push',
      eventPayload: example('push', e => e.ref === 'refs/heads/master'),
    });
    await events.publish({
      topic: 'github.deployment_status',
      eventPayload: example(
        'deployment_status',
        e => e.deployment_status.state === 'success',
      ),
    });
    await events.publish({
      topic: 'github.issues',
      eventPayload: example('issues', e => e.action === 'labeled'),
    });

    const deployments = await get('deployments');
    expect(deployments.body.items).toEqual([
      expect.objectContaining({
        id: '145988746',
        source: 'github',
        status: 'success',
        environment: 'production',
        // the deployment's sha, stored and listed as the head it deployed
        sha: 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e',
      }),
    ]);
    // The example push and deployment ship different shas, so no commit time is known for it.
    expect(deployments.body.items[0].commits).toEqual([]);
    const incidents = await get('incidents');
    expect(incidents.body.items).toEqual([
      expect.objectContaining({
        id: 'Codertocat/Hello-World#1',
        openedAt: '2019-05-15T15:20:18.000Z',
        restoreSeconds: null,
        causeDeployment: null,
      }),
    ]);
  });

  it.each(databases.eachSupportedId())(
    'remembers pushed commits across a restart, in the database, on %p',
    async (databaseId: TestDatabaseId) => {
      const knex = await databases.init(databaseId);
      const status = example(
        'deployment_status',
        e => e.deployment_status.state === 'success',
      );
      const first = await startGithubBackend({ knex });
      await first.events.publish({
        topic: 'github.push',
        eventPayload: push('refs/heads/master', 'a'.repeat(40), [
          { sha: status.deployment.sha, at: '2019-05-15T15:19:25Z' },
        ]),
      });
      await first.backend.stop();

      const second = await startGithubBackend({ knex });
      await second.events.publish({
        topic: 'github.deployment_status',
        eventPayload: status,
      });
      const deployments = await second.get('deployments');
      expect(deployments.body.items[0].commits).toEqual([
        {
          sha: status.deployment.sha,
          committedAt: '2019-05-15T15:19:25.000Z',
        },
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'measures lead time along git history on %p: staging first, branches, a merge, a redelivery, a force push',
    async (databaseId: TestDatabaseId) => {
      const { events, get } = await startGithubBackend({
        knex: await databases.init(databaseId),
      });
      const sha = (name: string) => name.padEnd(40, '0');
      const send = (topic: string, eventPayload: unknown) =>
        events.publish({ topic: `github.${topic}`, eventPayload });
      const at = (hour: number, minute = 0) =>
        `2026-11-02T${String(hour).padStart(2, '0')}:${String(minute).padStart(
          2,
          '0',
        )}:00Z`;

      // main gets m1; the first deployment cannot know what came before it.
      await send('push', push('refs/heads/master', sha('0'), [c('m1', at(9))]));
      await send(
        'deployment_status',
        deploy(1, sha('m1'), 'production', at(10)),
      );
      // A feature branch (f1, f2) and an experiment (x1) that is never merged.
      await send(
        'push',
        push('refs/heads/feature', sha('0'), [
          c('f1', at(11)),
          c('f2', at(12)),
        ]),
      );
      await send(
        'push',
        push('refs/heads/experiment', sha('0'), [c('e1', at(11, 30))]),
      );
      // The feature is merged into main: its commits and the merge commit, after m1.
      await send(
        'push',
        push('refs/heads/master', sha('m1'), [
          c('f1', at(11)),
          c('f2', at(12)),
          c('mm', at(14)),
        ]),
      );
      // Staging first: it takes nothing from production.
      await send(
        'deployment_status',
        deploy(2, sha('mm'), 'staging', at(14, 30)),
      );
      await send(
        'deployment_status',
        deploy(3, sha('mm'), 'production', at(16)),
      );
      // GitHub's "Redeliver": the same status again changes nothing.
      await send(
        'deployment_status',
        deploy(3, sha('mm'), 'production', at(16)),
      );
      // A force push rewrites main: the new commit does not follow the old head.
      await send(
        'push',
        push('refs/heads/master', sha('mm'), [c('r1', at(17))], {
          forced: true,
        }),
      );
      await send(
        'deployment_status',
        deploy(4, sha('r1'), 'production', at(18)),
      );

      const deployments = await get('deployments?limit=10');
      const byId = new Map<string, any>(
        deployments.body.items.map((d: any) => [d.id, d]),
      );
      const shas = (id: string) =>
        byId
          .get(id)
          .commits.map((x: { sha: string }) => x.sha.replace(/0+$/, ''));
      expect(shas('1')).toEqual(['m1']);
      expect(byId.get('1').commitsComplete).toBe(false);
      expect(shas('2')).toEqual([]);
      expect(shas('3')).toEqual(['f1', 'f2', 'mm']);
      expect(byId.get('3').commitsComplete).toBe(true);
      expect(shas('4')).toEqual(['r1']);
      expect(byId.get('4').commitsComplete).toBe(false);

      const dora = await get(
        `dora?from=${encodeURIComponent(at(0))}&to=${encodeURIComponent(
          '2026-11-03T00:00:00Z',
        )}`,
      );
      expect(dora.status).toBe(200);
      // Lead times: m1 1 h, f1 5 h, f2 4 h, mm 2 h, r1 1 h; e1 is never deployed.
      expect(dora.body.leadTime).toMatchObject({
        changes: 5,
        medianSeconds: 7200,
        // 3.6th of 0..4 in 3600, 3600, 7200, 14400, 18000: 14400 + 0.6 * 3600
        p90Seconds: 16560,
        completeDeployments: 1,
        deployments: 3,
      });
      expect(dora.body.deploymentFrequency.deployments).toBe(3);
    },
  );
});
