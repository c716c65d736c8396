/**
 * The facts the DORA metrics are computed from, already attributed and cut to a window.
 * The backend's store derives them with SQL; `deriveDoraFacts` derives them from raw events.
 * Both feed the same `computeDoraMetrics`, so the math exists once.
 */

/** A successful production deployment inside the window. @public */
export interface DeploymentFact {
  /** Deploy time, epoch ms. */
  finishedAt: number;
  /** An incident links to it, or a later rollback/hotfix names it in `fixes`. */
  failed: boolean;
  /** An unplanned repair: kind rollback or hotfix, or `fixes` set. */
  rework: boolean;
  /**
   * Whether every change it brought is known, so its changes' lead times are all counted.
   * Absent means true.
   */
  commitsComplete?: boolean;
}

/** A commit whose first successful production deployment is inside the window. @public */
export interface ChangeFact {
  /** When that first deployment finished, epoch ms. */
  deployedAt: number;
  /** First deployment time minus commit time, in seconds; values of 0 or less are dropped later. */
  leadSeconds: number;
}

/** An incident resolved inside the window. @public */
export interface RestoreFact {
  /** Epoch ms. */
  resolvedAt: number;
  /** Resolve time minus open time, in seconds. */
  seconds: number;
}

/** All facts for one entity (or one pooled owner) and one window. @public */
export interface DoraFacts {
  deployments: DeploymentFact[];
  changes: ChangeFact[];
  restores: RestoreFact[];
  /** Incidents open at the window's end. */
  openIncidents: { count: number; oldestOpenedAt: number | null };
  /** Whether any successful production deployment finished before the window. */
  deployedBefore: boolean;
  /** Whether any incident was ever reported for this entity (for the empty-state hint). */
  incidentsEverReported?: boolean;
}

/**
 * The facts of a sub-window of the window they were read for: what falls inside it, and
 * whether anything was deployed before it. Open incidents are those at the end of the outer
 * window, which is right for sub-windows that end at the same time.
 * @internal
 */
export function restrictFacts(
  facts: DoraFacts,
  window: { from: number; to: number },
): DoraFacts {
  const inside = (t: number) => t >= window.from && t < window.to;
  return {
    deployments: facts.deployments.filter(d => inside(d.finishedAt)),
    changes: facts.changes.filter(c => inside(c.deployedAt)),
    restores: facts.restores.filter(r => inside(r.resolvedAt)),
    openIncidents: facts.openIncidents,
    deployedBefore:
      facts.deployedBefore ||
      facts.deployments.some(d => d.finishedAt < window.from),
    incidentsEverReported: facts.incidentsEverReported,
  };
}

/** Facts with nothing in them. @internal */
export function emptyFacts(): DoraFacts {
  return {
    deployments: [],
    changes: [],
    restores: [],
    openIncidents: { count: 0, oldestOpenedAt: null },
    deployedBefore: false,
    incidentsEverReported: false,
  };
}

/** Pools facts of several entities into one (for owners); never averages. @internal */
export function poolFacts(all: DoraFacts[]): DoraFacts {
  const pooled = emptyFacts();
  for (const f of all) {
    // A loop, not push(...): a busy service's year of changes (150,000 and more) passed as
    // arguments overflows the call stack.
    for (const d of f.deployments) pooled.deployments.push(d);
    for (const c of f.changes) pooled.changes.push(c);
    for (const r of f.restores) pooled.restores.push(r);
    pooled.openIncidents.count += f.openIncidents.count;
    const oldest = f.openIncidents.oldestOpenedAt;
    if (
      oldest !== null &&
      (pooled.openIncidents.oldestOpenedAt === null ||
        oldest < pooled.openIncidents.oldestOpenedAt)
    ) {
      pooled.openIncidents.oldestOpenedAt = oldest;
    }
    pooled.deployedBefore ||= f.deployedBefore;
    pooled.incidentsEverReported ||= !!f.incidentsEverReported;
  }
  return pooled;
}
