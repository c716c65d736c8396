import { Config } from '@backstage/config';
import { demoValuesIn } from './demoValues';

/**
 * Sources whose webhooks would be taken unsigned. Backstage's GitHub and GitLab events modules
 * check deliveries only when a secret is configured; without one they take anybody's. (The
 * PagerDuty module takes no webhook at all without `devopsMaturity.pagerduty.webhookSecrets`.)
 */
export function unsignedWebhooks(
  config: Config,
  sourceIds: string[],
): string[] {
  const found: string[] = [];
  if (
    sourceIds.includes('github') &&
    !config.getOptionalString('events.modules.github.webhookSecret') &&
    !(config.getOptionalConfigArray('integrations.github') ?? []).some(i =>
      (i.getOptionalConfigArray('apps') ?? []).some(a =>
        a.getOptionalString('webhookSecret'),
      ),
    )
  )
    found.push('events.modules.github.webhookSecret');
  if (
    sourceIds.includes('gitlab') &&
    !config.getOptionalString('events.modules.gitlab.webhookSecret')
  )
    found.push('events.modules.gitlab.webhookSecret');
  return found;
}

/**
 * Refuses to start in production (NODE_ENV=production) with any demo value, or with a webhook
 * source whose deliveries nobody would check: a backend that forgot to override the demo's
 * token would accept pushes from anyone who read the README, and one without a webhook secret
 * deployments and incidents from anyone who can reach it. A warning in a log nobody reads
 * would not prevent either.
 */
export function assertProductionConfig(
  config: Config,
  sourceIds: string[],
  nodeEnv = process.env.NODE_ENV,
) {
  if (nodeEnv !== 'production') return;
  const demo = demoValuesIn(config);
  const unsigned = unsignedWebhooks(config, sourceIds);
  const problems = [
    ...(demo.length ? [`the demo's values at ${demo.join(', ')}`] : []),
    ...(unsigned.length
      ? [`webhooks taken unsigned: set ${unsigned.join(', ')}`]
      : []),
  ];
  if (problems.length) {
    throw new Error(
      `devops-maturity refuses to start in production with ${problems.join(
        '; and ',
      )}. Set your own secrets (from the environment) and turn seeding off, as ` +
        'app-config.production.yaml does',
    );
  }
}
