import { DAY_MS, utcDayStart } from '@devops-maturity/backstage-plugin-common';
import { DeploymentItem, IncidentItem } from '../service/validation';
import { DEMO_PROFILES, DemoProfile } from './profiles';
import { fakeSha, logUniform, seededRandom } from './random';

/** Annotation the demo catalog uses to give a service its delivery profile. */
export const DEMO_PROFILE_ANNOTATION = 'devops-maturity.io/demo-profile';

const HOUR_MS = 3_600_000;

/** A service to seed and its profile name (see DEMO_PROFILES; `none` seeds nothing). */
export interface DemoService {
  entityRef: string;
  profile: string;
}

/** What the seeder generates, before it goes through the push API's validation and ingest. */
export interface DemoEvents {
  deployments: Array<Omit<DeploymentItem, 'source'> & { source: string }>;
  incidents: Array<Omit<IncidentItem, 'source'> & { source: string }>;
}

const iso = (ms: number) => new Date(ms).toISOString();
const between = (rand: () => number, [min, max]: [number, number]) =>
  min + Math.floor(rand() * (max - min + 1));

function seedDay(
  service: DemoService,
  profile: DemoProfile,
  dayStart: number,
  now: number,
  out: DemoEvents,
) {
  const day = iso(dayStart).slice(0, 10);
  const rand = seededRandom(`${service.entityRef}:${day}`);
  const weekday = new Date(dayStart).getUTCDay() % 6 !== 0;
  if (!weekday || rand() >= profile.weekdayDeployChance) return;
  const deploys = between(rand, [1, profile.maxDeploysPerDay]);
  for (let n = 0; n < deploys; n++) {
    const id = `${service.entityRef.split('/')[1]}-${day}-${n}`;
    const finishedAt = dayStart + (9 + n * 2 + rand() * 2) * HOUR_MS;
    const commits = Array.from(
      { length: between(rand, profile.commitsPerDeploy) },
      (_, c) => ({
        sha: fakeSha(`${id}:${c}`),
        committedAt: iso(
          finishedAt - logUniform(rand, ...profile.leadTimeHours) * HOUR_MS,
        ),
      }),
    );
    const common = {
      source: 'demo',
      entityRef: service.entityRef,
      commits,
      commitsComplete: true,
      version: `1.${dayStart / DAY_MS - 20000}.${n}`,
      actor: 'ci-bot',
    };
    // Every release goes through staging first; some pipelines fail before production.
    out.deployments.push({
      ...common,
      id: `${id}-staging`,
      environment: 'staging',
      status: 'success',
      kind: 'normal',
      finishedAt: iso(finishedAt - 0.5 * HOUR_MS),
    });
    if (rand() < profile.pipelineFailureChance) {
      out.deployments.push({
        ...common,
        id,
        environment: 'production',
        status: 'failure',
        kind: 'normal',
        startedAt: iso(finishedAt - 0.2 * HOUR_MS),
        finishedAt: iso(finishedAt),
      });
      continue;
    }
    out.deployments.push({
      ...common,
      id,
      environment: 'production',
      status: 'success',
      kind: 'normal',
      startedAt: iso(finishedAt - 0.2 * HOUR_MS),
      finishedAt: iso(finishedAt),
    });

    if (rand() >= profile.badDeployChance) continue;
    const openedAt = finishedAt + logUniform(rand, 0.1, 4) * HOUR_MS;
    const restoredAt =
      openedAt + logUniform(rand, ...profile.restoreHours) * HOUR_MS;
    const incidentId = `INC-${id}`;
    if (profile.reportsIncidents && openedAt < now) {
      const link = rand();
      out.incidents.push({
        id: incidentId,
        source: 'demo',
        entityRef: service.entityRef,
        openedAt: iso(openedAt),
        resolvedAt: restoredAt < now ? iso(restoredAt) : undefined,
        severity: rand() < 0.3 ? 'SEV1' : 'SEV2',
        title: `Elevated error rate after ${common.version}`,
        // a third name their deployment, a third a commit, the rest rely on "latest before"
        deploymentId: link < 0.33 ? id : undefined,
        causeSha: link >= 0.33 && link < 0.66 ? commits[0].sha : undefined,
        postmortemUrl:
          restoredAt < now && rand() < profile.postmortemChance
            ? `https://wiki.example.com/postmortems/${incidentId}`
            : undefined,
      });
    }
    const repair = rand();
    const repairAt = Math.min(restoredAt, openedAt + 0.5 * HOUR_MS);
    if (repairAt >= now) continue;
    if (repair < profile.rollbackChance) {
      out.deployments.push({
        ...common,
        id: `${id}-rollback`,
        environment: 'production',
        status: 'success',
        kind: 'rollback',
        fixes: id,
        commits: [],
        finishedAt: iso(repairAt),
      });
    } else if (repair < profile.rollbackChance + profile.hotfixChance) {
      out.deployments.push({
        ...common,
        id: `${id}-hotfix`,
        environment: 'production',
        status: 'success',
        kind: 'hotfix',
        fixes: id,
        commits: [
          {
            sha: fakeSha(`${id}:hotfix`),
            committedAt: iso(repairAt - 0.25 * HOUR_MS),
          },
        ],
        finishedAt: iso(repairAt),
      });
    }
  }
}

/**
 * Generates `days` days of history before `now` for each service. Deterministic: the events of
 * one service on one calendar day depend on nothing else, so seeding again on a later day
 * re-sends the same events (updates, not duplicates) and adds the new days.
 */
export function generateDemoEvents(
  services: DemoService[],
  now: number,
  days = 180,
): DemoEvents {
  const out: DemoEvents = { deployments: [], incidents: [] };
  const today = utcDayStart(now);
  for (const service of services) {
    const profile = DEMO_PROFILES[service.profile];
    if (!profile) continue;
    for (let d = days; d >= 1 + (profile.quietDays ?? 0); d--)
      seedDay(service, profile, today - d * DAY_MS, now, out);
  }
  return out;
}

/** Seeds through the push API's own validation and ingest path, deployments first. */
export async function pushDemoEvents(
  events: DemoEvents,
  push: {
    deployments(items: unknown): Promise<unknown>;
    incidents(items: unknown): Promise<unknown>;
  },
): Promise<void> {
  for (let i = 0; i < events.deployments.length; i += 1000) {
    await push.deployments({ items: events.deployments.slice(i, i + 1000) });
  }
  for (let i = 0; i < events.incidents.length; i += 1000) {
    await push.incidents({ items: events.incidents.slice(i, i + 1000) });
  }
}
