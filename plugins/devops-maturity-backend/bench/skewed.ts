/* eslint-disable no-console */
/**
 * The skewed portfolio: real organisations have a few services (monorepos, deploy-per-commit)
 * with tens of thousands of deployments a year and a long tail with a few. Zipf-like: the
 * service of rank r deploys `BUSIEST / r` times a year. Measures what the even portfolio of
 * bench.ts never sees: reads of the busiest service, a full ranking recomputation, a resent
 * day against a new one, and the event loop's longest stall over the whole run.
 */
import { Knex } from 'knex';
import { ConfigReader } from '@backstage/config';
import {
  BUILT_IN_CHECKS,
  DAY_MS,
  utcDayStart,
} from '@devops-maturity/backstage-plugin-common';
import { openDatabaseStores } from '../src/database/openStores';
import { createServices } from '../src/service/createServices';
import { readSettings } from '../src/config';
import { generateCatalog, generateDay } from './generate';
import { PhaseStalls, StallMeter } from './stalls';
import { pct, quietLogger, timed } from './measure';

const SERVICES = Number(process.env.BENCH_SKEWED_SERVICES ?? 26);
const BUSIEST = Number(process.env.BENCH_SKEWED_BUSIEST ?? 50_000);
const DAYS = Number(process.env.BENCH_SKEWED_DAYS ?? 365);

export async function runSkewed(knex: Knex, now: number) {
  const stalls = new StallMeter();
  const phases = new PhaseStalls();
  await stalls.during(() => measure(knex, now, phases));
  console.log(
    `| event loop's longest stall over the run | ${stalls.longest} |`,
  );
  console.log(`| longest stall by phase | ${phases.summary} |`);
}

async function measure(knex: Knex, now: number, phases: PhaseStalls) {
  const { entities, groups } = generateCatalog(SERVICES);
  const stores = await openDatabaseStores({
    database: { getClient: async () => knex },
  });
  await stores.catalog.replaceCatalog(entities, groups);
  const { dora, scorecards, ingest } = createServices({
    stores,
    settings: readSettings(new ConfigReader({})),
    logger: quietLogger,
    checks: BUILT_IN_CHECKS,
    clock: () => now,
  });
  const perYear = (i: number) => BUSIEST / (i + 1);
  const dayOf = (day: number) => {
    const deployments = [];
    const incidents = [];
    for (let e = 0; e < SERVICES; e++) {
      const g = generateDay(e, day, now, perYear(e), 0.02);
      deployments.push(...g.deployments);
      incidents.push(...g.incidents);
    }
    return { deployments, incidents };
  };
  const push = async (day: { deployments: any[]; incidents: any[] }) => {
    for (let i = 0; i < day.deployments.length; i += 1000)
      await ingest.ingestDeployments(day.deployments.slice(i, i + 1000));
    for (let i = 0; i < day.incidents.length; i += 1000)
      await ingest.ingestIncidents(day.incidents.slice(i, i + 1000));
  };

  const first = utcDayStart(now) - DAYS * DAY_MS;
  const last = utcDayStart(now) - DAY_MS;
  let events = 0;
  let ingestMs = 0;
  await phases.during('ingestion', async () => {
    for (let day = first; day < last; day += DAY_MS) {
      const d = dayOf(day);
      events += d.deployments.length + d.incidents.length;
      ingestMs += (await timed(() => push(d)))[1];
    }
  });
  // The last day, new, then the same day again, as a pipeline's retries or a redelivery would.
  const lastDay = dayOf(last);
  const [, newDayMs] = await phases.during('ingestion', () =>
    timed(() => push(lastDay)),
  );
  const [, resentDayMs] = await phases.during('resend', () =>
    timed(() => push(lastDay)),
  );
  const busiest = 'component:default/svc-0';
  const [{ n: busiestCount }] = await knex('dm_deployments')
    .where('entity_ref', busiest)
    .count({ n: '*' });

  const [, refreshMs] = await phases.during('recomputation', () =>
    timed(() => scorecards.refreshAll()),
  );
  const window = dora.window({});
  const year = dora.window({ days: 365 });
  const profile = dora.profile();
  const read = async (fn: () => Promise<unknown>, n = 20) => {
    const times: number[] = [];
    for (let i = 0; i < n; i++) times.push((await timed(fn))[1]);
    return pct(times, 0.95);
  };
  const entity90 = await phases.during('entity reads', () =>
    read(() => dora.entityMetrics(busiest, window, profile)),
  );
  const entity365 = await phases.during('entity reads', () =>
    read(() => dora.entityMetrics(busiest, year, profile)),
  );
  const page = await phases.during('deployment pages', () =>
    read(() =>
      stores.events.listDeployments(busiest, { limit: 50, offset: 0, window }),
    ),
  );
  const lastPage = await phases.during('deployment pages', () =>
    read(
      () =>
        stores.events.listDeployments(busiest, {
          limit: 50,
          offset: Math.max(0, Number(busiestCount) - 50),
        }),
      5,
    ),
  );
  await stores.close();
  await knex.destroy();

  console.log(
    `\n### Skewed portfolio: ${SERVICES} services, the busiest ${BUSIEST} deployments a year (${busiestCount} stored), ${events} events over ${DAYS} days`,
  );
  console.log(`| measure | figure |`);
  console.log(`|---|---|`);
  console.log(
    `| ingestion, events/s | ${((events / ingestMs) * 1000).toFixed(0)} |`,
  );
  console.log(
    `| the last day resent / ingested new (${
      lastDay.deployments.length + lastDay.incidents.length
    } events) | ${(resentDayMs / newDayMs).toFixed(2)}x (${resentDayMs.toFixed(
      0,
    )} / ${newDayMs.toFixed(0)} ms) |`,
  );
  console.log(
    `| full recomputation of the ranking rows | ${(refreshMs / 1000).toFixed(
      1,
    )} s |`,
  );
  console.log(
    `| busiest: entity DORA read p95, 90 / 365 days | ${entity90.toFixed(
      1,
    )} / ${entity365.toFixed(1)} ms |`,
  );
  console.log(
    `| busiest: first / last page of 50 deployments p95 | ${page.toFixed(
      1,
    )} / ${lastPage.toFixed(1)} ms |`,
  );
}
