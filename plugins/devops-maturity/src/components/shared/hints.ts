import { DORA_REASONS } from '@devops-maturity/backstage-plugin-common';

/** What to wire up to get data, for each reason a metric can have none. */
export function setupHint(reason: string | undefined): string | undefined {
  switch (reason) {
    case DORA_REASONS.neverDeployed:
      return 'Report production deployments: POST them to /api/devops-maturity/deployments from your pipeline, or connect a GitHub or GitLab webhook.';
    case DORA_REASONS.noDeploymentsInWindow:
      return 'Nothing was deployed to production in this window. Pick a longer window, or check that your pipeline still reports deployments.';
    case DORA_REASONS.noChanges:
      return 'Send the commits each deployment brings (commits: [{ sha, committedAt }]) to measure lead time.';
    case DORA_REASONS.commitsUnknown:
      return 'Deployments arrive without their commits. Send commits: [{ sha, committedAt }] with each deployment, or connect GitHub or GitLab push webhooks so the commits of each deployed sha are known.';
    case DORA_REASONS.noIncidentsEver:
      return 'Connect PagerDuty, or POST incidents to /api/devops-maturity/incidents from your incident tool.';
    case DORA_REASONS.noRestoresInWindow:
      return 'Pick a longer window to see restore times.';
    default:
      return undefined;
  }
}
