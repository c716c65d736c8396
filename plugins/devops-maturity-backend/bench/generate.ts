import { DAY_MS } from '@devops-maturity/backstage-plugin-common';
import { seededRandom } from '../src/demo/random';
import { DeploymentItem, IncidentItem } from '../src/service/validation';
import { MirroredEntity, MirroredGroup } from '../src/database/types';

/** A synthetic organisation: `entities` services in teams of ~20 under departments of ~10 teams. */
export function generateCatalog(entities: number) {
  const teams = Math.max(1, Math.ceil(entities / 20));
  const departments = Math.max(1, Math.ceil(teams / 10));
  const groups: MirroredGroup[] = [];
  for (let d = 0; d < departments; d++)
    groups.push({
      groupRef: `group:default/dept-${d}`,
      title: `Department ${d}`,
    });
  for (let t = 0; t < teams; t++) {
    groups.push({
      groupRef: `group:default/team-${t}`,
      title: `Team ${t}`,
      parentRef: `group:default/dept-${t % departments}`,
    });
  }
  const list: MirroredEntity[] = [];
  for (let i = 0; i < entities; i++) {
    list.push({
      entityRef: `component:default/svc-${i}`,
      kind: 'Component',
      namespace: 'default',
      name: `svc-${i}`,
      title: `Service ${i}`,
      type: 'service',
      lifecycle: i % 10 === 0 ? 'experimental' : 'production',
      ownerRef: `group:default/team-${i % teams}`,
      systemRef: `system:default/system-${i % 50}`,
      identities: [
        { annotation: 'github.com/project-slug', value: `acme/svc-${i}` },
      ],
    });
  }
  return { entities: list, groups };
}

/**
 * One entity's events of one UTC day: about `deploysPerYear / 365` production deployments
 * with 3 commits each, and incidents for about one deployment in ten. Deterministic per
 * (entity, day), so a run can stream day by day across all entities, as events really arrive.
 */
export function generateDay(
  index: number,
  dayStart: number,
  now: number,
  deploysPerYear = 200,
  incidentsPerDeploy = 0.1,
): { deployments: DeploymentItem[]; incidents: IncidentItem[] } {
  const rand = seededRandom(`bench-${index}-${dayStart}`);
  const entityRef = `component:default/svc-${index}`;
  const deployments: DeploymentItem[] = [];
  const incidents: IncidentItem[] = [];
  const mean = deploysPerYear / 365;
  // Poisson by inversion: small means, so a short loop.
  let n = 0;
  for (let p = Math.exp(-mean), s = p, u = rand(); u > s; n++) {
    p *= mean / (n + 1);
    s += p;
  }
  for (let k = 0; k < n; k++) {
    const finishedAt = dayStart + rand() * DAY_MS;
    const id = `d-${index}-${dayStart / DAY_MS}-${k}`;
    deployments.push({
      id,
      source: 'bench',
      entityRef,
      environment: 'production',
      status: 'success',
      kind: 'normal',
      finishedAt: new Date(finishedAt).toISOString(),
      commits: [0, 1, 2].map(c => ({
        sha: `${id}-${c}`,
        committedAt: new Date(finishedAt - rand() * 3 * DAY_MS).toISOString(),
      })),
    });
    if (rand() < incidentsPerDeploy) {
      const openedAt = finishedAt + rand() * 3_600_000;
      const resolvedAt = openedAt + rand() * 6 * 3_600_000;
      incidents.push({
        id: `i-${id}`,
        source: 'bench',
        entityRef,
        openedAt: new Date(openedAt).toISOString(),
        resolvedAt:
          resolvedAt < now ? new Date(resolvedAt).toISOString() : undefined,
        causeSha: rand() < 0.5 ? `${id}-0` : undefined,
      });
    }
  }
  return { deployments, incidents };
}
