import { DoraFacts, poolFacts, restrictFacts } from './facts';
import {
  concatPackedFacts,
  hasIncompleteFlag,
  decodePackedFacts,
  encodePackedFacts,
  packedSize,
  packFacts,
} from './packedFacts';
import {
  computeDoraMetrics,
  computeDoraMetricsByProfile,
  computePackedDoraMetricsByProfile,
} from './metrics';
import { DORA_2021, DORA_2023 } from './tiers';

const HOUR = 3_600_000;
const t0 = Date.parse('2026-06-01T00:00:00Z');

const busy: DoraFacts = {
  deployments: [
    {
      finishedAt: t0 + HOUR,
      failed: true,
      rework: false,
      commitsComplete: true,
    },
    {
      finishedAt: t0 + 2 * HOUR,
      failed: false,
      rework: true,
      commitsComplete: false,
    },
    {
      finishedAt: t0 + 50 * HOUR,
      failed: true,
      rework: true,
      commitsComplete: true,
    },
  ],
  changes: [
    { deployedAt: t0 + HOUR, leadSeconds: 1800.5 },
    { deployedAt: t0 + 2 * HOUR, leadSeconds: -4 },
    { deployedAt: t0 + 50 * HOUR, leadSeconds: 86_400 },
  ],
  restores: [{ resolvedAt: t0 + 3 * HOUR, seconds: 7200 }],
  openIncidents: { count: 2, oldestOpenedAt: t0 + 10 * HOUR },
  deployedBefore: false,
  incidentsEverReported: true,
};
const quiet: DoraFacts = {
  deployments: [
    {
      finishedAt: t0 + 5 * HOUR,
      failed: false,
      rework: false,
      commitsComplete: true,
    },
  ],
  changes: [],
  restores: [],
  openIncidents: { count: 1, oldestOpenedAt: t0 + 4 * HOUR },
  deployedBefore: true,
  incidentsEverReported: false,
};
const never: DoraFacts = {
  deployments: [],
  changes: [],
  restores: [],
  openIncidents: { count: 0, oldestOpenedAt: null },
  deployedBefore: false,
  incidentsEverReported: false,
};

