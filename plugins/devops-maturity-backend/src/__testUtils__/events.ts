import {
  DeploymentEvent,
  IncidentEvent,
} from '@devops-maturity/backstage-plugin-common';

export const ENTITY = 'component:default/a';

export function deployment(
  id: string,
  finishedAt: string,
  extra: Partial<DeploymentEvent> = {},
): DeploymentEvent {
  return {
    id,
    source: 'api',
    entityRef: ENTITY,
    environment: 'production',
    status: 'success',
    finishedAt,
    commits: [],
    kind: 'normal',
    ...extra,
  };
}

export function incident(
  id: string,
  openedAt: string,
  extra: Partial<IncidentEvent> = {},
): IncidentEvent {
  return { id, source: 'api', entityRef: ENTITY, openedAt, ...extra };
}
