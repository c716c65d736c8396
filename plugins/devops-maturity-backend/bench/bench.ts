/* eslint-disable no-console */
/**
 * Benchmark: ingestion, the entity DORA read and the ranking read, at (by default) 10,000
 * entities and 365 days, on SQLite and, when BENCH_PG_CONNECTION is set, PostgreSQL; each
 * beside a naive baseline measured in the same run. Run with `yarn bench` (see README).
 *
 *   BENCH_ENTITIES=1000 BENCH_DAYS=90 yarn bench      # a quicker run
 *   BENCH_ONLY=ingestion BENCH_SKIP_PG=1 yarn bench    # ingestion on SQLite alone
 *   BENCH_ONLY=recomputation BENCH_SKIP_PG=1 yarn bench # up to the hourly recomputation
 *   BENCH_SKIP_SQLITE=1 yarn bench                    # PostgreSQL alone (BENCH_PG_CONNECTION set)
 */
import os from 'os';
import path from 'path';
import fs from 'fs';
import knexFactory, { Knex } from 'knex';
import {
  computeDoraMetrics,
  DAY_MS,
  DEFAULT_DORA_OPTIONS,
  DeploymentEvent,
  deriveDoraFacts,
  DORA_2021,
  IncidentEvent,
  utcDayStart,
  BUILT_IN_CHECKS,
} from '@devops-maturity/backstage-plugin-common';
import { openDatabaseStores } from '../src/database/openStores';
import { createServices } from '../src/service/createServices';
import { readSettings } from '../src/config';
import { ConfigReader } from '@backstage/config';
import { generateCatalog, generateDay } from './generate';
import { runSkewed } from './skewed';
import { PhaseStalls, StallMeter } from './stalls';
import { pct, quietLogger, timed } from './measure';

const ENTITIES = Number(process.env.BENCH_ENTITIES ?? 10_000);
const DAYS = Number(process.env.BENCH_DAYS ?? 365);
const NOW = Date.parse('2026-11-21T00:00:00Z');
const ENTITY_SAMPLES = Number(process.env.BENCH_ENTITY_SAMPLES ?? 200);
const RANKING_SAMPLES = Number(process.env.BENCH_RANKING_SAMPLES ?? 30);
/** `BENCH_ONLY=ingestion` measures ingestion alone, e.g. while profiling it. */
const INGESTION_ONLY = process.env.BENCH_ONLY === 'ingestion';
/** `BENCH_ONLY=skewed` runs the skewed portfolio (bench/skewed.ts) alone. */
const SKEWED_ONLY = process.env.BENCH_ONLY === 'skewed';
/** `BENCH_ONLY=recomputation` stops after the recomputations, e.g. to profile the hourly one. */
const RECOMPUTATION_ONLY = process.env.BENCH_ONLY === 'recomputation';

const ms = (n: number) => `${n.toFixed(1)} ms`;

async function openDatabase(
  kind: 'sqlite' | 'pg',
  name: string,
): Promise<Knex> {
  if (kind === 'sqlite') {
    const file = path.join(
      os.tmpdir(),
      `devops-maturity-bench-${name}-${process.pid}.sqlite`,
    );
    const remove = () =>
      ['', '-wal', '-shm'].forEach(s => fs.rmSync(file + s, { force: true }));
    remove();
    process.on('exit', remove); // gigabytes at full scale
    return knexFactory({
      client: 'better-sqlite3',
      connection: { filename: file },
      useNullAsDefault: true,
    });
  }
  const admin = knexFactory({
    client: 'pg',
    connection: process.env.BENCH_PG_CONNECTION,
  });
  const db = `bench_${name}_${process.pid}`;
  await admin.raw(`DROP DATABASE IF EXISTS ${db}`);
  await admin.raw(`CREATE DATABASE ${db}`);
  await admin.destroy();
  return knexFactory({
    client: 'pg',
    connection: `${process.env.BENCH_PG_CONNECTION}/${db}`,
    pool: { min: 1, max: 4 },
  });
}

/**
 * Streams the history day by day across all entities, as events arrive in real life, in
 * pushes of 1,000 deployments and the incidents that came with them. Answers the events and
 * the milliseconds spent in `push` alone: generating the synthetic events is not ingestion.
 */
async function ingestAll(
  push: (
    d: DeploymentEvent[] | any[],
    i: IncidentEvent[] | any[],
  ) => Promise<void>,
): Promise<[number, number]> {
  let events = 0;
  let pushMs = 0;
  let pendingD: any[] = [];
  let pendingI: any[] = [];
  const flush = async () => {
    if (pendingD.length || pendingI.length) {
      const [, took] = await timed(() => push(pendingD, pendingI));
      pushMs += took;
    }
    events += pendingD.length + pendingI.length;
    pendingD = [];
    pendingI = [];
  };
  for (let day = utcDayStart(NOW) - DAYS * DAY_MS; day < NOW; day += DAY_MS) {
    for (let e = 0; e < ENTITIES; e++) {
      const { deployments, incidents } = generateDay(e, day, NOW);
      pendingD.push(...deployments);
      pendingI.push(...incidents);
      if (pendingD.length >= 1000) await flush();
    }
    await flush();
  }
  return [events, pushMs];
}