describe('packed facts', () => {
  it('pool to what the unpacked facts pool to, every flag and figure kept', () => {
    for (const all of [[busy, quiet, never], [never, busy], [quiet]])
      expect(concatPackedFacts(all.map(packFacts))).toEqual(
        packFacts(poolFacts(all)),
      );
    expect(concatPackedFacts([])).toEqual(packFacts(never));
  });

  it('give an owner the metrics its entities give unpacked', () => {
    const window = { from: t0, to: t0 + 30 * 24 * HOUR };
    const all = [busy, quiet];
    expect(
      computePackedDoraMetricsByProfile(
        concatPackedFacts(all.map(packFacts)),
        window,
        [DORA_2021],
      ),
    ).toEqual([computeDoraMetrics(poolFacts(all), window, DORA_2021)]);
  });

  it('give, for any window ending with the one they were read for, the metrics of the facts cut to it', () => {
    // A seeded year of an entity: deployments on about one day in three, each with changes
    // (some with no positive lead time), incidents resolved at random.
    let seed = 7;
    const random = () => {
      seed = (seed * 16_807) % 2_147_483_647;
      return seed / 2_147_483_647;
    };
    const DAY = 24 * HOUR;
    const end = t0 + 365 * DAY;
    const year = (deployedBefore: boolean): DoraFacts => {
      const facts: DoraFacts = {
        deployments: [],
        changes: [],
        restores: [],
        openIncidents: { count: 1, oldestOpenedAt: end - 3 * DAY },
        deployedBefore,
        incidentsEverReported: true,
      };
      for (let t = t0; t < end; t += random() * 3 * DAY) {
        facts.deployments.push({
          finishedAt: t,
          failed: random() < 0.1,
          rework: random() < 0.05,
          commitsComplete: random() < 0.9,
        });
        for (let c = 0; c < 3; c++)
          facts.changes.push({
            deployedAt: t,
            leadSeconds: Math.floor((random() - 0.05) * 86_400 * 5),
          });
        if (random() < 0.1)
          facts.restores.push({
            resolvedAt: t + HOUR,
            seconds: Math.floor(random() * 86_400),
          });
      }
      return facts;
    };
    const profiles = [DORA_2021, DORA_2023];
    for (const facts of [year(false), year(true), quiet, never]) {
      for (const days of [1, 30, 90, 180, 365, 400]) {
        const window = { from: end - days * DAY, to: end };
        expect(
          computePackedDoraMetricsByProfile(packFacts(facts), window, profiles),
        ).toEqual(
          computeDoraMetricsByProfile(
            restrictFacts(facts, window),
            window,
            profiles,
          ),
        );
      }
    }
  });

  it('keep the oldest open incident and the flags of any entity', () => {
    expect(concatPackedFacts([packFacts(never)]).openIncidents).toEqual({
      count: 0,
      oldestOpenedAt: null,
    });
    const pooled = concatPackedFacts([never, quiet, busy].map(packFacts));
    expect(pooled.openIncidents).toEqual({
      count: 3,
      oldestOpenedAt: t0 + 4 * HOUR,
    });
    expect(pooled.deployedBefore).toBe(true);
    expect(pooled.incidentsEverReported).toBe(true);
  });

  it('count as their events', () => {
    expect(packedSize(packFacts(busy))).toBe(7);
    expect(packedSize(packFacts(never))).toBe(0);
  });

  it('read a deployment without a commitsComplete as complete, as the metrics do', () => {
    const old = { ...quiet.deployments[0] };
    delete old.commitsComplete;
    const packed = packFacts({ ...quiet, deployments: [old] });
    expect(hasIncompleteFlag(packed.deploymentFlags[0])).toBe(false);
  });

  it('come back from their bytes as they went in, at any offset of a larger buffer', () => {
    for (const facts of [busy, quiet, never]) {
      const bytes = encodePackedFacts(packFacts(facts));
      // As a database driver hands them over: a slice of a pool, not aligned to 8 bytes.
      const pool = new Uint8Array(bytes.length + 3);
      pool.set(bytes, 3);
      const decoded = decodePackedFacts(pool.subarray(3));
      expect(decoded).toEqual(packFacts(facts));
      // A Node Buffer, whose slice() is a view into its pool, not a copy.
      expect(
        decodePackedFacts(Buffer.concat([Buffer.alloc(5), bytes]).subarray(5)),
      ).toEqual(packFacts(facts));
    }
    // 64 bytes of header, 8 a number, 1 a deployment's flags.
    expect(encodePackedFacts(packFacts(busy)).length).toBe(64 + 8 * 11 + 3);
  });

  it('are not read from bytes of another layout, or cut short', () => {
    const bytes = encodePackedFacts(packFacts(busy));
    expect(
      decodePackedFacts(bytes.subarray(0, bytes.length - 1)),
    ).toBeUndefined();
    expect(decodePackedFacts(bytes.subarray(0, 10))).toBeUndefined();
    const other = bytes.slice();
    other[0] ^= 1;
    expect(decodePackedFacts(other)).toBeUndefined();
    // Counts that add up to the length but are not counts (one change, minus one restore).
    const header = new Float64Array(8);
    header.set([
      new Float64Array(bytes.slice(0, 8).buffer)[0],
      0,
      1,
      -1,
      0,
      NaN,
    ]);
    expect(decodePackedFacts(new Uint8Array(header.buffer))).toBeUndefined();
    // The same layout read in the other byte order.
    const swapped = bytes.slice();
    swapped.subarray(0, 8).reverse();
    expect(decodePackedFacts(swapped)).toBeUndefined();
  });
});
