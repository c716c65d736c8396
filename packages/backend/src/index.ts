import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

// Software templates: `backstage.io/source-template` is a golden-path check.
backend.add(import('@backstage/plugin-scaffolder-backend'));

backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

backend.add(import('@backstage/plugin-permission-backend'));
// The policy adopters install: a CALMS self-assessment is submitted by the owning team or a
// configured admin, unmatched events are shown to admins and configured readers, everything
// else is allowed (devopsMaturity.permissions in app-config.yaml).
backend.add(
  import(
    '@devops-maturity/backstage-plugin-permission-backend-module-devops-maturity'
  ),
);

backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));

backend.add(import('@backstage/plugin-user-settings-backend'));

// The events backend takes GitHub webhooks at /api/events/http/github (signature checked
// with events.modules.github.webhookSecret) and delivers them to our GitHub module.
backend.add(import('@backstage/plugin-events-backend'));
backend.add(import('@backstage/plugin-events-backend-module-github'));
// GitLab webhooks at /api/events/http/gitlab (token: events.modules.gitlab.webhookSecret).
backend.add(import('@backstage/plugin-events-backend-module-gitlab'));

// DevOps maturity: DORA, CALMS and golden-path scorecards.
backend.add(import('@devops-maturity/backstage-plugin-backend'));
backend.add(import('@devops-maturity/backstage-plugin-backend-module-github'));
backend.add(import('@devops-maturity/backstage-plugin-backend-module-gitlab'));
// PagerDuty V3 webhooks at /api/events/http/pagerduty (devopsMaturity.pagerduty.webhookSecrets).
backend.add(
  import('@devops-maturity/backstage-plugin-backend-module-pagerduty'),
);

backend.start();
