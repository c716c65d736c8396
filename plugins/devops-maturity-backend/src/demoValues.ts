import { Config } from '@backstage/config';

/** The push token of the demo's app-config.yaml, printed in the README. */
export const DEMO_PUSH_TOKEN = 'demo-push-token-change-me';
/** The webhook secret of the demo's app-config.yaml, printed in the README. */
export const DEMO_WEBHOOK_SECRET = 'demo-webhook-secret';

/**
 * The config keys that hold a value only the demo may use: its published token and secrets,
 * and seeding of made-up events. Anyone who read the README knows the token and secrets.
 */
export function demoValuesIn(config: Config): string[] {
  const found: string[] = [];
  (config.getOptionalConfigArray('backend.auth.externalAccess') ?? []).forEach(
    (access, i) => {
      if (access.getOptionalString('options.token') === DEMO_PUSH_TOKEN)
        found.push(`backend.auth.externalAccess[${i}].options.token`);
    },
  );
  for (const provider of ['github', 'gitlab']) {
    const key = `events.modules.${provider}.webhookSecret`;
    if (config.getOptionalString(key) === DEMO_WEBHOOK_SECRET) found.push(key);
  }
  const pagerduty = 'devopsMaturity.pagerduty.webhookSecrets';
  if (config.getOptionalStringArray(pagerduty)?.includes(DEMO_WEBHOOK_SECRET))
    found.push(pagerduty);
  if (config.getOptionalBoolean('devopsMaturity.demo.seed'))
    found.push('devopsMaturity.demo.seed');
  return found;
}

/**
 * Refuses to start in production (NODE_ENV=production) with any demo value: a backend that
 * forgot to override the demo's token would accept pushes from anyone who read the README.
 * A warning in a log nobody reads would not prevent that.
 */
export function assertNoDemoValuesInProduction(
  config: Config,
  nodeEnv = process.env.NODE_ENV,
) {
  if (nodeEnv !== 'production') return;
  const found = demoValuesIn(config);
  if (found.length) {
    throw new Error(
      `devops-maturity refuses to start in production with the demo's values at ${found.join(
        ', ',
      )}: set your own secrets (from the environment) and turn seeding off, as ` +
        'app-config.production.yaml does',
    );
  }
}
