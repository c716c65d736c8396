import path from 'path';
import { ConfigSources } from '@backstage/config-loader';
import { DEMO_PUSH_TOKEN, demoValuesIn } from './demoValues';
import { assertProductionConfig, unsignedWebhooks } from './productionConfig';
import { startPluginBackend } from './__testUtils__/backend';
import { createTestDatabases } from './__testUtils__/databases';
import { component, group } from './__testUtils__/catalog';

const databases = createTestDatabases();
const ROOT = path.resolve(__dirname, '../../..');

/** The repository's config files, loaded as `backstage-cli` loads them, in this order. */
async function load(files: string[], env: Record<string, string> = {}) {
  return ConfigSources.toConfig(
    ConfigSources.defaultForTargets({
      rootDir: ROOT,
      targets: files.map(f => ({ type: 'path', target: path.join(ROOT, f) })),
      substitutionFunc: async name => env[name],
    }),
  );
}

const productionEnv = {
  APP_BASE_URL: 'https://backstage.example.com',
  BACKEND_BASE_URL: 'https://backstage.example.com',
  POSTGRES_HOST: 'db',
  POSTGRES_PORT: '5432',
  POSTGRES_USER: 'backstage',
  POSTGRES_PASSWORD: 'secret-from-the-environment',
  DEVOPS_MATURITY_PUSH_TOKEN: 'a-long-random-secret-from-the-environment',
  PAGERDUTY_WEBHOOK_SECRET: 'pagerduty-secret-from-the-environment',
  GITHUB_WEBHOOK_SECRET: 'github-secret-from-the-environment',
  GITLAB_WEBHOOK_SECRET: 'gitlab-secret-from-the-environment',
};

describe('demo values', () => {
  it("finds every demo value in the demo's app-config.yaml, and refuses it in production only", async () => {
    const config = await load(['app-config.yaml']);
    expect(demoValuesIn(config)).toEqual([
      'backend.auth.externalAccess[0].options.token',
      'events.modules.github.webhookSecret',
      'events.modules.gitlab.webhookSecret',
      'devopsMaturity.pagerduty.webhookSecrets',
      'devopsMaturity.demo.seed',
    ]);
    expect(() => assertProductionConfig(config, [], 'production')).toThrow(
      /refuses to start in production with the demo's values at backend\.auth\.externalAccess\[0\]\.options\.token, /,
    );
    expect(() =>
      assertProductionConfig(config, [], 'development'),
    ).not.toThrow();
  });

  it('app-config.production.yaml replaces every demo value, from the environment', async () => {
    const config = await load(
      ['app-config.yaml', 'app-config.production.yaml'],
      productionEnv,
    );
    expect(demoValuesIn(config)).toEqual([]);
    expect(() =>
      assertProductionConfig(config, [], 'production'),
    ).not.toThrow();
    expect(config.getString('backend.database.client')).toBe('pg');
    expect(config.getString('backend.database.connection.password')).toBe(
      productionEnv.POSTGRES_PASSWORD,
    );
    // One token, which may push and do nothing else.
    const access = config.getConfigArray('backend.auth.externalAccess');
    expect(access).toHaveLength(1);
    expect(access[0].getString('options.token')).toBe(
      productionEnv.DEVOPS_MATURITY_PUSH_TOKEN,
    );
    expect(access[0].get('accessRestrictions')).toEqual([
      {
        plugin: 'devops-maturity',
        permission: 'devops-maturity.events.create',
      },
    ]);
    expect(config.getBoolean('devopsMaturity.demo.seed')).toBe(false);
  });

  it('names the key of a demo token in any position of the external access list', async () => {
    const config = await load(
      ['app-config.yaml', 'app-config.production.yaml'],
      { ...productionEnv, DEVOPS_MATURITY_PUSH_TOKEN: DEMO_PUSH_TOKEN },
    );
    expect(demoValuesIn(config)).toEqual([
      'backend.auth.externalAccess[0].options.token',
    ]);
  });

  it('keeps a production backend with the demo token from starting, so nobody can push with it', async () => {
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await expect(
        startPluginBackend({
          knex: await databases.init('SQLITE_3'),
          entities: [group('team-a'), component('a1', 'team-a')],
          appConfig: {
            backend: {
              auth: {
                externalAccess: [
                  {
                    type: 'static',
                    options: { token: DEMO_PUSH_TOKEN, subject: 'demo-ci' },
                  },
                ],
              },
            },
          },
        }),
      ).rejects.toThrow(/backend\.auth\.externalAccess\[0\]\.options\.token/);
    } finally {
      process.env.NODE_ENV = nodeEnv;
    }
  });

  it('refuses, in production, GitHub and GitLab webhooks that nobody checks', async () => {
    const sources = ['github', 'gitlab', 'pagerduty'];
    const { GITHUB_WEBHOOK_SECRET: _g, ...withoutGithub } = productionEnv;
    // Loaded with the demo's file, an unset secret leaves the demo's, which is refused as a
    // demo value; loaded alone, it leaves none, and GitHub's deliveries would go unchecked.
    const both = await load(
      ['app-config.yaml', 'app-config.production.yaml'],
      withoutGithub,
    );
    expect(demoValuesIn(both)).toEqual(['events.modules.github.webhookSecret']);
    const config = await load(['app-config.production.yaml'], withoutGithub);
    expect(unsignedWebhooks(config, sources)).toEqual([
      'events.modules.github.webhookSecret',
    ]);
    expect(() => assertProductionConfig(config, sources, 'production')).toThrow(
      /webhooks taken unsigned: set events\.modules\.github\.webhookSecret/,
    );
    // Without the GitHub module installed, nothing is taken from GitHub.
    expect(() =>
      assertProductionConfig(config, ['gitlab', 'pagerduty'], 'production'),
    ).not.toThrow();
    const complete = await load(
      ['app-config.yaml', 'app-config.production.yaml'],
      productionEnv,
    );
    expect(unsignedWebhooks(complete, sources)).toEqual([]);
  });
});