/** The naive design: raw rows only, everything recomputed at read time. */
async function naiveIngest(knex: Knex) {
  await knex.schema.createTable('raw_deployments', t => {
    t.string('id').primary();
    t.string('entity_ref').index();
    t.text('payload');
  });
  await knex.schema.createTable('raw_incidents', t => {
    t.string('id').primary();
    t.string('entity_ref').index();
    t.text('payload');
  });
  return ingestAll(async (ds, is) => {
    await knex.transaction(async trx => {
      for (let i = 0; i < ds.length; i += 200) {
        await trx('raw_deployments').insert(
          ds.slice(i, i + 200).map(d => ({
            id: d.id,
            entity_ref: d.entityRef,
            payload: JSON.stringify(d),
          })),
        );
      }
      for (let i = 0; i < is.length; i += 200) {
        await trx('raw_incidents').insert(
          is.slice(i, i + 200).map(d => ({
            id: d.id,
            entity_ref: d.entityRef,
            payload: JSON.stringify(d),
          })),
        );
      }
    });
  });
}

async function naiveEntityRead(knex: Knex, entityRef: string) {
  const window = { from: NOW - 90 * DAY_MS, to: NOW };
  const ds = (await knex('raw_deployments').where('entity_ref', entityRef)).map(
    r => JSON.parse(r.payload),
  );
  const is = (await knex('raw_incidents').where('entity_ref', entityRef)).map(
    r => JSON.parse(r.payload),
  );
  return computeDoraMetrics(
    deriveDoraFacts(ds, is, window, DEFAULT_DORA_OPTIONS),
    window,
    DORA_2021,
  );
}

