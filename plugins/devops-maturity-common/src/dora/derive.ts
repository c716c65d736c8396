import { DeploymentEvent, IncidentEvent } from '../events';
import { parseInstant, TimeWindow } from '../time';
import {
  chooseIncidentCause,
  compareDeployments,
  countsAsDeployment,
  DoraOptions,
  isRework,
  latestCopies,
  marksFixedDeploymentFailed,
} from './attribution';
import { DoraFacts } from './facts';

interface Parsed {
  event: DeploymentEvent;
  finishedAt: number;
  source: string;
  id: string;
  counts: boolean;
}

/** Finds a deployment by id, preferring the given source. */
function findById(
  all: Parsed[],
  id: string,
  source: string,
): Parsed | undefined {
  const matches = all.filter(d => d.id === id);
  return matches.find(d => d.source === source) ?? matches[0];
}

/**
 * Derives the facts of one entity for one window from its raw events, by the rules of the
 * metrics contract (docs/metrics.md). This is the reference the backend's incremental store
 * is tested against, and the naive baseline of the benchmark.
 * @public
 */
export function deriveDoraFacts(
  deploymentEvents: DeploymentEvent[],
  incidentEvents: IncidentEvent[],
  window: TimeWindow,
  options: DoraOptions,
): DoraFacts {
  const all: Parsed[] = latestCopies(deploymentEvents)
    .map(event => ({
      event,
      finishedAt: parseInstant(event.finishedAt),
      source: event.source,
      id: event.id,
      counts: countsAsDeployment(event, options),
    }))
    .sort(compareDeployments);
  const prod = all.filter(d => d.counts);

  // Failed deployments: linked by an incident, or named by a later rollback/hotfix.
  const failed = new Set<Parsed>();
  // `fixes` names deployments of the entity by id; should ids collide across sources, each
  // earlier deployment with that id is marked.
  for (const f of prod) {
    if (!marksFixedDeploymentFailed(f.event)) continue;
    for (const target of all) {
      if (target.id === f.event.fixes && target.finishedAt < f.finishedAt)
        failed.add(target);
    }
  }
  const firstWithSha = new Map<string, Parsed>();
  for (const d of prod) {
    for (const c of d.event.commits)
      if (!firstWithSha.has(c.sha)) firstWithSha.set(c.sha, d);
  }
  const incidents = latestCopies(incidentEvents);
  for (const inc of incidents) {
    const openedAt = parseInstant(inc.openedAt);
    let latestBefore: Parsed | undefined;
    for (const d of prod) if (d.finishedAt < openedAt) latestBefore = d;
    const cause = chooseIncidentCause(
      {
        byDeploymentId: inc.deploymentId
          ? findById(all, inc.deploymentId, inc.source)
          : undefined,
        byCauseSha: inc.causeSha ? firstWithSha.get(inc.causeSha) : undefined,
        latestBefore,
      },
      options,
    );
    if (cause) failed.add(cause);
  }

  const inWindow = (t: number) => t >= window.from && t < window.to;
  const facts: DoraFacts = {
    deployments: prod
      .filter(d => inWindow(d.finishedAt))
      .map(d => ({
        finishedAt: d.finishedAt,
        failed: failed.has(d),
        rework: isRework(d.event),
        commitsComplete: d.event.commitsComplete !== false,
      })),
    changes: [],
    restores: [],
    openIncidents: { count: 0, oldestOpenedAt: null },
    deployedBefore: prod.some(d => d.finishedAt < window.from),
    incidentsEverReported: incidents.length > 0,
  };

  // Lead time: each sha once, at its first deployment, with that deployment's commit time.
  for (const [sha, d] of firstWithSha) {
    if (!inWindow(d.finishedAt)) continue;
    const commit = d.event.commits.find(c => c.sha === sha)!;
    facts.changes.push({
      deployedAt: d.finishedAt,
      leadSeconds: (d.finishedAt - parseInstant(commit.committedAt)) / 1000,
    });
  }

  for (const inc of incidents) {
    const openedAt = parseInstant(inc.openedAt);
    const resolvedAt = inc.resolvedAt ? parseInstant(inc.resolvedAt) : null;
    if (resolvedAt !== null && inWindow(resolvedAt)) {
      facts.restores.push({
        resolvedAt,
        seconds: (resolvedAt - openedAt) / 1000,
      });
    }
    // Open at the window's end: opened before it, and not resolved before it.
    if (
      openedAt < window.to &&
      (resolvedAt === null || resolvedAt >= window.to)
    ) {
      facts.openIncidents.count++;
      const oldest = facts.openIncidents.oldestOpenedAt;
      if (oldest === null || openedAt < oldest)
        facts.openIncidents.oldestOpenedAt = openedAt;
    }
  }
  return facts;
}
