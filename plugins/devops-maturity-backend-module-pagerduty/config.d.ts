export interface Config {
  devopsMaturity?: {
    pagerduty?: {
      /**
       * Secrets of the PagerDuty V3 webhook subscriptions; a webhook must be signed with one of
       * them. Several allow a rotation. Without any, no webhook endpoint is added.
       * @visibility secret
       */
      webhookSecrets?: string[];
    };
  };
}
