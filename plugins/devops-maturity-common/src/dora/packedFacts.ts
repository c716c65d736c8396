import { DoraFacts, emptyFacts } from './facts';

const FAILED = 1;
const REWORK = 2;
const INCOMPLETE = 4;

/**
 * One entity's facts in typed arrays: what a team's figures pool, kept for many entities at
 * once. A year of 10,000 services is ~8 million deployments and changes; as objects they take
 * ~70 bytes each and keep the collector busy, packed 9 to 16.
 * @internal
 */
export interface PackedFacts {
  deployedAt: Float64Array;
  /** Per deployment: failed (1), rework (2), commits incomplete (4). */
  deploymentFlags: Uint8Array;
  changeDeployedAt: Float64Array;
  leadSeconds: Float64Array;
  resolvedAt: Float64Array;
  restoreSeconds: Float64Array;
  openIncidents: DoraFacts['openIncidents'];
  deployedBefore: boolean;
  incidentsEverReported: boolean;
}

/** Packs one entity's facts. @internal */
export function packFacts(facts: DoraFacts): PackedFacts {
  const { deployments, changes, restores } = facts;
  const packed: PackedFacts = {
    deployedAt: new Float64Array(deployments.length),
    deploymentFlags: new Uint8Array(deployments.length),
    changeDeployedAt: new Float64Array(changes.length),
    leadSeconds: new Float64Array(changes.length),
    resolvedAt: new Float64Array(restores.length),
    restoreSeconds: new Float64Array(restores.length),
    openIncidents: { ...facts.openIncidents },
    deployedBefore: facts.deployedBefore,
    incidentsEverReported: !!facts.incidentsEverReported,
  };
  deployments.forEach((d, i) => {
    packed.deployedAt[i] = d.finishedAt;
    packed.deploymentFlags[i] =
      (d.failed ? FAILED : 0) |
      (d.rework ? REWORK : 0) |
      (d.commitsComplete === false ? INCOMPLETE : 0);
  });
  changes.forEach((c, i) => {
    packed.changeDeployedAt[i] = c.deployedAt;
    packed.leadSeconds[i] = c.leadSeconds;
  });
  restores.forEach((r, i) => {
    packed.resolvedAt[i] = r.resolvedAt;
    packed.restoreSeconds[i] = r.seconds;
  });
  return packed;
}

/** How many facts a packed entity holds, to pace the work of pooling many. @internal */
export function packedSize(packed: PackedFacts): number {
  return (
    packed.deployedAt.length +
    packed.changeDeployedAt.length +
    packed.resolvedAt.length
  );
}

/**
 * Adds an entity's packed facts to an owner's pooled facts, as `poolFacts` pools unpacked
 * ones: every event kept, open incidents summed, never an average.
 * @internal
 */
export function addPackedFacts(pooled: DoraFacts, packed: PackedFacts): void {
  for (let i = 0; i < packed.deployedAt.length; i++) {
    const flags = packed.deploymentFlags[i];
    pooled.deployments.push({
      finishedAt: packed.deployedAt[i],
      failed: (flags & FAILED) !== 0,
      rework: (flags & REWORK) !== 0,
      commitsComplete: (flags & INCOMPLETE) === 0,
    });
  }
  for (let i = 0; i < packed.changeDeployedAt.length; i++) {
    pooled.changes.push({
      deployedAt: packed.changeDeployedAt[i],
      leadSeconds: packed.leadSeconds[i],
    });
  }
  for (let i = 0; i < packed.resolvedAt.length; i++) {
    pooled.restores.push({
      resolvedAt: packed.resolvedAt[i],
      seconds: packed.restoreSeconds[i],
    });
  }
  const open = pooled.openIncidents;
  open.count += packed.openIncidents.count;
  const oldest = packed.openIncidents.oldestOpenedAt;
  if (
    oldest !== null &&
    (open.oldestOpenedAt === null || oldest < open.oldestOpenedAt)
  )
    open.oldestOpenedAt = oldest;
  pooled.deployedBefore ||= packed.deployedBefore;
  pooled.incidentsEverReported ||= packed.incidentsEverReported;
}

/** Pools packed facts (see `addPackedFacts`). @internal */
export function poolPackedFacts(all: PackedFacts[]): DoraFacts {
  const pooled = emptyFacts();
  for (const packed of all) addPackedFacts(pooled, packed);
  return pooled;
}
