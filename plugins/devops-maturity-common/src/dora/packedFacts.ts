import { DoraFacts } from './facts';

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

/** Whether a packed deployment failed. @internal */
export const hasFailedFlag = (flags: number) => (flags & FAILED) !== 0;
/** Whether a packed deployment is rework. @internal */
export const hasReworkFlag = (flags: number) => (flags & REWORK) !== 0;
/** Whether a packed deployment did not report every change it brought. @internal */
export const hasIncompleteFlag = (flags: number) => (flags & INCOMPLETE) !== 0;

/** How many facts a packed entity holds, to pace the work of pooling many. @internal */
export function packedSize(packed: PackedFacts): number {
  return (
    packed.deployedAt.length +
    packed.changeDeployedAt.length +
    packed.resolvedAt.length
  );
}

/**
 * Pools packed facts, as `poolFacts` pools unpacked ones: every event kept (the arrays one
 * after the other), open incidents summed, never an average. A copy of the numbers only.
 * @internal
 */
export function concatPackedFacts(all: readonly PackedFacts[]): PackedFacts {
  const joined = <A extends Float64Array | Uint8Array>(
    make: (n: number) => A,
    part: (p: PackedFacts) => A,
  ): A => {
    const out = make(all.reduce((n, p) => n + part(p).length, 0));
    let at = 0;
    for (const p of all) {
      out.set(part(p), at);
      at += part(p).length;
    }
    return out;
  };
  const float = (n: number) => new Float64Array(n);
  let oldest: number | null = null;
  for (const p of all) {
    const o = p.openIncidents.oldestOpenedAt;
    if (o !== null && (oldest === null || o < oldest)) oldest = o;
  }
  return {
    deployedAt: joined(float, p => p.deployedAt),
    deploymentFlags: joined(
      n => new Uint8Array(n),
      p => p.deploymentFlags,
    ),
    changeDeployedAt: joined(float, p => p.changeDeployedAt),
    leadSeconds: joined(float, p => p.leadSeconds),
    resolvedAt: joined(float, p => p.resolvedAt),
    restoreSeconds: joined(float, p => p.restoreSeconds),
    openIncidents: {
      count: all.reduce((n, p) => n + p.openIncidents.count, 0),
      oldestOpenedAt: oldest,
    },
    deployedBefore: all.some(p => p.deployedBefore),
    incidentsEverReported: all.some(p => p.incidentsEverReported),
  };
}

/**
 * Marks an encoding of this layout: a reader of another layout, or of the other byte order,
 * finds a different number here and reads the entity's events instead.
 */
const ENCODING_MARK = 0x646d_7066_01; // "dmpf", layout 1
const HEADER = 8;

/**
 * An entity's packed facts as bytes, to store beside its ranking rows: a header of 8 numbers
 * (mark, counts, open incidents, flags), then the numbers, then the deployments' flags. In the
 * machine's byte order, which the mark checks.
 * @internal
 */
export function encodePackedFacts(packed: PackedFacts): Uint8Array {
  const deployments = packed.deployedAt.length;
  const changes = packed.changeDeployedAt.length;
  const restores = packed.resolvedAt.length;
  const numbers = new Float64Array(
    HEADER + deployments + 2 * changes + 2 * restores,
  );
  numbers.set([
    ENCODING_MARK,
    deployments,
    changes,
    restores,
    packed.openIncidents.count,
    packed.openIncidents.oldestOpenedAt ?? NaN,
    (packed.deployedBefore ? 1 : 0) | (packed.incidentsEverReported ? 2 : 0),
    0,
  ]);
  let at = HEADER;
  for (const part of [
    packed.deployedAt,
    packed.changeDeployedAt,
    packed.leadSeconds,
    packed.resolvedAt,
    packed.restoreSeconds,
  ]) {
    numbers.set(part, at);
    at += part.length;
  }
  const bytes = new Uint8Array(numbers.byteLength + deployments);
  bytes.set(new Uint8Array(numbers.buffer));
  bytes.set(packed.deploymentFlags, numbers.byteLength);
  return bytes;
}

/**
 * The packed facts `encodePackedFacts` wrote; undefined for bytes of another layout or byte
 * order, or cut short.
 * @internal
 */
export function decodePackedFacts(bytes: Uint8Array): PackedFacts | undefined {
  if (bytes.byteLength < HEADER * 8) return undefined;
  // A copy, of these bytes only: a Float64Array needs its start aligned to 8 bytes, which a
  // database driver's buffer (a view into a larger pool) is not. Not `bytes.slice()`: on a
  // Node Buffer that is a view into the same pool.
  const buffer = new Uint8Array(bytes).buffer;
  const header = new Float64Array(buffer, 0, HEADER);
  const [mark, deployments, changes, restores, open, oldest, flags] = header;
  const count = (n: number) => Number.isSafeInteger(n) && n >= 0;
  if (
    mark !== ENCODING_MARK ||
    ![deployments, changes, restores, open].every(count) ||
    bytes.byteLength !==
      (HEADER + deployments + 2 * changes + 2 * restores) * 8 + deployments
  ) {
    return undefined;
  }
  let at = HEADER * 8;
  const next = (n: number) => {
    const part = new Float64Array(buffer, at, n);
    at += n * 8;
    return part;
  };
  return {
    deployedAt: next(deployments),
    changeDeployedAt: next(changes),
    leadSeconds: next(changes),
    resolvedAt: next(restores),
    restoreSeconds: next(restores),
    deploymentFlags: new Uint8Array(buffer, at, deployments),
    openIncidents: {
      count: open,
      oldestOpenedAt: Number.isNaN(oldest) ? null : oldest,
    },
    deployedBefore: (flags & 1) !== 0,
    incidentsEverReported: (flags & 2) !== 0,
  };
}
