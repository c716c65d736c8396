import {
  DeploymentEvent,
  IncidentEvent,
} from '@devops-maturity/backstage-plugin-common';

export const ENTITY = 'component:default/a';

/** The instant the database tests' histories start at. */
export const T0 = Date.parse('2026-06-01T00:00:00Z');
/** An hour, in milliseconds. */
export const H = 3_600_000;
/** The instant `hours` after T0, as events carry it (ISO 8601). */
export const at = (hours: number) => new Date(T0 + hours * H).toISOString();

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