async function run(kind: 'sqlite' | 'pg') {
  console.log(
    `\n## ${
      kind === 'sqlite' ? 'SQLite (better-sqlite3, file)' : 'PostgreSQL'
    }: ${ENTITIES} entities, ${DAYS} days`,
  );
  const { entities, groups } = generateCatalog(ENTITIES);
  const settings = readSettings(new ConfigReader({}));

  // Ours
  const knex = await openDatabase(kind, 'ours');
  const stores = await openDatabaseStores({
    database: { getClient: async () => knex },
  });
  await stores.catalog.replaceCatalog(entities, groups);
  /** Moved an hour on for the hourly recomputation, then back: the reads compare at NOW. */
  let clockNow = NOW;
  const { dora, scorecards, ingest } = createServices({
    stores,
    settings,
    logger: quietLogger,
    checks: BUILT_IN_CHECKS,
    clock: () => clockNow,
  });
  const stalls = new StallMeter();
  const phases = new PhaseStalls();
  /** Measured for the run and for its phase, so that a long stall can be traced. */
  const measured = <T>(phase: string, fn: () => Promise<T>) =>
    stalls.during(() => phases.during(phase, fn));
  const [events, ingestMs] = await measured('ingestion', () =>
    ingestAll(async (ds, is) => {
      if (ds.length) await ingest.ingestDeployments(ds);
      if (is.length) await ingest.ingestIncidents(is);
    }),
  );
  const counts = await knex('dm_deployments').count({ n: '*' }).first();
  const commits = await knex('dm_deployments')
    .sum({ n: 'commit_count' })
    .first();
  const incidents = await knex('dm_incidents').count({ n: '*' }).first();
  console.log(
    `data: ${counts?.n} deployments, ${commits?.n} commits, ${incidents?.n} incidents`,
  );
  if (INGESTION_ONLY) {
    // The naive insert beside it, in the same run: the machine's speed drifts between runs,
    // the ratio much less.
    const naiveOnly = await openDatabase(kind, 'naive');
    const [, naiveOnlyMs] = await naiveIngest(naiveOnly);
    const oursEps = (events / ingestMs) * 1000;
    const naiveOnlyEps = (events / naiveOnlyMs) * 1000;
    console.log(
      `ingestion: ${oursEps.toFixed(
        0,
      )} events/s, naive baseline ${naiveOnlyEps.toFixed(
        0,
      )} (raw insert only), ours / baseline ${(oursEps / naiveOnlyEps).toFixed(
        2,
      )}x`,
    );
    console.log(`longest stall in the ingestion: ${stalls.longest}`);
    await stores.close();
    await knex.destroy();
    await naiveOnly.destroy();
    return;
  }

  const [refreshed, refreshMs] = await measured('first recomputation', () =>
    timed(() => scorecards.refreshAll()),
  );
  console.log(
    `full recomputation of the ranking rows after the ingestion, every entity marked and read from its events (every entity and group, 4 windows, 2 profiles): ${(
      refreshMs / 1000
    ).toFixed(1)} s (entities ${(refreshed.entityMs / 1000).toFixed(
      1,
    )} s, groups ${((refreshed.ms - refreshed.entityMs) / 1000).toFixed(1)} s)`,
  );

  // Catalog changes moving 1% of the entities to the next team, timed until they are in the
  // rankings: their rows, and those of the teams and departments they left and joined, are
  // recomputed. Concentrated: every hundredth entity, which the catalog's layout (at 10,000
  // entities 500 teams, 50 departments) puts in 5 teams of 1 department. Spread: every 101st,
  // one in each of 100 teams across every department. Each applied to the catalog the one
  // before left; the line says how many teams the moved entities left.
  const teamCount = groups.filter(g => g.groupRef.includes('/team-')).length;
  const isMoved = (i: number, every: number) =>
    i % every === 0 && i / every < ENTITIES / 100;
  const moved = (catalog: typeof entities, every: number) =>
    catalog.map((e, i) => {
      if (!isMoved(i, every)) return e;
      const team = Number(e.ownerRef!.split('-').pop());
      return { ...e, ownerRef: `group:default/team-${(team + 1) % teamCount}` };
    });
  let catalogNow = entities;
  for (const [shape, every] of [
    ['concentrated', 100],
    ['spread', 101],
  ] as const) {
    const teamsLeft = new Set(
      catalogNow.filter((_, i) => isMoved(i, every)).map(e => e.ownerRef),
    ).size;
    catalogNow = moved(catalogNow, every);
    const next = catalogNow;
    const [, catalogChangeMs] = await measured('catalog change', () =>
      timed(async () => {
        await stores.catalog.replaceCatalog(next, groups);
        await scorecards.flush('owner');
      }),
    );
    console.log(
      `a catalog change moving 1% of the entities (${Math.ceil(
        ENTITIES / 100,
      )}, ${shape}: from ${teamsLeft} teams) to the next team, stored and in the rankings: ${(
        catalogChangeMs / 1000
      ).toFixed(1)} s`,
    );
  }

  // The hourly recomputation an hour on, nothing new: the entities' rows from their stored
  // facts, but for the rolling share read from their events.
  clockNow = NOW + 3_600_000;
  const [hourly, hourlyMs] = await measured('hourly recomputation', () =>
    timed(() => scorecards.refreshAll()),
  );
  clockNow = NOW;
  console.log(
    `the hourly recomputation of every ranking row an hour later, nothing new (each entity from its stored facts, 1/24 from its events): ${(
      hourlyMs / 1000
    ).toFixed(1)} s (entities ${(hourly.entityMs / 1000).toFixed(
      1,
    )} s, groups ${((hourly.ms - hourly.entityMs) / 1000).toFixed(1)} s)`,
  );
  if (RECOMPUTATION_ONLY) {
    console.log(`longest stall by phase: ${phases.summary}`);
    await stores.close();
    await knex.destroy();
    return;
  }

  // Baseline
  const naive = await openDatabase(kind, 'naive');
  const [, naiveIngestMs] = await naiveIngest(naive);

  const sample = Array.from(
    { length: ENTITY_SAMPLES },
    (_, i) => `component:default/svc-${(i * 7919) % ENTITIES}`,
  );
  const window = dora.window({});
  const profile = dora.profile();
  const entityTimes: number[] = [];
  const naiveEntityTimes: number[] = [];
  for (const ref of sample) {
    const [ours] = await measured('entity reads', () =>
      timed(() => dora.entityMetrics(ref, window, profile)),
    ).then(async ([r, t]) => {
      entityTimes.push(t);
      return [r];
    });
    const [theirs, t] = await timed(() => naiveEntityRead(naive, ref));
    naiveEntityTimes.push(t);
    const { entityRef: _e, ...oursMetrics } = ours as any;
    if (JSON.stringify(oursMetrics) !== JSON.stringify(theirs))
      throw new Error(`figures differ for ${ref}`);
  }

  const sorts = [
    'overallTier',
    'leadTime',
    'changeFailureRate',
    'deploymentFrequency',
    'timeToRestore',
  ] as const;
  /** The ranking page's reads, for a reader who sees `subjectRefs` (undefined: all). */
  const rankingReads = async (subjectRefs?: string[]) => {
    const times: number[] = [];
    for (let i = 0; i < RANKING_SAMPLES; i++) {
      const [, t] = await timed(() =>
        scorecards.rank({
          subjectType: 'entity',
          windowDays: 90,
          profile: profile.id,
          // every other read filters by a team with its sub-teams, as the ranking page does
          ownerRefs: i % 2 ? undefined : [`group:default/team-${i}`],
          subjectRefs,
          sort: sorts[i % sorts.length],
          order: i % 2 ? 'asc' : 'desc',
          limit: 50,
          offset: 0,
        }),
      );
      times.push(t);
    }
    return times;
  };
  const rankingTimes = await measured('ranking reads', () => rankingReads());
  // A reader who may not see every entity (permissions on): the same reads, restricted in SQL
  // to the 90% the reader may see, as ReadAccess hands the ranking its visible set. Not
  // included: the reader's catalog query and permission batches, once per 30 s per user.
  const restrictedRankingTimes = await measured('ranking reads', () =>
    rankingReads(entities.map(e => e.entityRef).filter((_, n) => n % 10 !== 0)),
  );
  const naiveRankingTimes: number[] = [];
  for (let i = 0; i < 2; i++) {
    const [, t] = await timed(async () => {
      for (const e of entities) await naiveEntityRead(naive, e.entityRef);
    });
    naiveRankingTimes.push(t);
  }

  const eps = (events / ingestMs) * 1000;
  const naiveEps = (events / naiveIngestMs) * 1000;
  console.log(`| measure | ours | naive baseline | ours / baseline |`);
  console.log(`|---|---|---|---|`);
  console.log(
    `| ingestion, events/s (${events} events) | ${eps.toFixed(
      0,
    )} | ${naiveEps.toFixed(0)} (raw insert only) | ${(eps / naiveEps).toFixed(
      2,
    )}x |`,
  );
  console.log(
    `| entity DORA read p50 | ${ms(pct(entityTimes, 0.5))} | ${ms(
      pct(naiveEntityTimes, 0.5),
    )} | ${(pct(entityTimes, 0.5) / pct(naiveEntityTimes, 0.5)).toFixed(3)}x |`,
  );
  console.log(
    `| entity DORA read p95 | ${ms(pct(entityTimes, 0.95))} | ${ms(
      pct(naiveEntityTimes, 0.95),
    )} | ${(pct(entityTimes, 0.95) / pct(naiveEntityTimes, 0.95)).toFixed(
      3,
    )}x |`,
  );
  console.log(
    `| ranking read p50 | ${ms(pct(rankingTimes, 0.5))} | ${ms(
      pct(naiveRankingTimes, 0.5),
    )} | ${(pct(rankingTimes, 0.5) / pct(naiveRankingTimes, 0.5)).toFixed(
      4,
    )}x |`,
  );
  console.log(
    `| ranking read p95 | ${ms(pct(rankingTimes, 0.95))} | ${ms(
      pct(naiveRankingTimes, 0.95),
    )} | ${(pct(rankingTimes, 0.95) / pct(naiveRankingTimes, 0.95)).toFixed(
      4,
    )}x |`,
  );
  console.log(
    `| ranking read p95, a reader who sees 90% (permissions on) | ${ms(
      pct(restrictedRankingTimes, 0.95),
    )} | ${ms(pct(rankingTimes, 0.95))} (the same reads, permissions off) | ${(
      pct(restrictedRankingTimes, 0.95) / pct(rankingTimes, 0.95)
    ).toFixed(2)}x |`,
  );
  console.log(
    `| event loop's longest stall in our ingestion, recomputation and reads | ${stalls.longest} | | |`,
  );
  console.log(`| longest stall by phase | ${phases.summary} | | |`);
  await stores.close();
  await knex.destroy();
  await naive.destroy();
}

(async () => {
  const pg =
    process.env.BENCH_PG_CONNECTION && process.env.BENCH_SKIP_PG !== '1';
  // BENCH_SKIP_SQLITE=1 measures PostgreSQL alone (a run of both takes 20 minutes).
  if (process.env.BENCH_SKIP_SQLITE !== '1') {
    if (!SKEWED_ONLY) await run('sqlite');
    if (!INGESTION_ONLY && !RECOMPUTATION_ONLY)
      await runSkewed(await openDatabase('sqlite', 'skewed'), NOW);
  }
  if (pg) {
    if (!SKEWED_ONLY) await run('pg');
    if (!INGESTION_ONLY && !RECOMPUTATION_ONLY)
      await runSkewed(await openDatabase('pg', 'skewed'), NOW);
  }
  // Includes the naive baseline's tables and the generated events, so an upper bound.
  console.log(
    `\npeak RSS of the benchmark process: ${(
      process.resourceUsage().maxRSS / 1024
    ).toFixed(0)} MiB`,
  );
})().catch(e => {
  console.error(e);
  process.exit(1);
});
