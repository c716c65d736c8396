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
