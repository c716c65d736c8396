/**
 * PagerDuty incidents for the devops-maturity plugin.
 *
 * @packageDocumentation
 */
export {
  default,
  devopsMaturityModulePagerDuty,
  eventsModulePagerDutyWebhook,
} from './module';
